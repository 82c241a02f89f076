import { OAuth2Error } from './errors';
import { ANSWER_TOO_LARGE, type HttpRequest, type SendHttpRequest } from './http';
import { classifyNetworkFailure } from './networkFailure';
import { buildTokenRequest, type TokenRequestOptions } from './tokenRequest';
import { processTokenResponse, type TokenSet } from './tokenResponse';

const NETWORK_HINTS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused; check the host and port of the URL and that the server is running',
	ENOTFOUND: 'the host name could not be resolved; check the URL',
	EAI_AGAIN: 'the host name could not be resolved right now; check the URL and DNS',
	ECONNRESET: 'the server closed the connection; if it demands a client certificate, check the certificate fields',
	EHOSTUNREACH: 'the host is unreachable; check the URL and the network',
	EPROTO: 'the TLS handshake failed; check that the URL uses the right protocol and port',
	CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
	DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed and not trusted; add its CA certificate",
	SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is not trusted; add its CA certificate",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified; add its CA certificate",
	ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match the host name of the URL",
};


interface CodedError {
	code: string;
	/** With ANSWER_TOO_LARGE: the answer's status, and the OAuth error code its first bytes carried. */
	httpStatus?: unknown;
	oauthError?: unknown;
}

/** The first error with a code along the `cause` chain (n8n wraps the HTTP library's error). */
function codedError(error: unknown): CodedError | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const record = error as { code?: unknown; cause?: unknown };
	if (typeof record.code === 'string') return record as CodedError;
	return codedError(record.cause);
}

/**
 * Maps a request that got no answer to an OAuth2Error. Only the error code is used: the
 * HTTP library's own message and config may carry the request, and with it the secret.
 */
export function noAnswerError(error: unknown, request: HttpRequest, endpoint = 'The token endpoint', secrets: readonly string[] = []): OAuth2Error {
	const coded = codedError(error);
	const failure = classifyNetworkFailure(error);
	const code = failure.code;
	const host = new URL(request.url).host;
	if (failure.kind === 'timed-out') {
		return new OAuth2Error(
			'timeout',
			`${endpoint} (${host}) did not answer within ${request.timeoutMs / 1000} s. Check the URL, or try again when the server is less busy.`,
		);
	}
	if (code === ANSWER_TOO_LARGE) {
		const kb = Math.round((request.maxAnswerBytes ?? 0) / 1024);
		const status = typeof coded?.httpStatus === 'number' ? coded.httpStatus : undefined;
		// A server may echo anything as its error code: one that holds a secret is not named.
		const echoed = typeof coded?.oauthError === 'string' ? coded.oauthError : undefined;
		const oauthError = echoed !== undefined && secrets.some((secret) => secret !== '' && echoed.includes(secret)) ? undefined : echoed;
		const what = [status !== undefined ? `HTTP ${status}` : undefined, oauthError !== undefined ? `OAuth error "${oauthError}"` : undefined].filter(Boolean).join(', ');
		return new OAuth2Error(
			'invalid_response',
			`${endpoint} (${host}) sent an answer${what ? ` (${what})` : ''} larger than ${kb} KB, far more than a token answer (a few KB); it was not read further. Check the Token URL${oauthError !== undefined ? ` and what "${oauthError}" means for this request` : ''}.`,
			{ httpStatus: status, oauthError },
		);
	}
	if (failure.kind === 'cut-off') {
		return new OAuth2Error('network', `${endpoint} (${host}) cut its answer off before it was complete (the connection closed mid-answer). Try again; if it keeps happening, the server or a proxy in between is failing.`);
	}
	// The code is named only when no hint explains it: n8n's NodeApiError replaces any message
	// containing a common code (ECONNREFUSED, ...) with a generic sentence.
	const hint = code !== undefined ? NETWORK_HINTS[code] : undefined;
	const cause = hint ?? `check the URL and the network${code ? ` (${code})` : ''}`;
	// "The token endpoint" reads "the token endpoint" mid-sentence; a product name keeps its capital.
	const name = endpoint.startsWith('The ') ? `the ${endpoint.slice(4)}` : endpoint;
	return new OAuth2Error('network', `Could not reach ${name} (${host}): ${cause}.`);
}

/**
 * One token request, end to end: build (validating every input before anything is sent),
 * send, and process the answer.
 */
export async function requestToken(
	options: TokenRequestOptions,
	send: SendHttpRequest,
	context: { endpoint?: string; hints?: Record<string, string>; secrets?: readonly string[] } = {},
): Promise<TokenSet> {
	const request = await buildTokenRequest(options);
	let response;
	try {
		response = await send(request);
	} catch (error) {
		throw noAnswerError(error, request, context.endpoint, [...options.clientAuthentication.secrets, ...(context.secrets ?? [])]);
	}
	return processTokenResponse(response, {
		secrets: [...options.clientAuthentication.secrets, ...(context.secrets ?? [])],
		endpoint: context.endpoint,
		hints: context.hints,
	});
}
