import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { cybersourceConnection, CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { validateTokenUrl } from '../../lib/oauth2/tokenRequest';
import { apiError, asNodeError, invalidInput } from './errors';

/**
 * The one place where Cybersource requests are authenticated and sent. Authentication goes
 * through n8n's auth layer (the credential's preAuthentication and authenticate), which takes
 * tokens from the shared cache; n8n resends once after a 401 with a fresh token. Nothing else is
 * retried: a payment may have been processed even when no answer came back.
 */
export const AUTHENTICATIONS = [CYBERSOURCE_TYPE, CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE] as const;
export type Authentication = (typeof AUTHENTICATIONS)[number];

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Starts with '/'; never a full URL, so a token only ever goes to the configured host. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
}

export interface ApiResponse {
	statusCode: number;
	/** The parsed JSON answer; lists come as arrays, an empty answer as {}. */
	body: IDataObject | IDataObject[];
}

/** The API host of one node execution, read once (reading a credential decrypts it). */
const apiHosts = new WeakMap<IExecuteFunctions, Promise<string>>();

export function authenticationOf(context: IExecuteFunctions): Authentication {
	return context.getNodeParameter('authentication', 0, CYBERSOURCE_TYPE) as Authentication;
}

async function readApiHost(context: IExecuteFunctions, authentication: Authentication): Promise<string> {
	try {
		if (authentication === CYBERSOURCE_TYPE) {
			return cybersourceConnection(await context.getCredentials(CYBERSOURCE_TYPE)).endpoints.apiBaseUrl;
		}
		const baseUrl = context.getNodeParameter('baseUrl', 0) as string;
		return validateTokenUrl(baseUrl, 'Base URL').toString().replace(/\/+$/, '');
	} catch (error) {
		throw asNodeError(context.getNode(), error, 0);
	}
}

export async function apiHost(context: IExecuteFunctions): Promise<string> {
	let host = apiHosts.get(context);
	if (host === undefined) {
		host = readApiHost(context, authenticationOf(context));
		apiHosts.set(context, host);
	}
	return await host;
}

export async function cybersourceApiRequest(this: IExecuteFunctions, itemIndex: number, request: ApiRequest): Promise<ApiResponse> {
	if (!request.path.startsWith('/')) {
		throw invalidInput(this.getNode(), `Path: "${request.path}" must start with "/" (a path on the API host, not a full URL).`, itemIndex);
	}
	const authentication = authenticationOf(this);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${await apiHost(this)}${request.path}`,
		json: true,
		returnFullResponse: true,
		// 401 must throw, so that n8n fetches a fresh token and resends once; every other
		// status is an answer we explain ourselves.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined && Object.keys(request.qs).length > 0) options.qs = request.qs;
	let response: { statusCode: number; body: unknown };
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, authentication, options)) as typeof response;
	} catch (error) {
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	if (response.statusCode >= 400) throw apiError(this.getNode(), response.statusCode, response.body, itemIndex);
	const body = typeof response.body === 'object' && response.body !== null ? (response.body as IDataObject | IDataObject[]) : {};
	return { statusCode: response.statusCode, body };
}
