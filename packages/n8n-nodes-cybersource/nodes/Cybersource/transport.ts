import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { dropSentToken, tokenFailureOf } from '../../lib/n8n/bearerAuth';
import { cybersourceConnection, CYBERSOURCE_TYPE, newerStoredRefreshToken } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE, merchantAnswer, signerOf } from '../../lib/n8n/merchantAuth';
import { OAuth2Error } from '../../lib/oauth2/errors';
import { validateTokenUrl } from '../../lib/oauth2/tokenRequest';
import { refusedAsDuplicate } from '../../lib/cybersource/merchantTransactionId';
import { alreadySent, apiError, asNodeError, invalidInput, noAnswer, type MoneyMove } from './errors';

/**
 * The one place where Cybersource requests are authenticated and sent. Authentication goes
 * through n8n's auth layer (the credential's preAuthentication and authenticate), which takes
 * tokens from the shared cache and lets n8n store a rotated refresh token. A request refused
 * with 401 is sent once more with a fresh token, by this transport and not by n8n (n8n 1.x and
 * 2.x disagree on when they resend); nothing else is ever resent: a payment may have been
 * processed even when no answer came back.
 */
export const AUTHENTICATIONS = [CYBERSOURCE_TYPE, MERCHANT_TYPE, CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE] as const;
export type Authentication = (typeof AUTHENTICATIONS)[number];

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Starts with '/'; never a full URL, so a token only ever goes to the configured host. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Extra request headers (Token Management's `If-Match`); authentication headers are the credential's. */
	headers?: Record<string, string>;
	/** A file, not JSON (a report download): the answer comes as bytes in `file`; `Accept` says which type. */
	file?: { accept: string };
	/** A request that moves money: named in the error when no answer comes or Cybersource calls it a duplicate. */
	moneyMove?: MoneyMove;
}

export interface ApiResponse {
	statusCode: number;
	/** The parsed JSON answer; lists come as arrays, an empty answer as {}. */
	body: IDataObject | IDataObject[];
	/** Answer headers, names in lower case (`etag`, `x-total-count`). */
	headers: Record<string, string>;
	/** The answer's bytes, for a request with `file`. */
	file?: Buffer;
}

/**
 * Who sends: a node execution (per item), the trigger's activation hooks, or a list loaded for
 * the editor. They differ only in how parameters and credentials are read.
 */
export type ApiContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

function isExecution(context: ApiContext): context is IExecuteFunctions {
	return typeof (context as IExecuteFunctions).getInputData === 'function';
}

export function nodeParameter<T>(context: ApiContext, name: string, itemIndex: number, fallback: T): T {
	return (isExecution(context) ? context.getNodeParameter(name, itemIndex, fallback) : context.getNodeParameter(name, fallback)) as T;
}

async function credentialsOf(context: ApiContext, type: string, itemIndex: number): Promise<ICredentialDataDecryptedObject> {
	return isExecution(context) ? await context.getCredentials(type, itemIndex) : await context.getCredentials(type);
}

/** Seconds to wait for an answer (node parameter Timeout): n8n's own default would be 300. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const MAX_TIMEOUT_SECONDS = 600;

/** The node's version, read once per execution (`getNode()` copies the whole node). */
const nodeVersions = new WeakMap<ApiContext, number>();

function nodeVersionOf(context: ApiContext): number {
	let version = nodeVersions.get(context);
	if (version === undefined) {
		version = context.getNode().typeVersion;
		nodeVersions.set(context, version);
	}
	return version;
}

function timeoutOf(context: ApiContext, itemIndex: number): number {
	// Version 2 of the node keeps it under Request Options.
	const name = nodeVersionOf(context) >= 2 ? 'requestOptions.timeout' : 'timeout';
	const seconds = nodeParameter<unknown>(context, name, itemIndex, DEFAULT_TIMEOUT_SECONDS);
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
		throw invalidInput(context.getNode(), `Timeout (Seconds): ${String(seconds)} is not between 1 and ${MAX_TIMEOUT_SECONDS}.`, itemIndex);
	}
	return seconds;
}

