/**
 * The OAuth2 JWT Client Assertion credential through n8n's engine against oidc-provider, which
 * verifies signatures, audience, expiry and rejects replayed jti values.
 */
import { generateKeyPairSync } from 'node:crypto';

import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2';
import { testCredential } from '../harness/credential-test';
import { globalOidcServer, type OidcServerHandle } from '../servers/oidc';
import { standardClients, type PrivateKeyJwtClient } from '../servers/oidc/clients';
import { callApi, helperWith, stored } from '../support/engineRun';

const TYPE = 'oAuth2JwtClientAssertionApi';
let server: OidcServerHandle;

beforeAll(() => {
	server = globalOidcServer();
});

beforeEach(() => {
	replaceSharedTokenCache(new TokenCache());
});

const clients = () => standardClients();
const keyCredential = (client: PrivateKeyJwtClient, algorithm: string, data: Record<string, unknown> = {}) =>
	stored(`jwt-${client.clientId}-${algorithm}`, TYPE, {
		tokenUrl: server.tokenUrl,
		clientId: client.clientId,
		algorithm,
		privateKey: client.privateKeyPem,
		keyId: client.kid,
		...data,
	});
const tokenCount = async (clientId: string) => (await server.stats()).tokenRequests.byClient[clientId] ?? { total: 0, ok: 0, failed: 0 };
const jtiOf = (body: string | undefined) => {
	const assertion = new URLSearchParams(body).get('client_assertion') ?? '';
	return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()).jti as string;
};

describe('private_key_jwt and client_secret_jwt against oidc-provider', () => {
	const cases: Array<[string, () => PrivateKeyJwtClient]> = [
		['RS256', () => clients().jwtRs256],
		['RS384', () => clients().jwtRsaAny],
		['RS512', () => clients().jwtRsaAny],
		['PS256', () => clients().jwtPs256],
		['PS384', () => clients().jwtRsaAny],
		['PS512', () => clients().jwtRsaAny],
		['ES256', () => clients().jwtEs256],
		['ES384', () => clients().jwtEs384],
		['ES512', () => clients().jwtEs512],
	];

	it.each(cases)('%s: the server accepts the assertion and the API the token', async (algorithm, client) => {
		const credential = keyCredential(client(), algorithm);
		const before = await tokenCount(client().clientId);
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
		expect(error).toBeUndefined();
		expect(output()[0].clientId).toBe(client().clientId);
		expect((await tokenCount(client().clientId)).ok).toBe(before.ok + 1);
	});

	it.each([
		['HS256', () => clients().jwtHs256],
		['HS384', () => clients().jwtHsAny],
		['HS512', () => clients().jwtHsAny],
	])('%s (client_secret_jwt): the server accepts the assertion', async (algorithm, client) => {
		const credential = stored(`hs-${algorithm}`, TYPE, { tokenUrl: server.tokenUrl, clientId: client().clientId, algorithm, clientSecret: client().clientSecret });
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
		expect(error).toBeUndefined();
		expect(output()[0].clientId).toBe(client().clientId);
	});

	it('accepts the issuer as assertion audience', async () => {
		const credential = keyCredential(clients().jwtEs256, 'ES256', { assertionAudience: 'issuer', issuer: server.issuer });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
		expect(error).toBeUndefined();
		const request = await server.lastTokenRequest(clients().jwtEs256.clientId);
		const assertion = new URLSearchParams(request?.body).get('client_assertion') ?? '';
		expect(JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString()).aud).toBe(server.issuer);
	});

	it('surfaces the server\'s invalid_client clearly for a wrong audience', async () => {
		const credential = keyCredential(clients().jwtRs256, 'RS256', { assertionAudience: 'custom', customAudience: 'https://someone-else.example.test' });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
		expect(error?.message).toMatch(/refused the token request \(HTTP 401, invalid_client/);
		expect(error?.message).toMatch(/Check the Client ID/);
	});

	it('surfaces the server\'s invalid_client clearly for a key the server does not know', async () => {
		const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		const credential = keyCredential(clients().jwtRs256, 'RS256', { privateKey: stranger });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
		expect(error?.message).toMatch(/invalid_client/);
	});

	it('never reuses a jti: two token requests in a row both succeed (the server rejects replays)', async () => {
		const client = clients().jwtPs256;
		const credential = keyCredential(client, 'PS256');
		const helper = helperWith([credential]);
		const before = await tokenCount(client.clientId);
		expect((await callApi({ helper, credential, urls: [server.apiUrl] })).error).toBeUndefined();
		const first = jtiOf((await server.lastTokenRequest(client.clientId))?.body);
		replaceSharedTokenCache(new TokenCache());
		expect((await callApi({ helper, credential, urls: [server.apiUrl] })).error).toBeUndefined();
		const second = jtiOf((await server.lastTokenRequest(client.clientId))?.body);
		expect(second).not.toBe(first);
		expect(await tokenCount(client.clientId)).toEqual({ total: before.total + 2, ok: before.ok + 2, failed: before.failed });
	});

	it('refuses a missing custom audience before anything is sent, naming the field', async () => {
		const client = clients().jwtEs256;
		const credential = keyCredential(client, 'ES256', { assertionAudience: 'custom', customAudience: '' });
		const before = await tokenCount(client.clientId);
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
		expect(error?.message).toBe('Custom Audience: is empty; with this Assertion Audience, enter the audience the server expects.');
		expect(await tokenCount(client.clientId)).toEqual(before);
	});

	it('reports a key that does not fit the algorithm in the credential test, naming the field', async () => {
		const credential = keyCredential(clients().jwtEs256, 'RS256');
		const result = await testCredential(helperWith([credential]), TYPE, { id: credential.id, name: credential.name, type: TYPE, data: credential.data });
		expect(result).toEqual({ status: 'Error', message: 'Private Key: is an EC key, but RS256 needs an RSA key. Choose an ES algorithm for EC keys.' });
	});

	it('passes the credential test with a good key', async () => {
		const credential = keyCredential(clients().jwtEs256, 'ES256');
		const result = await testCredential(helperWith([credential]), TYPE, { id: credential.id, name: credential.name, type: TYPE, data: credential.data });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});
