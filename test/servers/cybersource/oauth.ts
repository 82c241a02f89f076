import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

import { submitTimeUtc, type ApiResult } from './http';
import {
	AUTHORIZATION_CODE_TTL_SECONDS,
	DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_MERCHANT_ID,
	DEFAULT_SCOPE,
	REFRESH_TOKEN_TTL_SECONDS,
} from './testValues';

/**
 * Cybersource's partner OAuth token endpoint `POST /oauth2/v3/token` and the bearer-token check
 * of the API endpoints (seed 001; DESIGN §4).
 *
 * Error codes: every failure is HTTP 500 with `{error, error_description}` naming one of the
 * codes of seed 001's table. The table has no `invalid_grant`, so:
 *  - unknown, malformed, expired, already used or rotated authorization code / refresh token, or
 *    one issued to another client  -> `invalid_request` ("includes an invalid parameter value");
 *  - refresh token or code of a merchant who revoked the partner's permission -> `access_denied`
 *    ("the resource owner ... denied the request"; seed 001 "Revoking Permissions");
 *  - missing parameter, duplicate parameter, parameters in the URL, wrong content type,
 *    missing or unsupported `grant_type` -> `invalid_request`;
 *  - malformed `client_id` -> `invalid_client`; well-formed but unknown -> `client_not_found`;
 *    wrong secret -> `invalid_client`; public client -> `invalid_client_type`; inactive partner
 *    -> `client_not_active`; inactive merchant -> `merchant_not_active`; `scope` outside the
 *    granted scope -> `invalid_scope`.
 */

export const TOKEN_ERROR_CODES = [
	'access_denied',
	'server_error',
	'invalid_scope',
	'invalid_client',
	'invalid_request',
	'unauthorized_client',
	'invalid_redirect_uri',
	'client_not_found',
	'invalid_client_type',
	'merchant_not_active',
	'client_not_active',
] as const;
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

export interface SandboxClient {
	clientId: string;
	clientSecret: string;
	/** Default true; false answers `client_not_active`. */
	active?: boolean;
	/** Cybersource supports only confidential clients; `public` answers `invalid_client_type`. */
	clientType?: 'confidential' | 'public';
}

export interface TokenServiceOptions {
	accessTokenTtlSeconds?: number;
	/** How long a refresh token keeps working after it was rotated (default 0: dies at once). */
	refreshTokenGraceSeconds?: number;
	clients?: SandboxClient[];
	merchants?: string[];
	scope?: string;
}

/** A token request as received, for assertions (`lastTokenRequest()`). Headers are lower-cased by node. */
export interface RecordedTokenRequest {
	method: string;
	/** The raw query string after `?`, '' when none. */
	query: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body, exactly as sent (secrets included: this is a test server). */
	body: string;
	correlationId: string | undefined;
}

/** Who a token was issued to. */
export interface Grant {
	clientId: string;
	merchantId: string;
	scope: string;
}

interface ExpiringGrant extends Grant {
	/** Issue order (a counter, not a clock: two grants in one millisecond stay ordered). */
	serial: number;
	expiresAt: number;
}

interface RefreshTokenRecord extends ExpiringGrant {
	/** Set when a newer refresh token replaced this one; it then dies after the grace period. */
	rotatedAt?: number;
}

interface CodeRecord extends ExpiringGrant {
	used: boolean;
}

/** Result of checking an `Authorization: Bearer` header on an API request. */
export type BearerCheck =
	| { ok: true; grant: Grant }
	| { ok: false; reason: 'ACCESS_TOKEN_EXPIRED' | 'UNAUTHORIZED_PARTNER'; message: string };

export interface TokenStats {
	tokenRequests: number;
	tokenFailures: number;
	/** Token requests by `grant_type` as sent ('(none)' when missing), failures included. */
	byGrant: Record<string, number>;
	/** `v-c-client-correlation-id` of each token request in order; null when the header was absent. */
	correlationIds: Array<string | null>;
}

class TokenError extends Error {
	constructor(
		readonly code: TokenErrorCode,
		readonly description: string,
	) {
		super(`${code}: ${description}`);
	}
}