/** The API host of one node execution, read once. */
const apiHosts = new WeakMap<ApiContext, Promise<string>>();

export function authenticationOf(context: ApiContext): Authentication {
	return nodeParameter<Authentication>(context, 'authentication', 0, CYBERSOURCE_TYPE);
}

async function readApiHost(context: ApiContext, authentication: Authentication): Promise<string> {
	try {
		if (authentication === CYBERSOURCE_TYPE) {
			return cybersourceConnection(await credentialsOf(context, CYBERSOURCE_TYPE, 0)).endpoints.apiBaseUrl;
		}
		if (authentication === MERCHANT_TYPE) return signerOf(await credentialsOf(context, MERCHANT_TYPE, 0)).apiBaseUrl;
		const baseUrl = nodeParameter<string>(context, 'baseUrl', 0, '');
		return validateTokenUrl(baseUrl, 'Base URL').toString().replace(/\/+$/, '');
	} catch (error) {
		throw asNodeError(context.getNode(), error, 0);
	}
}

export async function apiHost(context: ApiContext): Promise<string> {
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
export function ownCredentials(context: ApiContext, type: Authentication, data: ICredentialDataDecryptedObject) {
	const reference = credentialReference(context, type);
	return { credentialsDecrypted: { id: reference.id, name: reference.name, type, data } };
}

/** The node's reference to its credential, read once per execution (`getNode()` copies the whole node). */
const credentialReferences = new WeakMap<ApiContext, { type: string; id: string; name: string }>();

function credentialReference(context: ApiContext, type: Authentication): { id: string; name: string } {
	let reference = credentialReferences.get(context);
	if (reference === undefined || reference.type !== type) {
		const stored = context.getNode().credentials?.[type];
		reference = { type, id: stored?.id ?? '', name: stored?.name ?? '' };
		credentialReferences.set(context, reference);
	}
	return reference;
}

/**
 * One authenticated exchange through n8n's `httpRequestWithAuthentication`; every HTTP status
 * is an answer (`ignoreHttpStatusErrors`), so n8n never resends: the resend after a 401 is this
 * transport's. The Cybersource OAuth2 credential's client certificate rides in `agentOptions`,
 * added by its `authenticate` (n8n 2.x honours it; on n8n 1.x the credential refuses first).
 */
async function exchange(
	context: ApiContext,
	authentication: Authentication,
	credentials: ICredentialDataDecryptedObject,
	request: ApiRequest & { url: string; timeoutSeconds: number },
): Promise<Answer> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		json: request.file === undefined,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutSeconds * 1000,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined && Object.keys(request.qs).length > 0) options.qs = request.qs;
	if (request.headers !== undefined) options.headers = { ...request.headers };
	if (request.file !== undefined) {
		options.encoding = 'arraybuffer';
		options.headers = { ...options.headers, Accept: request.file.accept };
	}
	return (await context.helpers.httpRequestWithAuthentication.call(
		context,
		authentication,
		options,
		ownCredentials(context, authentication, credentials),
	)) as Answer;
}

/** A field error of our own along the `cause` chain (n8n wraps what `authenticate` throws). */
function configurationError(error: unknown, depth = 0): OAuth2Error | undefined {
	if (typeof error !== 'object' || error === null || depth > 5) return undefined;
	if (error instanceof OAuth2Error) return error.kind === 'configuration' ? error : undefined;
	return configurationError((error as { cause?: unknown }).cause, depth + 1);
}

type Answer = { statusCode: number; body: unknown; headers?: Record<string, unknown> };
type Exchanged = { response: Answer; tokenFailure?: undefined } | { response?: undefined; tokenFailure: unknown };

