import { OAuth2Error, redact, serverText } from './errors';
import { headerValue, type HttpResponse } from './http';

/** A successful token response (RFC 6749 §5.1), normalized. */
export interface TokenSet {
	accessToken: string;
	/** Lower-cased; `bearer` when the server omitted it. */
	tokenType: string;
	/** Seconds, when the server said; undefined when it did not (or said nonsense). */
	expiresIn?: number;
	refreshToken?: string;
	scope?: string;
	/** Every other member of the answer (e.g. Cybersource's `client_status`). */
	extra: Record<string, unknown>;
}

/** RFC 6749 §5.2 error codes, and what the user should check for each. */
const OAUTH_ERROR_HINTS: Record<string, string> = {
	invalid_client:
		'Check the Client ID and Client Secret, and whether the server expects them in the body or in a Basic header (Client Authentication).',
	unauthorized_client: 'The client is not allowed to use this grant; enable the client credentials grant for it on the server.',
	invalid_scope: 'Check the Scope: the server does not know it or does not grant it to this client.',
	invalid_target: 'Check the Resource: the server does not know it or does not grant it to this client (RFC 8707).',
	invalid_grant: 'The grant is invalid, expired or revoked; obtain a new one.',
	unsupported_grant_type: 'The server does not support this grant type at this endpoint; check the Token URL.',
	invalid_request:
		'The server found the request malformed: check the Content Type, Custom Parameters and that the Token URL is the token endpoint.',
	access_denied: 'The server refused access to this client.',
	server_error: 'The authorization server failed; try again later.',
	temporarily_unavailable: 'The authorization server is busy or down; try again later.',
};

export function oauthErrorHint(code: string): string | undefined {
	return OAUTH_ERROR_HINTS[code];
}

const SNIPPET_LENGTH = 200;

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	return JSON.stringify(body);
}

function parseBody(response: HttpResponse): { json?: Record<string, unknown>; text: string } {
	if (typeof response.body === 'object' && response.body !== null && !Buffer.isBuffer(response.body) && !(response.body instanceof ArrayBuffer)) {
		return { json: response.body as Record<string, unknown>, text: bodyText(response.body) };
	}
	const text = bodyText(response.body);
	const trimmed = text.trim();
	if (trimmed.startsWith('{')) {
		try {
			const parsed: unknown = JSON.parse(trimmed);
			if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
				return { json: parsed as Record<string, unknown>, text };
			}
		} catch {
			// Not JSON after all; reported below as a non-JSON answer.
		}
	}
	const contentType = headerValue(response.headers, 'content-type') ?? '';
	if (contentType.includes('application/x-www-form-urlencoded')) {
		// Some servers (GitHub's legacy endpoint) answer form-encoded.
		return { json: Object.fromEntries(new URLSearchParams(trimmed)), text };
	}
	return { text };
}

function describeNonJson(text: string, contentType: string): string {
	const trimmed = text.trim();
	if (trimmed === '') return 'an empty body';
	if (contentType.includes('html') || /^<(!doctype|html)/i.test(trimmed)) {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed.slice(0, 10_000))?.[1]?.trim();
		return `an HTML page${title ? ` ("${serverText(title, 80)}")` : ''} instead of JSON`;
	}
	return `a non-JSON body ("${serverText(trimmed, SNIPPET_LENGTH)}")`;
}

/** ` Retry after N s.` from a Retry-After header (seconds or an HTTP date, RFC 9110 §10.2.3). */
function retryAfter(response: HttpResponse): string | undefined {
	const value = headerValue(response.headers, 'retry-after')?.trim();
	if (!value) return undefined;
	const seconds = /^\d+$/.test(value) ? Number(value) : Math.ceil((Date.parse(value) - Date.now()) / 1000);
	if (!Number.isFinite(seconds)) return undefined;
	return seconds <= 0 ? ' It says you may retry now.' : ` It asks to retry after ${seconds} s.`;
}

function rateLimited(response: HttpResponse): string {
	return `The server is rate limiting token requests (HTTP 429).${retryAfter(response) ?? ' Wait a moment before the next run.'} The credential and its fields are fine as far as this answer tells.`;
}

