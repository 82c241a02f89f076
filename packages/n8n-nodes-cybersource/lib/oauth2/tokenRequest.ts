import type { ClientAuthentication, TokenRequestDraft } from './clientAuthentication';
import { validateCustomParameters, type CustomParameter } from './customParameters';
import { fieldError } from './errors';
import type { HttpRequest } from './http';

export type TokenContentType = 'application/x-www-form-urlencoded' | 'application/json';

export const FORM_CONTENT_TYPE: TokenContentType = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE: TokenContentType = 'application/json';
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;
/** A token answer is a few KB (a JWT access token with many claims and a refresh token: under 10 KB). */
export const MAX_TOKEN_ANSWER_BYTES = 256 * 1024;

export interface TokenRequestOptions {
	tokenUrl: string;
	/** RFC 6749 §4.4.2 `client_credentials`, §6 `refresh_token`, §4.1.3 `authorization_code`. */
	grantType: string;
	/** Grant parameters (scope, resource, refresh_token, ...), in order; keys may repeat. */
	parameters?: Array<[string, string]>;
	clientAuthentication: ClientAuthentication;
	contentType?: TokenContentType;
	customParameters?: readonly CustomParameter[];
	/** Keys a credential sets itself and a custom parameter may therefore not use. */
	reservedKeys?: readonly string[];
	/** Headers of the grant itself (e.g. a correlation id). */
	headers?: Record<string, string>;
	timeoutMs?: number;
}

/** The token endpoint must be an absolute http(s) URL without a fragment (RFC 6749 §3.2). */
export function validateTokenUrl(tokenUrl: string, field = 'Token URL'): URL {
	if (typeof tokenUrl !== 'string' || tokenUrl.trim() === '') {
		throw fieldError(field, 'is empty. Enter the full URL of the token endpoint, e.g. https://auth.example.com/oauth/token.');
	}
	let url: URL;
	try {
		url = new URL(tokenUrl.trim());
	} catch {
		throw fieldError(field, `"${tokenUrl}" is not a valid URL. Enter the full URL, starting with https://.`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw fieldError(field, `must start with https:// (or http:// for a local server), not ${url.protocol}//.`);
	}
	if (url.hash !== '') {
		throw fieldError(field, 'must not contain a fragment (#...); the token endpoint URI has none (RFC 6749 §3.2).');
	}
	if (url.username !== '' || url.password !== '') {
		throw fieldError(field, 'must not contain a user name or password; enter them as Client ID and Client Secret.');
	}
	return url;
}

/**
 * RFC 8707 §2: each resource is an absolute URI without a fragment; several may be given.
 * The field takes them separated by spaces or new lines (a URI holds no whitespace).
 */
export function parseResources(text: string | undefined, field = 'Resource'): string[] {
	const resources = (text ?? '').split(/\s+/).filter((r) => r !== '');
	for (const resource of resources) {
		let url: URL;
		try {
			url = new URL(resource);
		} catch {
			throw fieldError(field, `"${resource}" is not an absolute URI (e.g. https://api.example.com/). Separate several with spaces.`);
		}
		if (url.hash !== '') {
			throw fieldError(field, `"${resource}" must not contain a fragment (#...) (RFC 8707 §2).`);
		}
	}
	return resources;
}

export interface ClientCredentialsOptions {
	scope?: string;
	resource?: string;
	audience?: string;
}

/** Grant parameters of the client credentials grant (RFC 6749 §4.4.2, RFC 8707 §2). */
export function clientCredentialsParameters(options: ClientCredentialsOptions): Array<[string, string]> {
	const parameters: Array<[string, string]> = [];
	const scope = (options.scope ?? '').trim().split(/\s+/).filter((s) => s !== '').join(' ');
	if (scope !== '') parameters.push(['scope', scope]);
	for (const resource of parseResources(options.resource)) parameters.push(['resource', resource]);
	const audience = (options.audience ?? '').trim();
	if (audience !== '') parameters.push(['audience', audience]);
	return parameters;
}

function jsonBody(entries: Array<[string, string]>): string {
	// No prototype: keys such as __proto__, constructor or toString are ordinary members here.
	const body = Object.create(null) as Record<string, string | string[]>;
	for (const [key, value] of entries) {
		const existing = body[key];
		if (existing === undefined) body[key] = value;
		else body[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return JSON.stringify(body);
}

/**
 * Builds the token request: validates every input first (nothing is sent when one is wrong),
 * then lays out grant parameters, custom parameters in their places, and client authentication.
 */
export async function buildTokenRequest(options: TokenRequestOptions): Promise<HttpRequest> {
	const url = validateTokenUrl(options.tokenUrl);
	const custom = options.customParameters ?? [];
	validateCustomParameters(custom, options.reservedKeys);
	const contentType = options.contentType ?? FORM_CONTENT_TYPE;
	if (contentType !== FORM_CONTENT_TYPE && contentType !== JSON_CONTENT_TYPE) {
		throw fieldError('Content Type', `must be ${FORM_CONTENT_TYPE} or ${JSON_CONTENT_TYPE}.`);
	}

	const draft: TokenRequestDraft = {
		tokenUrl: url.toString(),
		headers: Object.create(null) as Record<string, string>,
		body: [['grant_type', options.grantType], ...(options.parameters ?? [])],
	};
	for (const parameter of custom) {
		if (parameter.sendAs === 'body') draft.body.push([parameter.key, parameter.value]);
		else if (parameter.sendAs === 'query') url.searchParams.append(parameter.key, parameter.value);
		else {
			const existing = Object.keys(draft.headers).find((h) => h.toLowerCase() === parameter.key.toLowerCase());
			if (existing === undefined) draft.headers[parameter.key] = parameter.value;
			else draft.headers[existing] = `${draft.headers[existing]}, ${parameter.value}`;
		}
	}
	Object.assign(draft.headers, options.headers);
	// Client authentication last, so that no custom parameter can overwrite it.
	await options.clientAuthentication.apply(draft);

	return {
		method: 'POST',
		url: url.toString(),
		headers: { ...draft.headers, 'Content-Type': contentType, Accept: 'application/json' },
		body: contentType === JSON_CONTENT_TYPE ? jsonBody(draft.body) : new URLSearchParams(draft.body).toString(),
		timeoutMs: options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS,
		maxAnswerBytes: MAX_TOKEN_ANSWER_BYTES,
	};
}
