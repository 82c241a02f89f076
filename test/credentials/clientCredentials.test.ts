/**
 * The OAuth2 Client Credentials credential as n8n uses it: through n8n-core's engine, in an
 * HTTP-Request-like node with a predefined credential type, against oidc-provider on 127.0.0.1.
 */
import { Readable } from 'node:stream';

import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions, INode, INodeType } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/ClientCredentialsOAuth2Api.credentials';
import { nodeHttpSender } from '../support/nodeHttpSender';

import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { basicAuthorization, TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2';
import { testCredential } from '../harness/credential-test';
import type { ApiCallHelper } from '../harness/nodes/ApiCall.node';
import { startStandardOidcServer, type OidcServerHandle } from '../servers/oidc';
import { API_RESOURCE, BASIC_CLIENT, POST_CLIENT, RESOURCE_CLIENT, SHORT_LIVED_CLIENT } from '../servers/oidc/clients';
import { startFaultServer, type FaultServer } from '../servers/fault-server';
import { callApi, helperWith, stored } from '../support/engineRun';

const TYPE = 'oAuth2ClientCredentialsApi';
const HELPERS: ApiCallHelper[] = ['httpRequestWithAuthentication', 'requestWithAuthentication'];

let server: OidcServerHandle;
let faults: FaultServer;

beforeAll(async () => {
	({ server } = await startStandardOidcServer());
	faults = await startFaultServer();
});

afterAll(async () => {
	await server?.stop();
	await faults?.close();
});

beforeEach(async () => {
	replaceSharedTokenCache(new TokenCache());
	await server.reset();
});

const basic = (data: Record<string, unknown> = {}, id = 'basic') =>
	stored(id, TYPE, {
		tokenUrl: server.tokenUrl,
		clientId: BASIC_CLIENT.clientId,
		clientSecret: BASIC_CLIENT.clientSecret,
		clientAuthentication: 'header',
		scope: 'read',
		...data,
	});
const post = (data: Record<string, unknown> = {}, id = 'post') =>
	stored(id, TYPE, { tokenUrl: server.tokenUrl, clientId: POST_CLIENT.clientId, clientSecret: POST_CLIENT.clientSecret, ...data });
const apiUrls = (n: number) => Array.from({ length: n }, (_, i) => `${server.apiBaseUrl}item/${i}`);
const tokenRequests = async (clientId: string) => (await server.stats()).tokenRequests.byClient[clientId] ?? { total: 0, ok: 0, failed: 0 };

describe('getting tokens from a real authorization server', () => {
	it.each(HELPERS)('client_secret_basic: the Basic header is encoded as RFC 6749 §2.3.1 requires and the API accepts the token (%s)', async (httpHelper) => {
		const credential = basic();
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: apiUrls(3), httpHelper });
		expect(error).toBeUndefined();
		expect(output().map((item) => item.clientId)).toEqual([BASIC_CLIENT.clientId, BASIC_CLIENT.clientId, BASIC_CLIENT.clientId]);
		const request = await server.lastTokenRequest(BASIC_CLIENT.clientId);
		expect(request?.headers.authorization).toBe(basicAuthorization(BASIC_CLIENT.clientId, BASIC_CLIENT.clientSecret));
		expect(new URLSearchParams(request?.body).has('client_secret')).toBe(false);
		expect(await tokenRequests(BASIC_CLIENT.clientId)).toEqual({ total: 1, ok: 1, failed: 0 });
	});

	it.each(HELPERS)('client_secret_post: id and secret travel in the body, no Authorization header (%s)', async (httpHelper) => {
		const credential = post();
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: apiUrls(2), httpHelper });
		expect(error).toBeUndefined();
		expect(output()[0].clientId).toBe(POST_CLIENT.clientId);
		const request = await server.lastTokenRequest(POST_CLIENT.clientId);
		const body = new URLSearchParams(request?.body);
		expect([body.get('grant_type'), body.get('client_id'), body.get('client_secret')]).toEqual(['client_credentials', POST_CLIENT.clientId, POST_CLIENT.clientSecret]);
		expect(request?.headers.authorization).toBeUndefined();
	});

	it('asks for a resource indicator, and the API sees it as the token audience (RFC 8707)', async () => {
		const credential = stored('resource', TYPE, {
			tokenUrl: server.tokenUrl,
			clientId: RESOURCE_CLIENT.clientId,
			clientSecret: RESOURCE_CLIENT.clientSecret,
			resource: API_RESOURCE,
		});
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: apiUrls(1) });
		expect(error).toBeUndefined();
		expect(output()[0].resource ?? output()[0].aud).toBe(API_RESOURCE);
		expect(new URLSearchParams((await server.lastTokenRequest(RESOURCE_CLIENT.clientId))?.body).get('resource')).toBe(API_RESOURCE);
	});

	it('sends custom parameters in the body, as headers and in the URL query', async () => {
		const credential = post({
			customParameters: {
				parameter: [
					{ key: 'tenant_hint', value: 'acme corp', sendAs: 'body' },
					{ key: 'X-Tenant', value: 't-1', sendAs: 'header' },
					{ key: 'api-version', value: '2.0', sendAs: 'query' },
				],
			},
		});
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: apiUrls(1) });
		expect(error).toBeUndefined();
		const request = await server.lastTokenRequest(POST_CLIENT.clientId);
		expect(new URLSearchParams(request?.body).get('tenant_hint')).toBe('acme corp');
		expect(request?.headers['x-tenant']).toBe('t-1');
		expect(new URLSearchParams(request?.query).get('api-version')).toBe('2.0');
	});

	it('sends a JSON token request when Content Type says so', async () => {
		const credential = post({ tokenUrl: faults.url('/json-token'), contentType: 'application/json' });
		faults.requests.length = 0;
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/no-expires-in')] });
		// The fault server's /no-expires-in is not an API, so just check the token request.
		void output;
		void error;
		const tokenRequest = faults.requests.find((r) => r.path === '/json-token');
		expect(tokenRequest?.headers['content-type']).toBe('application/json');
		expect(JSON.parse(tokenRequest?.body ?? '{}')).toMatchObject({ grant_type: 'client_credentials', client_id: POST_CLIENT.clientId });
		expect(faults.requests.find((r) => r.path === '/no-expires-in')?.headers.authorization).toBe(`Bearer json-token-for-${POST_CLIENT.clientId}`);
	});
});