function parseExpiresIn(value: unknown): number | undefined {
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
	return seconds;
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Turns the token endpoint's answer into a TokenSet, or throws an OAuth2Error that says what
 * happened. `secrets` are redacted from every message (a server may echo what it was sent);
 * a 2xx body is never quoted, since it may hold a token.
 */
export function processTokenResponse(
	response: HttpResponse,
	context: { secrets: readonly (string | undefined)[]; endpoint?: string; hints?: Record<string, string> },
): TokenSet {
	const endpoint = context.endpoint ?? 'The token endpoint';
	const clean = (text: string) => redact(text, context.secrets);
	const { json, text } = parseBody(response);
	const status = response.status;
	const contentType = headerValue(response.headers, 'content-type') ?? '';

	if (json !== undefined && typeof json.error === 'string' && json.error !== '') {
		// Redacted before it is shortened, so that no cut leaves part of a secret behind.
		const code = serverText(clean(json.error), 100);
		const description = optionalString(json.error_description) && serverText(clean(json.error_description as string));
		const uri = optionalString(json.error_uri) && serverText(clean(json.error_uri as string), 200);
		const hint = context.hints?.[code] ?? oauthErrorHint(code);
		const message = [
			`${endpoint} refused the token request (HTTP ${status}, ${code}${description ? `: ${description}` : ''}).`,
			status === 429 ? rateLimited(response) : hint,
			uri ? `See ${uri}.` : undefined,
		]
			.filter((part) => part !== undefined)
			.join(' ');
		throw new OAuth2Error('oauth', clean(message), {
			httpStatus: status,
			oauthError: code,
			errorDescription: description,
			errorUri: uri,
		});
	}

	if (status < 200 || status > 299) {
		const what = json !== undefined ? `a JSON body without an OAuth "error" (${serverText(clean(text), SNIPPET_LENGTH)})` : describeNonJson(clean(text), contentType);
		const hint =
			status === 429
				? rateLimited(response)
				: status === 404 || status === 405
					? 'Check the Token URL: it should point at the token endpoint.'
					: status >= 500
						? `The server failed; try again later, or ask its operator.${retryAfter(response) ?? ''}`
						: 'Check the Token URL and the credential fields.';
		throw new OAuth2Error('http', clean(`${endpoint} answered HTTP ${status} with ${what}. ${hint}`), { httpStatus: status });
	}

	if (json === undefined) {
		// Never quote a 2xx body: it may be a token in a format we do not understand.
		const what = text.trim() === '' ? 'an empty body' : contentType.includes('html') ? 'an HTML page' : `a non-JSON body (${contentType || 'no content type'})`;
		throw new OAuth2Error(
			'invalid_response',
			`${endpoint} answered HTTP ${status} with ${what} instead of a JSON token response. Check the Token URL: it should point at the token endpoint, not a login page.`,
			{ httpStatus: status },
		);
	}

	const accessToken = json.access_token;
	if (typeof accessToken !== 'string' || accessToken === '') {
		throw new OAuth2Error(
			'invalid_response',
			`${endpoint} answered HTTP ${status} without an "access_token" (RFC 6749 §5.1). Check the Token URL, the grant and the server's client configuration.`,
			{ httpStatus: status },
		);
	}
	const rawType = json.token_type;
	const tokenType = typeof rawType === 'string' && rawType.trim() !== '' ? rawType.trim().toLowerCase() : 'bearer';
	if (tokenType !== 'bearer') {
		throw new OAuth2Error(
			'invalid_response',
			`${endpoint} issued a token of type "${clean(String(rawType))}"; only Bearer tokens (RFC 6750) can be sent by this credential.`,
			{ httpStatus: status },
		);
	}

	const { expires_in: expiresIn, refresh_token: refreshToken, scope, ...rest } = json;
	delete rest.access_token;
	delete rest.token_type;
	return {
		accessToken,
		tokenType,
		expiresIn: parseExpiresIn(expiresIn),
		refreshToken: optionalString(refreshToken),
		scope: optionalString(scope),
		extra: smallMembers(rest),
	};
}

const MAX_EXTRA_MEMBERS = 20;
const MAX_EXTRA_STRING = 1024;

/**
 * The other members of a token answer worth keeping with a cached token (Cybersource's
 * `client_status`, `refresh_token_expires_in`): numbers, booleans and short strings, a few of
 * them. A server that pads its answer does not make every cached token large.
 */
function smallMembers(members: Record<string, unknown>): Record<string, unknown> {
	const kept: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(members)) {
		if (Object.keys(kept).length >= MAX_EXTRA_MEMBERS) break;
		const small = typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= MAX_EXTRA_STRING);
		if (small && key !== '__proto__') kept[key] = value;
	}
	return kept;
}
