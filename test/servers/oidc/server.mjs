// A real OAuth 2.0 authorization server for tests and the demo: oidc-provider (OpenID Certified)
// plus a small protected API and test-only admin endpoints, all on one http server bound to
// 127.0.0.1. oidc-provider is ESM-only, so this runs as a child process (see launcher.js).
//
// Protocol with the parent:
//   - forked with an IPC channel: the parent sends { type: 'start', config }, the child answers
//     { type: 'ready', port, issuer } or { type: 'error', message }. The child exits when the
//     channel disconnects (parent gone) or on SIGTERM/SIGINT.
//   - run by hand (`node server.mjs config.json`, or config JSON in OIDC_SERVER_CONFIG): prints
//     one JSON line { ready: true, port, issuer } on stdout and exits when stdin ends (if piped)
//     or on SIGINT/SIGTERM.
//
// Config: { clients: ClientConfig[], defaultTtl?: seconds, scopes?: string[],
//           resources?: { [indicator]: { scope: string, audience?: string, accessTokenTTL?: s } },
//           strictSecretMethod?: boolean (default true, see enforceRegisteredSecretMethod),
//           port?: number (0 = ephemeral, the default) }
// ClientConfig is oidc-provider client metadata (client_id, client_secret,
// token_endpoint_auth_method, scope, jwks, token_endpoint_auth_signing_alg, ...) plus two keys of
// ours, removed before oidc-provider sees them: access_token_ttl (seconds) and resources (the
// resource indicators this client may ask for; all configured ones when absent).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as http from 'node:http';
import { readFileSync } from 'node:fs';

import Provider, { errors } from 'oidc-provider';

const HOST = '127.0.0.1';
const BODY_LIMIT = 64 * 1024; // oidc-provider itself refuses bodies over 56 KiB
const CONFIG_WAIT_MS = 10_000;
const DRAIN_WAIT_MS = 2_000;

const DEFAULT_TTL = 300;
const DEFAULT_SCOPES = ['read', 'write'];
const DEFAULT_RESOURCES = {
	'https://api.example.test/': { scope: 'read write' },
	'https://api2.example.test/': { scope: 'read write' },
};

// ---------------------------------------------------------------------------------------------
// Storage: a Map-based adapter instead of oidc-provider's default memory adapter, which is an
// LRU of 1000 entries shared by all models: a benchmark issuing more tokens than that would
// silently evict valid tokens and replay-detection records (so a replayed jti would pass).
// Entries live until their expiry plus a grace period (so the API can tell "expired" from
// "unknown"); expired entries are swept at most once a second and each model holds at most
// MAX_ENTRIES (oldest dropped first), so memory stays bounded.
// ---------------------------------------------------------------------------------------------
const MAX_ENTRIES = 200_000;
const GRACE_MS = 60_000;
const stores = new Map(); // model name -> Map(id -> { payload, expiresAt, lifetimeEndsAt })
let lastSweep = 0;

function storeFor(name) {
	let store = stores.get(name);
	if (!store) {
		store = new Map();
		stores.set(name, store);
	}
	return store;
}

function sweep(now) {
	if (now - lastSweep < 1000) return;
	lastSweep = now;
	for (const store of stores.values()) {
		for (const [id, entry] of store) {
			if (entry.expiresAt !== undefined && entry.expiresAt + GRACE_MS <= now) store.delete(id);
		}
	}
}

class MemoryAdapter {
	constructor(name) {
		this.name = name;
		this.store = storeFor(name);
	}

	async upsert(id, payload, expiresIn) {
		const now = Date.now();
		sweep(now);
		const expiresAt = typeof expiresIn === 'number' ? now + expiresIn * 1000 : undefined;
		// The lifetime the client was told (expires_in = exp - iat), counted in milliseconds from
		// now. oidc-provider works in whole seconds with iat rounded down, so its own exp can fall
		// up to a second earlier than that; the protected API uses this value instead, so a token
		// works for exactly expires_in seconds after it was issued.
		const lifetimeEndsAt =
			typeof payload.exp === 'number' && typeof payload.iat === 'number'
				? now + (payload.exp - payload.iat) * 1000
				: expiresAt;
		this.store.delete(id);
		this.store.set(id, { payload, expiresAt, lifetimeEndsAt });
		while (this.store.size > MAX_ENTRIES) this.store.delete(this.store.keys().next().value);
	}

