// Proves the local authorization server is a real, strict OAuth 2.0 peer. Talks HTTP directly
// (global fetch, node:crypto for assertions): independent of our own OAuth2 core.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

import {
	API2_RESOURCE,
	API_RESOURCE,
	BASIC_CLIENT,
	POST_CLIENT,
	RESOURCE_CLIENT,
	SHORT_LIVED_CLIENT,
	SHORT_LIVED_TTL,
	standardClients,
} from './clients';
import type { ClientSecretJwtClient, PrivateKeyJwtClient, StandardClients } from './clients';
import { globalOidcServer, OIDC_ENV, startStandardOidcServer } from './index';
import type { OidcServerHandle } from './index';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1, Appendix B). */
const formEncode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);
const basicHeader = (id: string, secret: string) =>
	`Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;

interface TokenAnswer {
	status: number;
	headers: Headers;
	body: Record<string, unknown>;
}

async function postToken(
	url: string,
	form: Record<string, string | string[]>,
	headers: Record<string, string> = {},
): Promise<TokenAnswer> {
	const body = new URLSearchParams();
	for (const [key, value] of Object.entries(form)) {
		for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
	}
	const res = await fetch(url, { method: 'POST', body, headers });
	return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function callApi(url: string, token?: string, init: RequestInit = {}) {
	const headers = new Headers(init.headers);
	if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
	const res = await fetch(url, { ...init, headers });
	return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs a JWT with node:crypto only (the way our core is meant to). */
function signJwt(alg: string, key: crypto.KeyObject | string, payload: object, kid?: string): string {
	const input = `${b64url({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64url(payload)}`;
	const hash = `sha${alg.slice(2)}`;
	let signature: Buffer;
	if (alg.startsWith('HS')) {
		signature = crypto.createHmac(hash, key as string).update(input).digest();
	} else if (alg.startsWith('RS')) {
		signature = crypto.sign(hash, Buffer.from(input), key as crypto.KeyObject);
	} else if (alg.startsWith('PS')) {
		signature = crypto.sign(hash, Buffer.from(input), {
			key: key as crypto.KeyObject,
			padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
			saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST,
		});
	} else {
		signature = crypto.sign(hash, Buffer.from(input), { key: key as crypto.KeyObject, dsaEncoding: 'ieee-p1363' });
	}
	return `${input}.${signature.toString('base64url')}`;
}

function assertionFor(
	client: PrivateKeyJwtClient | ClientSecretJwtClient,
	aud: string | string[],
	options: { alg?: string; jti?: string; exp?: number; omit?: string[] } = {},
) {
	const now = Math.floor(Date.now() / 1000);
	const alg = options.alg ?? client.alg ?? client.algs[0];
	const claims: Record<string, unknown> = {
		iss: client.clientId,
		sub: client.clientId,
		aud,
		iat: now,
		exp: options.exp ?? now + 300,
		jti: options.jti ?? crypto.randomUUID(),
	};
	for (const claim of options.omit ?? []) delete claims[claim];
	if (client.authMethod === 'client_secret_jwt') return signJwt(alg, client.clientSecret, claims);
	return signJwt(alg, crypto.createPrivateKey(client.privateKeyPem), claims, client.kid);
}

const jwtForm = (client: { clientId: string }, assertion: string) => ({
	grant_type: 'client_credentials',
	client_id: client.clientId,
	client_assertion_type: ASSERTION_TYPE,
	client_assertion: assertion,
});

describe('local authorization server (private instance)', () => {
	let server: OidcServerHandle;
	let clients: StandardClients;
	const postForm = (client: { clientId: string; clientSecret: string }, extra: Record<string, string | string[]> = {}) => ({
		grant_type: 'client_credentials',
		client_id: client.clientId,
		client_secret: client.clientSecret,
		...extra,
	});

	beforeAll(async () => {
		({ server, clients } = await startStandardOidcServer());
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('listens on 127.0.0.1 only and publishes its metadata', async () => {
		expect(server.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const res = await fetch(`${server.issuer}/.well-known/openid-configuration`);
		const meta = (await res.json()) as Record<string, unknown>;
		expect(meta.issuer).toBe(server.issuer);
		expect(meta.token_endpoint).toBe(server.tokenUrl);
		expect(meta.grant_types_supported).toEqual(expect.arrayContaining(['client_credentials']));
		expect(meta.token_endpoint_auth_methods_supported).toEqual(
			expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt']),
		);
	});

	describe('client_secret_basic', () => {
		it('issues a token when id and secret are form-encoded before base64 (RFC 6749 §2.3.1)', async () => {
			const res = await postToken(
				server.tokenUrl,
				{ grant_type: 'client_credentials', scope: 'read write' },
				{ authorization: basicHeader(BASIC_CLIENT.clientId, BASIC_CLIENT.clientSecret) },
			);
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'read write', expires_in: 300 });
			expect(typeof res.body.access_token).toBe('string');
		});

		it('rejects the secret base64-encoded without form-encoding', async () => {
			const raw = Buffer.from(`${BASIC_CLIENT.clientId}:${BASIC_CLIENT.clientSecret}`).toString('base64');
			const res = await postToken(server.tokenUrl, { grant_type: 'client_credentials' }, { authorization: `Basic ${raw}` });
			// '%r/' is not a valid percent-escape: the provider refuses the header outright.
			expect(res.status).toBe(400);
			expect(res.body.error).toBe('invalid_request');
			expect(String(res.body.error_description)).toMatch(/not properly encoded/);
		});

		it('rejects a secret whose "+" was not encoded (decoded as a space)', async () => {
			const id = formEncode(BASIC_CLIENT.clientId);
			// Everything encoded except '+', which a form decoder turns into a space.
			const secret = formEncode(BASIC_CLIENT.clientSecret).replace('%2B', '+');
			const res = await postToken(
				server.tokenUrl,
				{ grant_type: 'client_credentials' },
				{ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
			);
			expect(res.status).toBe(401);
			expect(res.body.error).toBe('invalid_client');
			expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
		});

		it('rejects the secret sent in the body for a client registered for Basic', async () => {
			const res = await postToken(server.tokenUrl, postForm(BASIC_CLIENT));
			expect(res.status).toBe(401);
			expect(res.body.error).toBe('invalid_client');
			expect(await server.lastTokenRequest(BASIC_CLIENT.clientId)).toMatchObject({
				status: 401,
				errorDetail: expect.stringMatching(/registered for client_secret_basic/),
			});
		});
	});

	describe('client_secret_post', () => {
		it('issues a token for id and secret in the body', async () => {
			const res = await postToken(server.tokenUrl, postForm(POST_CLIENT, { scope: 'read' }));
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'read' });
		});

		it('refuses two authentication methods in one request', async () => {
			const res = await postToken(server.tokenUrl, postForm(POST_CLIENT), {
				authorization: basicHeader(POST_CLIENT.clientId, POST_CLIENT.clientSecret),
			});
			expect(res.status).toBe(400);
			expect(res.body.error).toBe('invalid_request');
		});

		it('rejects a wrong secret with invalid_client', async () => {
			const res = await postToken(server.tokenUrl, postForm({ ...POST_CLIENT, clientSecret: 'wrong' }));
			expect(res.status).toBe(401);
			expect(res.body.error).toBe('invalid_client');
		});

		it('rejects the secret sent as Basic for a client registered for the body', async () => {
			const res = await postToken(
				server.tokenUrl,
				{ grant_type: 'client_credentials' },
				{ authorization: basicHeader(POST_CLIENT.clientId, POST_CLIENT.clientSecret) },
			);
			expect(res.status).toBe(401);
			expect(res.body.error).toBe('invalid_client');
			expect((await server.lastTokenRequest(POST_CLIENT.clientId))?.errorDetail).toMatch(/registered for client_secret_post/);
		});

		it('refuses a scope the client is not registered for', async () => {
			const res = await postToken(server.tokenUrl, postForm(POST_CLIENT, { scope: 'read openid' }));
			expect(res.status).toBe(400);
			expect(res.body.error).toBe('invalid_scope');
		});
	});

	describe('protected API', () => {
		it('accepts an issued token and echoes who called', async () => {
			const token = (await postToken(server.tokenUrl, postForm(POST_CLIENT, { scope: 'read write' }))).body;
			const res = await callApi(`${server.apiBaseUrl}things/1?x=y`, String(token.access_token), {
				method: 'POST',
				body: JSON.stringify({ amount: 1 }),
				headers: { 'content-type': 'application/json', 'x-extra': 'yes' },
			});
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({
				ok: true,
				clientId: POST_CLIENT.clientId,
				scope: 'read write',
				aud: null,
				method: 'POST',
				path: '/api/things/1',
				query: 'x=y',
				body: '{"amount":1}',
			});
			expect((res.body.headers as Record<string, string>)['x-extra']).toBe('yes');
			expect((res.body.headers as Record<string, string>).authorization).toBeUndefined();
		});

		it.each([
			['a bogus token', 'not-a-token'],
			['no token', undefined],
		])('answers 401 invalid_token for %s', async (_label, token) => {
			const res = await callApi(server.apiUrl, token);
			expect(res.status).toBe(401);
			expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
			expect(res.body.error).toBe('invalid_token');
		});

		it('carries the resource indicator into the token audience', async () => {
			const res = await postToken(server.tokenUrl, postForm(RESOURCE_CLIENT, { resource: API_RESOURCE, scope: 'read' }));
			expect(res.status).toBe(200);
			expect(res.body.scope).toBe('read');
			const echo = await callApi(server.apiUrl, String(res.body.access_token));
			expect(echo.body).toMatchObject({ clientId: RESOURCE_CLIENT.clientId, aud: API_RESOURCE, resource: API_RESOURCE });
		});

		it('refuses an unknown resource and more than one resource (client credentials)', async () => {
			const unknown = await postToken(server.tokenUrl, postForm(RESOURCE_CLIENT, { resource: 'https://unknown.example.test/' }));
			expect(unknown.status).toBe(400);
			expect(unknown.body.error).toBe('invalid_target');
			const two = await postToken(server.tokenUrl, postForm(RESOURCE_CLIENT, { resource: [API_RESOURCE, API2_RESOURCE] }));
			expect(two.status).toBe(400);
			expect(two.body.error).toBe('invalid_target');
			const fragment = await postToken(server.tokenUrl, postForm(RESOURCE_CLIENT, { resource: `${API_RESOURCE}#x` }));
			expect(fragment.body.error).toBe('invalid_target');
		});

		it('stops accepting every token after revoke-all', async () => {
			const a = (await postToken(server.tokenUrl, postForm(POST_CLIENT))).body.access_token as string;
			const b = (await postToken(server.tokenUrl, postForm(RESOURCE_CLIENT, { resource: API_RESOURCE }))).body
				.access_token as string;
			expect((await callApi(server.apiUrl, a)).status).toBe(200);
			expect((await callApi(server.apiUrl, b)).status).toBe(200);

			expect(await server.revokeAll()).toBeGreaterThanOrEqual(2);

			for (const token of [a, b]) {
				const res = await callApi(server.apiUrl, token);
				expect(res.status).toBe(401);
				expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
			}
			const fresh = (await postToken(server.tokenUrl, postForm(POST_CLIENT))).body.access_token as string;
			expect((await callApi(server.apiUrl, fresh)).status).toBe(200);
		});

		it('revoke-all with a client id leaves other clients alone', async () => {
			const mine = (await postToken(server.tokenUrl, postForm(POST_CLIENT))).body.access_token as string;
			const other = (await postToken(server.tokenUrl, postForm(RESOURCE_CLIENT))).body.access_token as string;
			expect(await server.revokeAll(POST_CLIENT.clientId)).toBeGreaterThanOrEqual(1);
			expect((await callApi(server.apiUrl, mine)).status).toBe(401);
			expect((await callApi(server.apiUrl, other)).status).toBe(200);
		});

		it(`expires a short-lived token after ${SHORT_LIVED_TTL} s`, async () => {
			const res = await postToken(server.tokenUrl, postForm(SHORT_LIVED_CLIENT));
			expect(res.status).toBe(200);
			expect(res.body.expires_in).toBe(SHORT_LIVED_TTL);
			const token = String(res.body.access_token);
			expect((await callApi(server.apiUrl, token)).status).toBe(200);

			await new Promise((resolve) => setTimeout(resolve, SHORT_LIVED_TTL * 1000 + 150));
			const late = await callApi(server.apiUrl, token);
			expect(late.status).toBe(401);
			expect(late.body.error_description).toBe('token expired');
		});
	});

	describe('admin endpoints', () => {
		it('counts token requests (answered 200 vs errors) and API calls', async () => {
			await server.reset();
			const ok = await postToken(server.tokenUrl, postForm(POST_CLIENT));
			await postToken(server.tokenUrl, postForm(POST_CLIENT));
			await postToken(server.tokenUrl, postForm({ ...POST_CLIENT, clientSecret: 'wrong' }));
			await postToken(server.tokenUrl, postForm({ clientId: 'nobody', clientSecret: 'x' }));
			await callApi(server.apiUrl, String(ok.body.access_token));
			await callApi(server.apiUrl, 'bogus');

			const stats = await server.stats();
			expect(stats.tokenRequests).toEqual({
				total: 4,
				ok: 2,
				failed: 2,
				byClient: {
					[POST_CLIENT.clientId]: { total: 3, ok: 2, failed: 1 },
					nobody: { total: 1, ok: 0, failed: 1 },
				},
			});
			expect(stats.apiRequests).toBe(2);
			expect(stats.apiUnauthorized).toBe(1);
			expect(stats.apiByClient).toEqual({ [POST_CLIENT.clientId]: 1 });

			await server.reset(POST_CLIENT.clientId);
			const after = await server.stats();
			expect(after.tokenRequests).toMatchObject({ total: 1, ok: 0, failed: 1 });
			await server.reset();
			expect((await server.stats()).tokenRequests.total).toBe(0);
		});

		it('records the newest token request per client: method, query, headers, raw body', async () => {
			const res = await postToken(
				`${server.tokenUrl}?tenant=t%201&flag`,
				{ grant_type: 'client_credentials', scope: 'read', audience: 'urn:x y&z' },
				{
					authorization: basicHeader(BASIC_CLIENT.clientId, BASIC_CLIENT.clientSecret),
					'X-Custom-Header': 'v 1',
				},
			);
			expect(res.status).toBe(200);
			const record = await server.lastTokenRequest(BASIC_CLIENT.clientId);
			expect(record).toMatchObject({
				clientId: BASIC_CLIENT.clientId,
				method: 'POST',
				path: '/token',
				query: 'tenant=t%201&flag',
				body: 'grant_type=client_credentials&scope=read&audience=urn%3Ax+y%26z',
				bodyTruncated: false,
				status: 200,
			});
			expect(record?.headers['x-custom-header']).toBe('v 1');
			expect(record?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
			// The exact Basic value, e.g. to check RFC 6749 §2.3.1 encoding.
			expect(record?.headers.authorization).toBe(basicHeader(BASIC_CLIENT.clientId, BASIC_CLIENT.clientSecret));
			expect(await server.lastTokenRequest('never-seen')).toBeUndefined();
		});

		it('records failed requests with their error', async () => {
			await postToken(server.tokenUrl, postForm({ ...POST_CLIENT, clientSecret: 'nope' }));
			expect(await server.lastTokenRequest(POST_CLIENT.clientId)).toMatchObject({
				status: 401,
				error: 'invalid_client',
				errorDetail: 'invalid secret provided',
			});
		});
	});

	describe('JWT client assertions (private_key_jwt, client_secret_jwt)', () => {
		it.each(['jwtRs256', 'jwtPs256', 'jwtEs256', 'jwtEs384', 'jwtEs512', 'jwtHs256'] as const)(
			'%s gets a token',
			async (name) => {
				const client = clients[name];
				const res = await postToken(server.tokenUrl, { ...jwtForm(client, assertionFor(client, server.tokenUrl)), scope: 'read' });
				expect(res.status).toBe(200);
				expect(res.body.scope).toBe('read');
			},
		);

		it.each(['RS384', 'RS512', 'PS384', 'PS512'])('an RSA client without a pinned alg may use %s', async (alg) => {
			const client = clients.jwtRsaAny;
			const res = await postToken(server.tokenUrl, jwtForm(client, assertionFor(client, server.tokenUrl, { alg })));
			expect(res.status).toBe(200);
		});

		it.each(['HS384', 'HS512'])('an HMAC client without a pinned alg may use %s', async (alg) => {
			const client = clients.jwtHsAny;
			const res = await postToken(server.tokenUrl, jwtForm(client, assertionFor(client, server.tokenUrl, { alg })));
			expect(res.status).toBe(200);
		});

		it('accepts aud = token endpoint URL, = issuer, and an array containing either', async () => {
			const client = clients.jwtEs256;
			for (const aud of [server.tokenUrl, server.issuer, [server.issuer, 'https://other.example.test/']]) {
				const res = await postToken(server.tokenUrl, jwtForm(client, assertionFor(client, aud)));
				expect(res.status).toBe(200);
			}
		});

		it('rejects any other aud, including the issuer with a trailing slash', async () => {
			const client = clients.jwtEs256;
			for (const aud of [`${server.issuer}/`, `${server.tokenUrl}/`, 'https://api.example.test/']) {
				const res = await postToken(server.tokenUrl, jwtForm(client, assertionFor(client, aud)));
				expect(res.status).toBe(401);
				expect(res.body.error).toBe('invalid_client');
			}
		});

		it('rejects a replayed jti, also for a freshly signed assertion', async () => {
			const client = clients.jwtRs256;
			const jti = crypto.randomUUID();
			const first = assertionFor(client, server.tokenUrl, { jti });
			expect((await postToken(server.tokenUrl, jwtForm(client, first))).status).toBe(200);
			const again = await postToken(server.tokenUrl, jwtForm(client, first));
			expect(again.status).toBe(401);
			expect(again.body).toMatchObject({ error: 'invalid_client' });
			const resigned = await postToken(server.tokenUrl, jwtForm(client, assertionFor(client, server.tokenUrl, { jti })));
			expect(resigned.status).toBe(401);
			// The same jti from another client is a different (iss, jti) pair.
			const other = clients.jwtPs256;
			expect((await postToken(server.tokenUrl, jwtForm(other, assertionFor(other, server.tokenUrl, { jti })))).status).toBe(200);
		});

		it('rejects a missing jti or exp, an expired assertion, and a wrong key or alg', async () => {
			const client = clients.jwtRs256;
			const now = Math.floor(Date.now() / 1000);
			const bad = [
				assertionFor(client, server.tokenUrl, { omit: ['jti'] }),
				assertionFor(client, server.tokenUrl, { omit: ['exp'] }),
				assertionFor(client, server.tokenUrl, { exp: now - 60 }),
				// pinned to RS256
				assertionFor(client, server.tokenUrl, { alg: 'PS256' }),
				// signed with another client's key
				signJwt('RS256', crypto.createPrivateKey(clients.jwtPs256.privateKeyPem), {
					iss: client.clientId,
					sub: client.clientId,
					aud: server.tokenUrl,
					exp: now + 60,
					jti: crypto.randomUUID(),
				}),
			];
			for (const assertion of bad) {
				const res = await postToken(server.tokenUrl, jwtForm(client, assertion));
				expect(res.status).toBe(401);
				expect(res.body.error).toBe('invalid_client');
			}
		});

		it('requires the client_assertion_type', async () => {
			const client = clients.jwtEs256;
			const { client_assertion_type: _omitted, ...form } = jwtForm(client, assertionFor(client, server.tokenUrl));
			const res = await postToken(server.tokenUrl, form);
			expect(res.status).toBe(400);
			expect(res.body.error).toBe('invalid_request');
		});
	});

	it('stops, and the port no longer answers', async () => {
		const { server: other } = await startStandardOidcServer();
		await other.stop();
		await other.stop(); // idempotent
		await expect(fetch(other.tokenUrl, { method: 'POST' })).rejects.toThrow();
	});
});