describe('one token, reused', () => {
	it.each(HELPERS)('200 items in one execution cost one token request (%s)', async (httpHelper) => {
		const credential = post();
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: apiUrls(200), httpHelper });
		expect(error).toBeUndefined();
		expect(output()).toHaveLength(200);
		expect((await tokenRequests(POST_CLIENT.clientId)).total).toBe(1);
	});

	it('30 executions started at once share one token request', async () => {
		const credential = post();
		const helper = helperWith([credential]);
		const runs = await Promise.all(Array.from({ length: 30 }, () => callApi({ helper, credential, urls: apiUrls(5) })));
		expect(runs.every((run) => run.error === undefined)).toBe(true);
		expect((await tokenRequests(POST_CLIENT.clientId)).total).toBe(1);
	});

	it.each(HELPERS)('renews short-lived tokens before they expire: no request rejected over several lifetimes (%s)', async (httpHelper) => {
		const credential = stored('short', TYPE, { tokenUrl: server.tokenUrl, clientId: SHORT_LIVED_CLIENT.clientId, clientSecret: SHORT_LIVED_CLIENT.clientSecret });
		const helper = helperWith([credential]);
		const lifetimeMs = SHORT_LIVED_CLIENT.ttl * 1000;
		const started = Date.now();
		let executions = 0;
		// Steady traffic for three and a quarter token lifetimes (bounded by time and count).
		while (Date.now() - started < lifetimeMs * 3.25 && executions < 200) {
			const { error } = await callApi({ helper, credential, urls: apiUrls(4), httpHelper });
			expect(error).toBeUndefined();
			executions++;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const stats = await server.stats();
		expect(stats.apiUnauthorized).toBe(0);
		expect(stats.tokenRequests.byClient[SHORT_LIVED_CLIENT.clientId].failed).toBe(0);
		// Renewed 0.4 s before each expiry: a token per lifetime or so, never one per execution.
		expect(stats.tokenRequests.byClient[SHORT_LIVED_CLIENT.clientId].total).toBeGreaterThanOrEqual(3);
		expect(stats.tokenRequests.byClient[SHORT_LIVED_CLIENT.clientId].total).toBeLessThan(executions / 2);
	});

	class Revoke implements INodeType {
		description = {
			displayName: 'Revoke',
			name: 'test.revoke',
			group: ['transform'],
			version: 1,
			description: 'Revokes every token of the client',
			defaults: { name: 'Revoke' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeType['description'];
		async execute(this: import('n8n-workflow').IExecuteFunctions) {
			await server.revokeAll(POST_CLIENT.clientId);
			return [apiUrls(50).map((url, index) => ({ json: { url }, pairedItem: { item: index } }))];
		}
	}
	const revokeNode: INode = { id: 'revoke', name: 'Revoke', type: 'test.revoke', typeVersion: 1, position: [0, 0], parameters: {} };

	it('when every token is revoked mid-run, the run still succeeds with one new token (httpRequestWithAuthentication, which n8n resends only after a 401)', async () => {
		const credential = post();
		const { output, error } = await callApi({ helper: helperWith([credential]), credential, urls: apiUrls(50), between: { node: revokeNode, type: new Revoke() } });
		expect(error).toBeUndefined();
		expect(output('Call API')).toHaveLength(50);
		expect(output('Call API 2')).toHaveLength(50);
		expect(output('Call API 2').every((item) => item.clientId === POST_CLIENT.clientId)).toBe(true);
		const stats = await server.stats();
		expect(stats.apiUnauthorized).toBeGreaterThan(0);
		expect(stats.tokenRequests.byClient[POST_CLIENT.clientId]).toEqual({ total: 2, ok: 2, failed: 0 });
	});

	it('through the legacy requestWithAuthentication (which retries after any failure), a revoked token fails its one request, unsent again, and the next run gets a new token', async () => {
		const credential = post();
		const helper = helperWith([credential]);
		const { output, error } = await callApi({ helper, credential, urls: apiUrls(50), httpHelper: 'requestWithAuthentication', between: { node: revokeNode, type: new Revoke() } });
		expect(output('Call API')).toHaveLength(50);
		expect(error?.message).toMatch(/Authorization failed/);
		// The node sends its items concurrently: each refused request once (50 items), none resent;
		// the revoked token was dropped, not fetched anew within the failed run.
		expect((await server.stats()).apiUnauthorized).toBeGreaterThan(0);
		expect((await server.stats()).apiUnauthorized).toBeLessThanOrEqual(50);
		expect((await server.stats()).tokenRequests.byClient[POST_CLIENT.clientId]).toEqual({ total: 1, ok: 1, failed: 0 });
		const next = await callApi({ helper, credential, urls: apiUrls(5), httpHelper: 'requestWithAuthentication' });
		expect(next.error).toBeUndefined();
		expect((await server.stats()).tokenRequests.byClient[POST_CLIENT.clientId]).toEqual({ total: 2, ok: 2, failed: 0 });
	});
});

describe('failures', () => {
	it('a wrong secret fails with the server\'s answer explained; the failure is not cached, so the fixed credential works at once', async () => {
		const wrong = post({ clientSecret: 'not-the-secret' });
		const helper = helperWith([wrong]);
		const failed = await callApi({ helper, credential: wrong, urls: apiUrls(3) });
		expect(failed.error?.message).toMatch(/refused the token request \(HTTP 401, invalid_client/);
		expect(failed.error?.message).toMatch(/Check the Client ID and Client Secret/);
		helper.setStoredData('post', { ...wrong.data, clientSecret: POST_CLIENT.clientSecret });
		const fixed = await callApi({ helper, credential: wrong, urls: apiUrls(3) });
		expect(fixed.error).toBeUndefined();
		expect(fixed.output()).toHaveLength(3);
	});

	it('two credentials with the same name and different secrets never share a token', async () => {
		const good = post({}, 'one');
		const bad = { ...post({ clientSecret: 'a-different-secret' }, 'two'), name: good.name };
		const helper = helperWith([good, bad]);
		expect((await callApi({ helper, credential: good, urls: apiUrls(1) })).error).toBeUndefined();
		const second = await callApi({ helper, credential: bad, urls: apiUrls(1) });
		expect(second.error?.message).toMatch(/invalid_client/);
		expect(await tokenRequests(POST_CLIENT.clientId)).toEqual({ total: 2, ok: 1, failed: 1 });
	});

	it('a bad custom parameter is refused before any request, naming the entry and the rule', async () => {
		const credential = post({
			customParameters: { parameter: [{ key: 'tenant', value: 'a', sendAs: 'body' }, { key: 'Client_ID', value: 'x', sendAs: 'body' }] },
		});
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: apiUrls(2) });
		expect(error?.message).toMatch(/Custom Parameters: entry 2 \("Client_ID"\): the key "Client_ID" is reserved/);
		expect((await server.stats()).tokenRequests.total).toBe(0);
		expect((await server.stats()).apiRequests).toBe(0);
	});
});