const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
/** Bound on the remembered correlation ids (token requests are few; this only caps a runaway test). */
const MAX_CORRELATION_IDS = 10_000;
/** Sweep expired access tokens once the table grows past this many entries. */
const ACCESS_TOKEN_SWEEP_THRESHOLD = 10_000;

const TOKEN_RESPONSE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export class TokenService {
	readonly accessTokenTtlSeconds: number;
	readonly clients: Map<string, Required<SandboxClient>>;
	readonly merchants: Map<string, { active: boolean }>;
	private readonly configuredClientStatus: Map<string, boolean>;
	private readonly scope: string;
	private readonly refreshGraceMs: number;
	private readonly signingKey = randomBytes(32);
	private readonly accessTokens = new Map<string, ExpiringGrant>();
	private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
	private readonly codes = new Map<string, CodeRecord>();
	/** Merchant id -> serial of the last grant issued before the merchant revoked the permission. */
	private readonly revocations = new Map<string, number>();
	private serial = 0;
	private forcedFailures: Array<{ code: TokenErrorCode; remaining: number }> = [];
	private last: RecordedTokenRequest | undefined;
	private stats: TokenStats = emptyTokenStats();

	constructor(
		options: TokenServiceOptions,
		private readonly now: () => number,
	) {
		this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
		if (!Number.isInteger(this.accessTokenTtlSeconds) || this.accessTokenTtlSeconds < 1) {
			throw new Error('accessTokenTtlSeconds must be a positive integer (expires_in is an integer)');
		}
		this.refreshGraceMs = (options.refreshTokenGraceSeconds ?? 0) * 1000;
		this.scope = options.scope ?? DEFAULT_SCOPE;
		const clients = options.clients ?? [{ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }];
		if (clients.length === 0 || (options.merchants && options.merchants.length === 0)) throw new Error('the sandbox needs at least one client and one merchant');
		this.clients = new Map(clients.map((client) => [client.clientId, { active: true, clientType: 'confidential', ...client }]));
		this.configuredClientStatus = new Map([...this.clients.values()].map((client) => [client.clientId, client.active]));
		const merchants = options.merchants ?? [DEFAULT_MERCHANT_ID];
		this.merchants = new Map(merchants.map((merchantId) => [merchantId, { active: true }]));
	}

	// ---- test controls -------------------------------------------------------------------------

	/** What the merchant's "Allow" click yields (seed 002): a code for `clientId`, valid 10 minutes, single use. */
	issueAuthorizationCode(merchantId: string, clientId: string): string {
		this.assertKnown(merchantId, clientId);
		const code = randomBytes(24).toString('base64url');
		const now = this.now();
		this.codes.set(code, { clientId, merchantId, scope: this.scope, serial: ++this.serial, expiresAt: now + AUTHORIZATION_CODE_TTL_SECONDS * 1000, used: false });
		return code;
	}

	/** A valid refresh token, as if the authorization-code exchange had happened (seeds a credential). */
	issueRefreshToken(merchantId: string, clientId: string): string {
		this.assertKnown(merchantId, clientId);
		return this.newRefreshToken({ clientId, merchantId, scope: this.scope }, 'authorization_code');
	}

	/** A valid access token without a token request (for API-only tests and benchmarks). */
	issueAccessToken(merchantId: string, clientId: string): string {
		this.assertKnown(merchantId, clientId);
		return this.newAccessToken({ clientId, merchantId, scope: this.scope }, 'authorization_code');
	}

	/** Every access token dies at once (refresh tokens keep working). */
	revokeAllAccessTokens(): void {
		this.accessTokens.clear();
	}

	/**
	 * Seed 001 "Revoking Permissions": the merchant's access tokens die at once and no new ones can
	 * be generated from its existing refresh tokens or codes (they answer `access_denied`) until the
	 * merchant grants access again (a new `issueAuthorizationCode`).
	 */
	revokeMerchant(merchantId: string): void {
		if (!this.merchants.has(merchantId)) throw new Error(`unknown sandbox merchant ${merchantId}`);
		for (const [token, grant] of this.accessTokens) if (grant.merchantId === merchantId) this.accessTokens.delete(token);
		this.revocations.set(merchantId, this.serial);
	}

	/** Every access token is past its expiry: APIs answer 401 ACCESS_TOKEN_EXPIRED. */
	expireAllAccessTokens(): void {
		const past = this.now() - 1;
		for (const grant of this.accessTokens.values()) grant.expiresAt = past;
	}

	setMerchantActive(merchantId: string, active: boolean): void {
		const merchant = this.merchants.get(merchantId);
		if (!merchant) throw new Error(`unknown sandbox merchant ${merchantId}`);
		merchant.active = active;
	}

	setClientActive(clientId: string, active: boolean): void {
		const client = this.clients.get(clientId);
		if (!client) throw new Error(`unknown sandbox client ${clientId}`);
		client.active = active;
	}

	/** The next `count` token requests fail with `code` (HTTP 500), whatever they contain. */
	failNextTokenRequests(code: TokenErrorCode, count = 1): void {
		if (!TOKEN_ERROR_CODES.includes(code)) throw new Error(`not a Cybersource token error code: ${code}`);
		if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
		this.forcedFailures.push({ code, remaining: count });
	}

	lastTokenRequest(): RecordedTokenRequest | undefined {
		return this.last;
	}

	tokenStats(): TokenStats {
		return { ...this.stats, byGrant: { ...this.stats.byGrant }, correlationIds: [...this.stats.correlationIds] };
	}

	resetStats(): void {
		this.stats = emptyTokenStats();
		this.last = undefined;
	}

	/** Forgets every token, code, forced failure and revocation; restores merchant and client status as configured. */
	reset(): void {
		this.accessTokens.clear();
		this.refreshTokens.clear();
		this.codes.clear();
		this.revocations.clear();
		this.forcedFailures = [];
		for (const merchant of this.merchants.values()) merchant.active = true;
		for (const client of this.clients.values()) client.active = this.configuredClientStatus.get(client.clientId) ?? true;
		this.resetStats();
	}

	// ---- HTTP ----------------------------------------------------------------------------------

	/** Handles `/oauth2/v3/token`. Success 200 with the seed 001 shape; every failure HTTP 500. */
	handleTokenRequest(request: RecordedTokenRequest): ApiResult & { headers: Record<string, string> } {
		this.last = request;
		this.stats.tokenRequests++;
		if (this.stats.correlationIds.length < MAX_CORRELATION_IDS) this.stats.correlationIds.push(request.correlationId ?? null);
		const grantType = new URLSearchParams(request.body).get('grant_type') || '(none)';
		try {
			const forced = this.forcedFailures[0];
			if (forced) {
				if (--forced.remaining === 0) this.forcedFailures.shift();
				throw new TokenError(forced.code, `forced by the sandbox (failNextTokenRequests('${forced.code}'))`);
			}
			const body = this.grant(parseForm(request));
			this.count(grantType);
			return { status: 200, body, headers: TOKEN_RESPONSE_HEADERS };
		} catch (error) {
			if (!(error instanceof TokenError)) throw error;
			this.count(grantType);
			this.stats.tokenFailures++;
			// Seed 001: "Any token request failure results in an HTTP status code of 500".
			return { status: 500, body: { error: error.code, error_description: error.description }, headers: TOKEN_RESPONSE_HEADERS };
		}
	}

	private count(grantType: string): void {
		this.stats.byGrant[grantType] = (this.stats.byGrant[grantType] ?? 0) + 1;
	}

	/** Checks `Authorization: Bearer <token>` of an API request (DESIGN §4: 401 on a bad token). */
	checkBearer(authorization: string | undefined): BearerCheck {
		if (!authorization) return { ok: false, reason: 'UNAUTHORIZED_PARTNER', message: 'Authentication Failed: no Authorization header' };
		const space = authorization.indexOf(' ');
		if (space < 0 || authorization.slice(0, space).toLowerCase() !== 'bearer') {
			return { ok: false, reason: 'UNAUTHORIZED_PARTNER', message: 'Authentication Failed: Authorization must be "Bearer <access token>"' };
		}
		const grant = this.accessTokens.get(authorization.slice(space + 1).trim());
		if (!grant) return { ok: false, reason: 'UNAUTHORIZED_PARTNER', message: 'Authentication Failed: unknown or revoked access token' };
		if (this.now() >= grant.expiresAt) return { ok: false, reason: 'ACCESS_TOKEN_EXPIRED', message: 'Authentication Failed: the access token has expired' };
		return { ok: true, grant };
	}

	/** The 401 body chosen for the sandbox (Cybersource error-body shape, reasons from DESIGN §4). */
	static unauthorized(check: Extract<BearerCheck, { ok: false }>, nowMs: number): ApiResult {
		return { status: 401, body: { submitTimeUtc: submitTimeUtc(nowMs), status: 'UNAUTHORIZED', reason: check.reason, message: check.message } };
	}

	// ---- grants --------------------------------------------------------------------------------

	private grant(params: Map<string, string>): Record<string, unknown> {
		const grantType = required(params, 'grant_type');
		if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
			throw new TokenError('invalid_request', `unsupported grant_type "${grantType}": use authorization_code or refresh_token`);
		}
		const client = this.authenticateClient(required(params, 'client_id'), required(params, 'client_secret'));

		let grant: Grant;
		if (grantType === 'authorization_code') {
			const code = required(params, 'code');
			const record = this.codes.get(code);
			if (!record) throw new TokenError('invalid_request', 'unknown authorization code');
			this.assertNotRevoked(record);
			if (record.used) throw new TokenError('invalid_request', 'the authorization code has already been used');
			if (this.now() >= record.expiresAt) throw new TokenError('invalid_request', 'the authorization code has expired (codes are valid 10 minutes)');
			if (record.clientId !== client.clientId) throw new TokenError('invalid_request', 'the authorization code was issued to another client');
			this.assertMerchantActive(record.merchantId);
			record.used = true;
			grant = record;
		} else {
			const token = required(params, 'refresh_token');
			const record = this.refreshTokens.get(token);
			if (!record) throw new TokenError('invalid_request', 'unknown refresh token');
			this.assertNotRevoked(record);
			const now = this.now();
			if (record.rotatedAt !== undefined && now >= record.rotatedAt + this.refreshGraceMs) {
				throw new TokenError('invalid_request', 'the refresh token was replaced by a newer one: use the newest refresh token returned');
			}
			if (now >= record.expiresAt) throw new TokenError('invalid_request', 'the refresh token has expired');
			if (record.clientId !== client.clientId) throw new TokenError('invalid_request', 'the refresh token was issued to another client');
			this.assertMerchantActive(record.merchantId);
			// Refresh tokens rotate: every successful answer carries a new one (seed 001 "use the newest").
			if (this.refreshGraceMs === 0) this.refreshTokens.delete(token);
			else record.rotatedAt ??= now;
			grant = record;
		}

		const requestedScope = params.get('scope');
		if (requestedScope !== undefined) {
			const granted = new Set(grant.scope.split(' '));
			if (requestedScope.split(' ').some((item) => !granted.has(item))) {
				throw new TokenError('invalid_scope', `scope "${requestedScope}" exceeds the scope the merchant granted`);
			}
		}

		const issued: Grant = { clientId: grant.clientId, merchantId: grant.merchantId, scope: grant.scope };
		return {
			access_token: this.newAccessToken(issued, grantType),
			token_type: 'bearer',
			refresh_token: this.newRefreshToken(issued, grantType),
			expires_in: this.accessTokenTtlSeconds,
			scope: issued.scope,
			refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
			client_status: 'active',
		};
	}

	private authenticateClient(clientId: string, clientSecret: string): Required<SandboxClient> {
		if (!CLIENT_ID_PATTERN.test(clientId)) throw new TokenError('invalid_client', 'the client_id is malformed');
		const client = this.clients.get(clientId);
		if (!client) throw new TokenError('client_not_found', `client "${clientId}" is not registered`);
		if (!sameSecret(client.clientSecret, clientSecret)) throw new TokenError('invalid_client', 'client authentication failed');
		if (client.clientType !== 'confidential') throw new TokenError('invalid_client_type', 'only confidential clients are supported');
		if (!client.active) throw new TokenError('client_not_active', 'the partner account is not active');
		return client;
	}

	private assertNotRevoked(record: ExpiringGrant): void {
		const revokedAt = this.revocations.get(record.merchantId);
		if (revokedAt !== undefined && record.serial <= revokedAt) {
			throw new TokenError('access_denied', 'the merchant revoked the permission granted to this application');
		}
	}

	private assertMerchantActive(merchantId: string): void {
		if (this.merchants.get(merchantId)?.active === false) throw new TokenError('merchant_not_active', `merchant "${merchantId}" is not active`);
	}

	private assertKnown(merchantId: string, clientId: string): void {
		if (!this.merchants.has(merchantId)) throw new Error(`unknown sandbox merchant ${merchantId}`);
		if (!this.clients.has(clientId)) throw new Error(`unknown sandbox client ${clientId}`);
	}

	private newAccessToken(grant: Grant, grantType: string): string {
		const now = this.now();
		const expiresAt = now + this.accessTokenTtlSeconds * 1000;
		const token = this.jwt({ ...claims(grant, now, grantType), expires_in: expiresAt });
		if (this.accessTokens.size >= ACCESS_TOKEN_SWEEP_THRESHOLD) {
			for (const [key, value] of this.accessTokens) if (now >= value.expiresAt) this.accessTokens.delete(key);
		}
		this.accessTokens.set(token, { ...grant, serial: ++this.serial, expiresAt });
		return token;
	}

	private newRefreshToken(grant: Grant, grantType: string): string {
		const now = this.now();
		const expiresAt = now + REFRESH_TOKEN_TTL_SECONDS * 1000;
		const token = this.jwt({ ...claims(grant, now, grantType), expires_in: expiresAt, token_type: 'refresh_token' });
		this.refreshTokens.set(token, { ...grant, serial: ++this.serial, expiresAt });
		return token;
	}

	/** Tokens look like Cybersource's (a JWT with the claims of the seed 001 samples); clients must treat them as opaque. */
	private jwt(payload: Record<string, unknown>): string {
		const header = Buffer.from(JSON.stringify({ kid: 'sandbox', alg: 'HS256' })).toString('base64url');
		const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
		const signature = createHmac('sha256', this.signingKey).update(`${header}.${body}`).digest('base64url');
		return `${header}.${body}.${signature}`;
	}
}

