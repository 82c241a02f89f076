import { createHash, createHmac, randomUUID, type KeyObject } from 'node:crypto';

import { signJwt } from '../oauth2/jwtAssertion';

/**
 * Cybersource's merchant-key authentication (../shared/DESIGN.md §4; cybersource-rest-client-node
 * src/authentication/http and /jwt): every request signed afresh with the merchant's REST key.
 * n8n-free: given what will be sent, it returns the headers to add.
 */
export interface SignedRequest {
	/** Lower or upper case; sent as it is, signed in lower case. */
	method: string;
	/** `host[:port]` as sent in the Host header. */
	host: string;
	/** Path with its query string, exactly as sent (`/pts/v2/payments?x=1`). */
	pathWithQuery: string;
	/** The exact body bytes sent (POST, PUT, PATCH); undefined for none. */
	body?: string;
}

/** Methods whose body is signed (`digest`); GET and DELETE carry none. */
export function hasSignedBody(method: string): boolean {
	return ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase());
}

/** `SHA-256=<base64 of SHA-256 over the body bytes>`. */
export function bodyDigest(body: string): string {
	return `SHA-256=${createHash('sha256').update(body, 'utf8').digest('base64')}`;
}

export interface HttpSignatureKey {
	merchantId: string;
	keyId: string;
	/** The base64-decoded shared secret. */
	secret: Buffer;
}

/**
 * HTTP Signature: `v-c-merchant-id`, `date` (RFC 7231, the same value that is signed), `host`,
 * `digest` for a body, and `signature` = HMAC-SHA256 with the decoded secret over the lines
 * `name: value` of the listed headers joined by `\n` (`request-target: <method> <path?query>`).
 */
export function httpSignatureHeaders(key: HttpSignatureKey, request: SignedRequest, date: string = new Date().toUTCString()): Record<string, string> {
	const withBody = hasSignedBody(request.method);
	const digest = withBody ? bodyDigest(request.body ?? '') : undefined;
	const lines = [
		`host: ${request.host}`,
		`date: ${date}`,
		`request-target: ${request.method.toLowerCase()} ${request.pathWithQuery}`,
		...(digest !== undefined ? [`digest: ${digest}`] : []),
		`v-c-merchant-id: ${key.merchantId}`,
	];
	const signature = createHmac('sha256', key.secret).update(lines.join('\n'), 'utf8').digest('base64');
	const names = withBody ? 'host date request-target digest v-c-merchant-id' : 'host date request-target v-c-merchant-id';
	return {
		'v-c-merchant-id': key.merchantId,
		date,
		host: request.host,
		...(digest !== undefined ? { digest } : {}),
		signature: `keyid="${key.keyId}", algorithm="HmacSHA256", headers="${names}", signature="${signature}"`,
	};
}

export type MerchantJwtKey =
	| { merchantId: string; algorithm: 'RS256'; privateKey: KeyObject; /** serialNumber of the certificate's subject */ keyId: string }
	| { merchantId: string; algorithm: 'HS256'; secret: Buffer; keyId: string };

/** Lifetime of a request JWT, as the SDK sets it. */
export const MERCHANT_JWT_LIFETIME_SECONDS = 120;

/**
 * JWT (SDK v2): `Authorization: Bearer <JWT>` with header `kid`, and claims `iat`, `exp`, `jti`,
 * `iss` = merchant, `v-c-merchant-id`, `v-c-jwt-version: "2"`, `request-host`,
 * `request-resource-path` (the path with its query, as sent: both SDKs' newest versions, Node
 * 0.0.83 and Python), `request-method` (lower case), and for a body `digest` (base64 SHA-256, no
 * prefix) with `digest-algorithm: SHA-256` (the Node SDK's spelling; the guide and the Python SDK
 * write `digestAlgorithm`, and Cybersource accepts both SDKs). With response MLE,
 * `v-c-response-mle-kid`.
 */
export function merchantJwtHeaders(
	key: MerchantJwtKey,
	request: SignedRequest,
	nowSeconds = Math.floor(Date.now() / 1000),
	/** Asks Cybersource to encrypt its answer to this REST - API Response MLE key (claim `v-c-response-mle-kid`). */
	responseMleKid?: string,
): Record<string, string> {
	const claims: Record<string, unknown> = {};
	if (hasSignedBody(request.method)) {
		claims.digest = bodyDigest(request.body ?? '').slice('SHA-256='.length);
		claims['digest-algorithm'] = 'SHA-256';
	}
	Object.assign(claims, {
		iat: nowSeconds,
		exp: nowSeconds + MERCHANT_JWT_LIFETIME_SECONDS,
		'request-host': request.host,
		'request-resource-path': request.pathWithQuery,
		'request-method': request.method.toLowerCase(),
		iss: key.merchantId,
		jti: randomUUID(),
		'v-c-jwt-version': '2',
		'v-c-merchant-id': key.merchantId,
	});
	if (responseMleKid !== undefined) claims['v-c-response-mle-kid'] = responseMleKid;
	const jwt = signJwt({ kid: key.keyId, typ: 'JWT' }, claims, key.algorithm, key.algorithm === 'RS256' ? key.privateKey : key.secret);
	return { 'v-c-merchant-id': key.merchantId, Authorization: `Bearer ${jwt}` };
}
