import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { handleUnauthorizedMyself, prepareResendAfterUnauthorized, tokenFailureOf } from '../../lib/n8n/bearerAuth';
import { cybersourceConnection, CYBERSOURCE_TYPE, newerStoredRefreshToken } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { validateTokenUrl } from '../../lib/oauth2/tokenRequest';
import { apiError, asNodeError, invalidInput } from './errors';

/**
 * The one place where Cybersource requests are authenticated and sent. Authentication goes
 * through n8n's auth layer (the credential's preAuthentication and authenticate), which takes
 * tokens from the shared cache and lets n8n store a rotated refresh token. A request refused
 * with 401 is sent once more with a fresh token, by this transport and not by n8n (n8n 1.x and
 * 2.x disagree on when they resend); nothing else is ever resent: a payment may have been
 * processed even when no answer came back.
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

/** The API host of one node execution, read once. */
const apiHosts = new WeakMap<IExecuteFunctions, Promise<string>>();

export function authenticationOf(context: IExecuteFunctions): Authentication {
	return context.getNodeParameter('authentication', 0, CYBERSOURCE_TYPE) as Authentication;
}

/** Credentials whose requests carry a client certificate (Cybersource's partner OAuth: mutual TLS). */
function usesMutualTls(authentication: Authentication): boolean {
	return authentication === CYBERSOURCE_TYPE;
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

/**
 * Hands n8n's auth helpers our own copy of the credential (`credentialsDecrypted`), so that the
 * credential's preAuthentication and authenticate see the object we mark (see lib/n8n/bearerAuth).
 */
export function ownCredentials(context: IExecuteFunctions, type: Authentication, data: ICredentialDataDecryptedObject) {
	const reference = context.getNode().credentials?.[type];
	return { credentialsDecrypted: { id: reference?.id ?? '', name: reference?.name ?? '', type, data } };
}

/**
 * One authenticated exchange; every HTTP status is an answer. Which helper: n8n 1.x's
 * `httpRequest` family drops `agentOptions`, and with them the client certificate and CA of
 * mutual TLS (../shared/DESIGN.md §5); the legacy `requestWithAuthentication` keeps them on 1.x
 * and 2.x. So mutual-TLS credentials use the legacy helper, every other credential the current one.
 */
async function exchange(
	context: IExecuteFunctions,
	authentication: Authentication,
	credentials: ICredentialDataDecryptedObject,
	request: ApiRequest & { url: string },
	itemIndex: number,
): Promise<{ statusCode: number; body: unknown }> {
	const additional = ownCredentials(context, authentication, credentials);
	const hasQuery = request.qs !== undefined && Object.keys(request.qs).length > 0;
	if (usesMutualTls(authentication)) {
		const legacy = {
			method: request.method,
			uri: request.url,
			json: true,
			resolveWithFullResponse: true,
			simple: false,
			...(request.body !== undefined ? { body: request.body } : {}),
			...(hasQuery ? { qs: request.qs } : {}),
		};
		return (await context.helpers.requestWithAuthentication.call(context, authentication, legacy, additional, itemIndex)) as {
			statusCode: number;
			body: unknown;
		};
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (request.body !== undefined) options.body = request.body;
	if (hasQuery) options.qs = request.qs;
	return (await context.helpers.httpRequestWithAuthentication.call(context, authentication, options, additional)) as {
		statusCode: number;
		body: unknown;
	};
}

export async function cybersourceApiRequest(this: IExecuteFunctions, itemIndex: number, request: ApiRequest): Promise<ApiResponse> {
	if (!request.path.startsWith('/')) {
		throw invalidInput(this.getNode(), `Path: "${request.path}" must start with "/" (a path on the API host, not a full URL).`, itemIndex);
	}
	const authentication = authenticationOf(this);
	// A fresh copy per request, as n8n's helpers read it: a refresh token stored by another
	// execution or process since the last request is picked up.
	const read = async () => {
		const credentials = await this.getCredentials(authentication, itemIndex);
		handleUnauthorizedMyself(credentials);
		return credentials;
	};
	let response: { statusCode: number; body: unknown };
	try {
		const outgoing = { ...request, url: `${await apiHost(this)}${request.path}` };
		let credentials = await read();
		try {
			response = await exchange(this, authentication, credentials, outgoing, itemIndex);
		} catch (error) {
			// Only a refused refresh token is worth a second try (nothing was sent yet).
			const failure = tokenFailureOf(credentials) ?? error;
			const newer = authentication === CYBERSOURCE_TYPE ? await newerStoredRefreshToken(failure, credentials, read) : undefined;
			if (newer === undefined) throw asNodeError(this.getNode(), failure, itemIndex);
			credentials = newer;
			response = await exchange(this, authentication, credentials, outgoing, itemIndex);
		}
		if (response.statusCode === 401) {
			// The token was refused (revoked, or expired early): once more with a fresh one.
			prepareResendAfterUnauthorized(credentials);
			response = await exchange(this, authentication, credentials, outgoing, itemIndex);
		}
	} catch (error) {
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	if (response.statusCode >= 400) throw apiError(this.getNode(), response.statusCode, response.body, itemIndex);
	const body = typeof response.body === 'object' && response.body !== null ? (response.body as IDataObject | IDataObject[]) : {};
	return { statusCode: response.statusCode, body };
}