describe('shared server from the global setup', () => {
	it('is announced through the environment', () => {
		const shared = globalOidcServer();
		expect(process.env[OIDC_ENV.tokenUrl]).toBe(shared.tokenUrl);
		expect(process.env[OIDC_ENV.apiUrl]).toBe(shared.apiUrl);
		expect(standardClients().jwtEs256.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
		const folder = process.env.N8N_USER_FOLDER;
		expect(folder && fs.statSync(folder).isDirectory()).toBe(true);
	});

	it('serves the standard clients', async () => {
		const shared = globalOidcServer();
		const { post, jwtPs256 } = standardClients();
		const before = (await shared.stats()).tokenRequests.byClient[post.clientId]?.ok ?? 0;
		const res = await postToken(shared.tokenUrl, {
			grant_type: 'client_credentials',
			client_id: post.clientId,
			client_secret: post.clientSecret,
		});
		expect(res.status).toBe(200);
		expect((await callApi(shared.apiUrl, String(res.body.access_token))).body.clientId).toBe(post.clientId);
		expect((await shared.stats()).tokenRequests.byClient[post.clientId].ok).toBe(before + 1);

		const jwt = await postToken(shared.tokenUrl, jwtForm(jwtPs256, assertionFor(jwtPs256, shared.issuer)));
		expect(jwt.status).toBe(200);
	});
});