export async function cybersourceApiRequest(this: ApiContext, itemIndex: number, request: ApiRequest): Promise<ApiResponse> {
	if (!request.path.startsWith('/')) {
		throw invalidInput(this.getNode(), `Path: "${request.path}" must start with "/" (a path on the API host, not a full URL).`, itemIndex);
	}
	const authentication = authenticationOf(this);
	// A fresh copy per request, as n8n's helpers read it: a refresh token stored by another
	// execution or process since the last request is picked up.
	const read = async () => await credentialsOf(this, authentication, itemIndex);
	const outgoing = { ...request, url: `${await apiHost(this)}${request.path}`, timeoutSeconds: timeoutOf(this, itemIndex) };
	/**
	 * One exchange. A token failure comes back as a value (nothing was sent); any other failure
	 * is a request that got no answer, which may have been processed.
	 */
	const send = async (credentials: ICredentialDataDecryptedObject): Promise<Exchanged> => {
		try {
			return { response: await exchange(this, authentication, credentials, outgoing) };
		} catch (error) {
			const tokenFailure = tokenFailureOf(credentials);
			if (tokenFailure !== undefined) return { tokenFailure };
			// A field the credential's authenticate refused (it runs before anything is sent).
			const refused = configurationError(error);
			if (refused !== undefined) throw asNodeError(this.getNode(), refused, itemIndex);
			throw noAnswer(this.getNode(), error, itemIndex, {
				method: request.method,
				timeoutSeconds: outgoing.timeoutSeconds,
				merchantTransactionId: request.moneyMove,
			});
		}
	};
	const answer = (exchanged: Exchanged) => {
		if (exchanged.response === undefined) throw asNodeError(this.getNode(), exchanged.tokenFailure, itemIndex);
		return exchanged.response;
	};
	let credentials: ICredentialDataDecryptedObject;
	try {
		credentials = await read();
	} catch (error) {
		throw asNodeError(this.getNode(), error, itemIndex);
	}
	let exchanged = await send(credentials);
	if (exchanged.tokenFailure !== undefined && authentication === CYBERSOURCE_TYPE) {
		// Only a refused refresh token is worth a second try (nothing was sent yet).
		const newer = await newerStoredRefreshToken(exchanged.tokenFailure, read);
		if (newer !== undefined) {
			credentials = newer;
			exchanged = await send(credentials);
		}
	}
	let response = answer(exchanged);
	// A merchant key signs every request afresh: there is no token to renew, so no resend.
	if (response.statusCode === 401 && authentication !== MERCHANT_TYPE) {
		// The token was refused (revoked, or expired early): once more with a new token and a
		// fresh copy of the credential (a refresh token stored meanwhile is picked up).
		dropSentToken(credentials);
		try {
			credentials = await read();
		} catch (error) {
			throw asNodeError(this.getNode(), error, itemIndex);
		}
		response = answer(await send(credentials));
	}
	if (authentication === MERCHANT_TYPE) {
		// Message-level encryption: an answer (success or error) that came encrypted is read decrypted.
		try {
			response = { ...response, body: merchantAnswer(credentials, response.body) };
		} catch (error) {
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	if (request.moneyMove !== undefined && refusedAsDuplicate(response.statusCode, response.body)) {
		throw alreadySent(this.getNode(), request.moneyMove, itemIndex);
	}
	if (request.file !== undefined) {
		const raw = response.body;
		const bytes = Buffer.isBuffer(raw) ? raw : typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(JSON.stringify(raw ?? ''));
		if (response.statusCode >= 400) throw apiError(this.getNode(), response.statusCode, jsonOf(bytes), itemIndex);
		return { statusCode: response.statusCode, body: {}, headers: headersOf(response.headers), file: bytes };
	}
	if (response.statusCode >= 400) throw apiError(this.getNode(), response.statusCode, response.body, itemIndex);
	const body = typeof response.body === 'object' && response.body !== null ? (response.body as IDataObject | IDataObject[]) : {};
	return { statusCode: response.statusCode, body, headers: headersOf(response.headers) };
}

/** An error answer to a file request, read as JSON when it is (Cybersource's errors are). */
function jsonOf(bytes: Buffer): unknown {
	try {
		return JSON.parse(bytes.toString('utf8')) as unknown;
	} catch {
		return { message: bytes.toString('utf8', 0, 300) };
	}
}

function headersOf(raw: Record<string, unknown> | undefined): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw ?? {})) {
		if (typeof value === 'string') headers[name.toLowerCase()] = value;
		else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
	}
	return headers;
}