	async find(id) {
		const entry = this.store.get(id);
		if (!entry) return undefined;
		if (entry.expiresAt !== undefined && entry.expiresAt + GRACE_MS <= Date.now()) {
			this.store.delete(id);
			return undefined;
		}
		return entry.payload;
	}

	async findByUserCode(userCode) {
		for (const entry of this.store.values()) if (entry.payload.userCode === userCode) return entry.payload;
		return undefined;
	}

	async findByUid(uid) {
		for (const entry of this.store.values()) if (entry.payload.uid === uid) return entry.payload;
		return undefined;
	}

	async consume(id) {
		const entry = this.store.get(id);
		if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
	}

	async destroy(id) {
		this.store.delete(id);
	}

	async revokeByGrantId(grantId) {
		for (const [id, entry] of this.store) if (entry.payload.grantId === grantId) this.store.delete(id);
	}
}

// ---------------------------------------------------------------------------------------------
// Raw request capture. oidc-provider reads and parses the token request body itself (and warns
// when an upstream middleware has consumed it), so instead of reading the stream we record the
// bytes as the HTTP parser pushes them into the request: the provider's parsing is untouched.
// ---------------------------------------------------------------------------------------------
class CapturingRequest extends http.IncomingMessage {
	rawChunks = [];
	rawLength = 0;

	push(chunk, encoding) {
		if (chunk !== null && chunk !== undefined) {
			const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding);
			if (this.rawLength < BODY_LIMIT) this.rawChunks.push(buf.subarray(0, BODY_LIMIT - this.rawLength));
			this.rawLength += buf.length;
		}
		return super.push(chunk, encoding);
	}

	rawBody() {
		return Buffer.concat(this.rawChunks).toString('utf8');
	}
}

/** Waits (bounded) until the request body has been received completely. */
async function drain(req) {
	if (req.complete || req.destroyed) return;
	req.resume();
	await Promise.race([once(req, 'end').catch(() => undefined), delay(DRAIN_WAIT_MS)]);
}

function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

// ---------------------------------------------------------------------------------------------
// Test bookkeeping
// ---------------------------------------------------------------------------------------------
function emptyStats() {
	return {
		tokenRequests: { total: 0, ok: 0, failed: 0, byClient: {} },
		apiRequests: 0,
		apiUnauthorized: 0,
		apiByClient: {},
	};
}

let stats = emptyStats();
const lastTokenRequests = new Map(); // claimed client id ('' when none) -> record
let newestTokenRequest;

/** The client id a token request claims, whether or not authentication succeeded. */
function claimedClientId(req, form) {
	const auth = req.headers.authorization;
	if (typeof auth === 'string' && /^basic /i.test(auth)) {
		const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const rawId = colon === -1 ? decoded : decoded.slice(0, colon);
		try {
			return decodeURIComponent(rawId.replace(/\+/g, '%20'));
		} catch {
			return rawId;
		}
	}
	const clientId = form.get('client_id');
	if (clientId) return clientId;
	const assertion = form.get('client_assertion');
	if (assertion) {
		try {
			const payload = JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString('utf8'));
			if (typeof payload.sub === 'string') return payload.sub;
			if (typeof payload.iss === 'string') return payload.iss;
		} catch {
			// not a JWT: fall through
		}
	}
	return '';
}

function countToken(clientId, ok) {
	const t = stats.tokenRequests;
	t.total += 1;
	t[ok ? 'ok' : 'failed'] += 1;
	const c = (t.byClient[clientId] ??= { total: 0, ok: 0, failed: 0 });
	c.total += 1;
	c[ok ? 'ok' : 'failed'] += 1;
}