function claims(grant: Grant, now: number, grantType: string): Record<string, unknown> {
	return {
		jti: randomUUID(),
		scopes: grant.scope.split(' '),
		iat: now,
		client_id: grant.clientId,
		merchant_id: grant.merchantId,
		grant_type: grantType,
	};
}

function emptyTokenStats(): TokenStats {
	return { tokenRequests: 0, tokenFailures: 0, byGrant: {}, correlationIds: [] };
}

/** Seed 001: "all parameters must be sent in the body ... Do not place any parameters in the URL." */
function parseForm(request: RecordedTokenRequest): Map<string, string> {
	if (request.method !== 'POST') throw new TokenError('invalid_request', `the token endpoint accepts POST only, not ${request.method}`);
	if (request.query !== '') throw new TokenError('invalid_request', 'parameters must be sent in the body, never in the URL');
	const contentType = request.headers['content-type'];
	if (typeof contentType !== 'string' || !FORM_CONTENT_TYPE.test(contentType)) {
		throw new TokenError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
	}
	const params = new Map<string, string>();
	for (const [key, value] of new URLSearchParams(request.body)) {
		// Seed 001 invalid_request: "includes a parameter more than once".
		if (params.has(key)) throw new TokenError('invalid_request', `parameter "${key}" is included more than once`);
		params.set(key, value);
	}
	return params;
}

function required(params: Map<string, string>, name: string): string {
	const value = params.get(name);
	if (value === undefined || value === '') throw new TokenError('invalid_request', `missing required parameter "${name}"`);
	return value;
}

function sameSecret(expected: string, actual: string): boolean {
	const a = Buffer.from(expected);
	const b = Buffer.from(actual);
	return a.length === b.length && timingSafeEqual(a, b);
}
