import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

import { signJwt } from './jwtAssertion';

/**
 * The server side of the client credentials grant (RFC 6749 §4.4), for a receiver that lets a
 * caller (Cybersource's webhook sender) fetch a bearer token before it delivers. n8n-free.
 *
 * Tokens are self-contained: an HS256 JWT over `aud` (the resource it is for), `iat`, `exp` and
 * `jti`, keyed by a key derived from the client secret, so that every process holding the same
 * client can verify a token without shared memory, and a token for one resource is refused by
 * another.
 */
export interface IssuerClient {
	clientId: string;
	clientSecret: string;
}

export interface TokenRequestIn {
	/** The Content-Type header, as received. */
	contentType: string | undefined;
	/** The Authorization header, as received. */
	authorization: string | undefined;
	/** The form body, parsed (`application/x-www-form-urlencoded`). */
	form: Record<string, unknown>;
}

export interface TokenAnswer {
	status: number;
	headers: Record<string, string>;
	body: Record<string, unknown>;
}

/** Lifetime of an issued token (short: Cybersource fetches one before each delivery). */
export const ISSUED_TOKEN_SECONDS = 300;
const TOKEN_KEY_LABEL = 'n8n-nodes-cybersource webhook bearer token v1';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** The token signing key: derived from the client secret (never the secret itself). */
export function tokenSigningKey(client: IssuerClient): Buffer {
	return createHmac('sha256', client.clientSecret).update(`${TOKEN_KEY_LABEL}\n${client.clientId}`).digest();
}

function sameText(a: string, b: string): boolean {
	// Hash first: equal lengths for timingSafeEqual, and no length leak.
	const left = createHash('sha256').update(a).digest();
	const right = createHash('sha256').update(b).digest();
	return timingSafeEqual(left, right) && a === b;
}

function oauthError(status: number, error: string, description: string, extraHeaders: Record<string, string> = {}): TokenAnswer {
	return { status, headers: { ...NO_STORE, ...extraHeaders }, body: { error, error_description: description } };
}

/** RFC 6749 §2.3.1: Basic with form-urlencoded id and secret. */
function basicCredentials(authorization: string): { id: string; secret: string } | undefined {
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	try {
		return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
	} catch {
		return undefined;
	}
}

function single(form: Record<string, unknown>, name: string): string | undefined | null {
	const value = form[name];
	if (value === undefined) return undefined;
	return typeof value === 'string' ? value : null; // null: repeated (RFC 6749 §3.2: parameters MUST NOT repeat)
}

/**
 * Answers one token request: client authentication by Basic header or by `client_id` and
 * `client_secret` in the form body (not both, RFC 6749 §2.3), `grant_type=client_credentials`.
 */
export function answerTokenRequest(request: TokenRequestIn, client: IssuerClient, audience: string, now = Date.now()): TokenAnswer {
	const realm = { 'www-authenticate': 'Basic realm="cybersource-webhook", charset="UTF-8"' };
	const mediaType = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
	if (mediaType !== 'application/x-www-form-urlencoded') {
		return oauthError(400, 'invalid_request', 'The token request must be a form (application/x-www-form-urlencoded).');
	}
	const names = ['grant_type', 'client_id', 'client_secret', 'scope'];
	const repeated = names.find((name) => single(request.form, name) === null);
	if (repeated) return oauthError(400, 'invalid_request', `The parameter ${repeated} is repeated.`);
	const grantType = single(request.form, 'grant_type');
	const bodyId = single(request.form, 'client_id');
	const bodySecret = single(request.form, 'client_secret');
	const basic = request.authorization ? basicCredentials(request.authorization) : undefined;
	if (request.authorization && !basic) return oauthError(401, 'invalid_client', 'Client authentication failed.', realm);
	if (basic && bodySecret !== undefined) return oauthError(400, 'invalid_request', 'Use one client authentication method: Basic or the form body, not both.');
	if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is missing.');
	if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported.');
	const id = basic ? basic.id : bodyId;
	const secret = basic ? basic.secret : bodySecret;
	if (basic && bodyId !== undefined && bodyId !== basic.id) return oauthError(400, 'invalid_request', 'client_id does not match the authenticated client.');
	if (id === undefined || id === null || secret === undefined || secret === null) {
		return oauthError(401, 'invalid_client', 'Client authentication is missing.', realm);
	}
	const idOk = sameText(id, client.clientId);
	const secretOk = sameText(secret, client.clientSecret);
	if (!idOk || !secretOk) return oauthError(401, 'invalid_client', 'Client authentication failed.', realm);
	const iat = Math.floor(now / 1000);
	const accessToken = signJwt(
		{ typ: 'JWT' },
		{ aud: audience, sub: client.clientId, iat, exp: iat + ISSUED_TOKEN_SECONDS, jti: randomUUID() },
		'HS256',
		tokenSigningKey(client),
	);
	return { status: 200, headers: NO_STORE, body: { access_token: accessToken, token_type: 'Bearer', expires_in: ISSUED_TOKEN_SECONDS } };
}

export type BearerProblem = 'missing' | 'malformed' | 'signature' | 'expired' | 'audience';

/** Checks `Authorization: Bearer <token>` against tokens this issuer signs for `audience`. */
export function verifyBearerToken(authorization: string | undefined, client: IssuerClient, audience: string, now = Date.now()): { ok: true } | { ok: false; problem: BearerProblem } {
	if (!authorization) return { ok: false, problem: 'missing' };
	const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\s*$/i.exec(authorization);
	if (!match) return { ok: false, problem: 'malformed' };
	const [, header, claims, signature] = match;
	const expected = createHmac('sha256', tokenSigningKey(client)).update(`${header}.${claims}`).digest();
	const received = Buffer.from(signature, 'base64url');
	if (received.length !== expected.length || !timingSafeEqual(received, expected)) return { ok: false, problem: 'signature' };
	let parsedHeader: unknown;
	let parsedClaims: unknown;
	try {
		parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
		parsedClaims = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
	} catch {
		return { ok: false, problem: 'malformed' };
	}
	if (!isObject(parsedHeader) || parsedHeader.alg !== 'HS256' || !isObject(parsedClaims)) return { ok: false, problem: 'malformed' };
	if (parsedClaims.aud !== audience) return { ok: false, problem: 'audience' };
	const exp = parsedClaims.exp;
	if (typeof exp !== 'number' || exp * 1000 <= now) return { ok: false, problem: 'expired' };
	return { ok: true };
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