function countApi(clientId, authorized) {
	stats.apiRequests += 1;
	if (!authorized) stats.apiUnauthorized += 1;
	if (clientId !== undefined) stats.apiByClient[clientId] = (stats.apiByClient[clientId] ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------------------------

/** Client metadata the provider would fetch (jwks_uri, ...) may only point at 127.0.0.1. */
function assertLocalUrls(metadata) {
	for (const key of ['jwks_uri', 'sector_identifier_uri', 'request_uris']) {
		for (const value of [metadata[key]].flat()) {
			if (value !== undefined && URL.parse(String(value))?.hostname !== HOST) {
				throw new Error(`client ${metadata.client_id}: ${key} must point at ${HOST}, got ${value}`);
			}
		}
	}
}

function buildProvider(issuer, config) {
	const defaultTtl = config.defaultTtl ?? DEFAULT_TTL;
	const resources = config.resources ?? DEFAULT_RESOURCES;
	const ttlByClient = new Map();
	const resourcesByClient = new Map();

	const clients = (config.clients ?? []).map((input) => {
		const { access_token_ttl: ttl, resources: allowed, ...metadata } = input;
		assertLocalUrls(metadata);
		if (ttl !== undefined) ttlByClient.set(metadata.client_id, ttl);
		if (allowed !== undefined) resourcesByClient.set(metadata.client_id, new Set(allowed));
		return metadata;
	});

	// A signing key for the provider's own JWTs (none are issued for this grant, but the provider
	// otherwise falls back to development keys and warns about it).
	const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

	const provider = new Provider(issuer, {
		adapter: MemoryAdapter,
		clients,
		clientDefaults: {
			// Client-credentials-only clients: no redirect URIs and no response types.
			grant_types: ['client_credentials'],
			response_types: [],
			redirect_uris: [],
			token_endpoint_auth_method: 'client_secret_basic',
			// Must be an algorithm the provider has a key for (its only key is the ES256 one below).
			id_token_signed_response_alg: 'ES256',
		},
		jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'sig-1', use: 'sig', alg: 'ES256' }] },
		cookies: { keys: [randomBytes(32).toString('base64url')] },
		// Scopes the provider knows. A client's `scope` metadata may only use listed values, and
		// for client_credentials without a resource indicator the provider silently drops every
		// requested scope that is not listed here (the token then simply lacks it).
		scopes: ['openid', 'offline_access', ...new Set([...DEFAULT_SCOPES, ...(config.scopes ?? [])])],
		clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
		enabledJWA: {
			// The defaults allow only HS256/RS256/PS256/ES256/EdDSA for client assertions.
			clientAuthSigningAlgValues: [
				'HS256', 'HS384', 'HS512',
				'RS256', 'RS384', 'RS512',
				'PS256', 'PS384', 'PS512',
				'ES256', 'ES384', 'ES512',
			],
		},
		features: {
			devInteractions: { enabled: false }, // no end-user flows here
			clientCredentials: { enabled: true },
			introspection: { enabled: true },
			revocation: { enabled: true },
			resourceIndicators: {
				enabled: true,
				// No resource requested -> no audience (an opaque token without a resource server).
				defaultResource: async (_ctx, _client, oneOf) => oneOf,
				getResourceServerInfo: async (_ctx, indicator, client) => {
					const allowed = resourcesByClient.get(client.clientId);
					const info = resources[indicator];
					if (!info || (allowed && !allowed.has(indicator))) {
						throw new errors.InvalidTarget(`unknown or not allowed resource indicator: ${indicator}`);
					}
					// Opaque tokens: they stay in the adapter, so the API can look them up and revoke-all works.
					return { accessTokenFormat: 'opaque', ...info };
				},
			},
		},
		ttl: {
			// Per client (access_token_ttl) first, then the resource server's, then the default.
			ClientCredentials: (_ctx, token, client) =>
				ttlByClient.get(client?.clientId) ?? token.resourceServer?.accessTokenTTL ?? defaultTtl,
			AccessToken: () => defaultTtl,
		},
	});

	if (config.strictSecretMethod !== false) enforceRegisteredSecretMethod(provider);

	// Unexpected failures (answered 500 server_error) go to stderr, which the launcher forwards;
	// ordinary OAuth errors are only recorded (see tokenRecorder).
	provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error:', err));
	// invalid_client answers only say "client authentication failed"; keep the reason for the
	// token-request record (error_detail is never sent to the client).
	provider.on('grant.error', (ctx, err) => {
		ctx.state.oauthErrorDetail = err?.error_detail ?? err?.error_description;
	});
	return provider;
}

/**
 * oidc-provider treats client_secret_basic and client_secret_post as interchangeable: a client
 * registered for one may authenticate with the other. Servers such as Okta refuse that, and our
 * tests want to catch a client that sends its secret the wrong way, so by default (config
 * strictSecretMethod: false restores the provider's behaviour) the secret must arrive the way the
 * client is registered for. The check sits in the secret comparison, which the provider calls
 * only for these two methods, with the request context available through Provider.ctx.
 */