describe("the credential's hooks called directly, as n8n's helpers call them", () => {
	/** n8n's `httpRequest` contract over node:http (full response; a stream when asked for one). */
	const helpers = {
		httpRequest: async (options: IHttpRequestOptions) => {
			const answer = await nodeHttpSender({ method: options.method === 'GET' ? 'GET' : 'POST', url: String(options.url), headers: (options.headers ?? {}) as Record<string, string>, body: options.body as string | undefined, timeoutMs: 10_000 });
			const body = options.encoding === 'stream' ? Readable.from([Buffer.from(String(answer.body))]) : answer.body;
			return { statusCode: answer.status, headers: answer.headers, body };
		},
	};

	it('after a failed token request, an object used again is refused in authenticate, never sent without its token', async () => {
		const type = new ClientCredentialsOAuth2Api();
		const credentials: ICredentialDataDecryptedObject = { ...post({ tokenUrl: faults.url('/huge-error') }).data };
		const context = { helpers } as unknown as IHttpRequestHelper;
		await expect(type.preAuthentication!.call(context, credentials)).rejects.toThrow(/invalid_request/);
		// n8n's legacy helper asks once more at once: no second token request.
		await expect(type.preAuthentication!.call(context, credentials)).resolves.toEqual({});
		const request: IHttpRequestOptions = { url: faults.url('/api'), method: 'GET' };
		const authenticate = type.authenticate as (c: ICredentialDataDecryptedObject, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		await expect(authenticate(credentials, request)).rejects.toThrow(/invalid_request/);

		// A fresh copy of a working credential: fetched, sent with its token.
		const working: ICredentialDataDecryptedObject = { ...post({ tokenUrl: faults.url('/echo-token') }).data };
		await type.preAuthentication!.call(context, working);
		expect((await authenticate(working, request)).headers).toMatchObject({ Authorization: 'Bearer echo-token' });
	});
});

describe('the credential test button', () => {
	it.each([
		['client_secret_basic', () => basic()],
		['client_secret_post', () => post()],
	])('succeeds with %s', async (_name, make) => {
		const credential = make();
		const helper = helperWith([credential]);
		const result = await testCredential(helper, TYPE, { id: credential.id, name: credential.name, type: TYPE, data: credential.data });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('reports a wrong secret with the server\'s answer', async () => {
		const credential = basic({ clientSecret: 'wrong secret' });
		const result = await testCredential(helperWith([credential]), TYPE, { id: credential.id, name: credential.name, type: TYPE, data: credential.data });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/invalid_client/);
	});

	it('reports a bad custom parameter while editing, without sending anything', async () => {
		const credential = post({ customParameters: { parameter: [{ key: 'scope2', value: '   ', sendAs: 'header' }] } });
		const result = await testCredential(helperWith([credential]), TYPE, { id: credential.id, name: credential.name, type: TYPE, data: credential.data });
		expect(result).toEqual({ status: 'Error', message: 'Custom Parameters: entry 1 ("scope2"): Value is empty or only whitespace. Fill it in or remove the entry.' });
		expect((await server.stats()).tokenRequests.total).toBe(0);
	});
});