function enforceRegisteredSecretMethod(provider) {
	const { prototype } = provider.Client;
	const compare = prototype.compareClientSecret;
	prototype.compareClientSecret = function compareClientSecret(secret) {
		const ctx = Provider.ctx;
		if (ctx) {
			const viaHeader = ctx.headers.authorization !== undefined;
			if (this.clientAuthMethod === 'client_secret_basic' && !viaHeader) {
				throw new errors.InvalidClientAuth('client is registered for client_secret_basic but sent its secret in the body');
			}
			if (this.clientAuthMethod === 'client_secret_post' && viaHeader) {
				throw new errors.InvalidClientAuth('client is registered for client_secret_post but sent its secret in the Authorization header');
			}
		}
		return compare.call(this, secret);
	};
}

// ---------------------------------------------------------------------------------------------
// Middleware: admin endpoints, protected API, token-request recording
// ---------------------------------------------------------------------------------------------
function json(ctx, status, body) {
	ctx.status = status;
	ctx.type = 'application/json';
	ctx.body = JSON.stringify(body);
}

async function revokeAll(provider, clientId) {
	const store = storeFor('ClientCredentials');
	let revoked = 0;
	for (const [id, entry] of [...store]) {
		if (clientId !== undefined && entry.payload.clientId !== clientId) continue;
		const token = await provider.ClientCredentials.find(id, { ignoreExpiration: true });
		if (token) await token.destroy();
		else store.delete(id);
		revoked += 1;
	}
	return revoked;
}

function adminMiddleware(provider) {
	return async (ctx, next) => {
		if (!ctx.path.startsWith('/__admin/')) return next();
		const route = `${ctx.method} ${ctx.path.slice('/__admin/'.length)}`;
		const clientId = typeof ctx.query.client_id === 'string' ? ctx.query.client_id : undefined;
		switch (route) {
			case 'GET stats':
				return json(ctx, 200, stats);
			case 'POST reset':
				// Counters and recorded requests; with ?client_id= only that client's share.
				if (clientId === undefined) {
					stats = emptyStats();
					lastTokenRequests.clear();
					newestTokenRequest = undefined;
				} else {
					const c = stats.tokenRequests.byClient[clientId];
					if (c) {
						stats.tokenRequests.total -= c.total;
						stats.tokenRequests.ok -= c.ok;
						stats.tokenRequests.failed -= c.failed;
						delete stats.tokenRequests.byClient[clientId];
					}
					delete stats.apiByClient[clientId];
					lastTokenRequests.delete(clientId);
				}
				return json(ctx, 200, { ok: true });
			case 'POST revoke-all':
				return json(ctx, 200, { ok: true, revoked: await revokeAll(provider, clientId) });
			case 'GET last-token-request': {
				const record = clientId === undefined ? newestTokenRequest : lastTokenRequests.get(clientId);
				return record ? json(ctx, 200, record) : json(ctx, 404, { error: 'no token request recorded' });
			}
			default:
				return json(ctx, 404, { error: 'unknown admin endpoint' });
		}
	};
}

function apiMiddleware(provider) {
	const unauthorized = (ctx, description, clientId) => {
		countApi(clientId, false);
		ctx.set('WWW-Authenticate', `Bearer realm="api", error="invalid_token", error_description="${description}"`);
		json(ctx, 401, { error: 'invalid_token', error_description: description });
	};

	return async (ctx, next) => {
		if (ctx.path !== '/api' && !ctx.path.startsWith('/api/')) return next();

		const match = /^bearer +(\S+) *$/i.exec(ctx.get('authorization'));
		if (!match) return unauthorized(ctx, 'missing bearer token');

		const value = match[1];
		// oidc-provider's find() accepts tokens up to clockTolerance (15 s) past exp; the API is
		// stricter and uses the token's exact lifetime recorded by the adapter.
		const token = await provider.ClientCredentials.find(value, { ignoreExpiration: true });
		if (!token) return unauthorized(ctx, 'unknown or revoked token');
		if (token.consumed) return unauthorized(ctx, 'token consumed', token.clientId);
		const entry = storeFor('ClientCredentials').get(value);
		const endsAt = entry?.lifetimeEndsAt ?? token.exp * 1000;
		if (Date.now() >= endsAt) return unauthorized(ctx, 'token expired', token.clientId);

		await drain(ctx.req);
		countApi(token.clientId, true);
		const { authorization: _omitted, ...headers } = ctx.req.headers;
		const aud = token.aud ?? null;
		return json(ctx, 200, {
			ok: true,
			clientId: token.clientId,
			scope: token.scope ?? null,
			aud,
			resource: Array.isArray(aud) ? aud[0] : aud,
			expiresAt: new Date(endsAt).toISOString(),
			method: ctx.method,
			path: ctx.path,
			query: ctx.querystring,
			headers,
			body: ctx.req.rawBody(),
		});
	};
}

function tokenRecorder(tokenPath) {
	return async (ctx, next) => {
		if (ctx.path !== tokenPath) return next();
		try {
			await next();
		} finally {
			await drain(ctx.req);
			const body = ctx.req.rawBody();
			const form = new URLSearchParams(ctx.is('application/x-www-form-urlencoded') ? body : '');
			const clientId = ctx.oidc?.client?.clientId ?? claimedClientId(ctx.req, form);
			const ok = ctx.status === 200;
			countToken(clientId, ok);
			let error;
			if (!ok) {
				try {
					error = JSON.parse(typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body ?? {})).error;
				} catch {
					error = undefined;
				}
			}
			const record = {
				clientId,
				method: ctx.method,
				path: ctx.path,
				query: ctx.querystring,
				headers: { ...ctx.req.headers }, // node lower-cases header names
				body,
				bodyTruncated: ctx.req.rawLength > BODY_LIMIT,
				status: ctx.status,
				error,
				errorDetail: ok ? undefined : ctx.state.oauthErrorDetail,
				at: new Date().toISOString(),
			};
			lastTokenRequests.set(clientId, record);
			newestTokenRequest = record;
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Startup
// ---------------------------------------------------------------------------------------------
async function start(config) {
	const server = http.createServer({ IncomingMessage: CapturingRequest });
	server.listen(config.port ?? 0, HOST);
	await once(server, 'listening');
	const { port } = server.address();
	const issuer = `http://${HOST}:${port}`;

	const provider = buildProvider(issuer, config);
	// oidc-provider validates static clients lazily, on their first request: validate them now so
	// that a bad client config fails the start instead of answering invalid_client_metadata later.
	for (const { client_id: clientId } of config.clients ?? []) {
		try {
			await provider.Client.find(clientId);
		} catch (err) {
			throw new Error(`client ${clientId}: ${err.error_description ?? err.message}`);
		}
	}
	provider.use(adminMiddleware(provider));
	provider.use(apiMiddleware(provider));
	provider.use(tokenRecorder(provider.pathFor('token')));
	server.on('request', provider.callback());

	return { server, port, issuer };
}

function readStandaloneConfig() {
	if (process.argv[2]) return JSON.parse(readFileSync(process.argv[2], 'utf8'));
	if (process.env.OIDC_SERVER_CONFIG) return JSON.parse(process.env.OIDC_SERVER_CONFIG);
	return { clients: [] };
}

function exitOnSignals() {
	for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
}

if (process.send) {
	// Forked: wait (bounded) for the config, start, report, and die with the parent.
	exitOnSignals();
	process.on('disconnect', () => process.exit(0));
	const timer = setTimeout(() => {
		console.error('oidc server: no config received, exiting');
		process.exit(1);
	}, CONFIG_WAIT_MS);
	process.once('message', async (message) => {
		clearTimeout(timer);
		try {
			if (message?.type !== 'start') throw new Error(`unexpected message ${JSON.stringify(message)}`);
			const { port, issuer } = await start(message.config ?? {});
			process.send({ type: 'ready', port, issuer });
		} catch (err) {
			process.send({ type: 'error', message: err?.stack ?? String(err) }, () => process.exit(1));
		}
	});
} else {
	exitOnSignals();
	const { port, issuer } = await start(readStandaloneConfig());
	process.stdout.write(`${JSON.stringify({ ready: true, port, issuer })}\n`);
	if (!process.stdin.isTTY) {
		process.stdin.on('end', () => process.exit(0));
		process.stdin.resume();
	}
}
