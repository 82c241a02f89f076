/**
 * Proves the harness against n8n's real engine: every request below goes through n8n-core's
 * `WorkflowExecute`, node execution contexts and request helpers to a local HTTP server.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeType,
	NodeApiError,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { testCredential } from './credential-test';
import { createAdditionalData, errorOf, itemsOf, outputOf, runWorkflow } from './engine';
import { API_CALL_NODE_TYPE, ApiCall } from './nodes/ApiCall.node';
import type { ApiCallHelper } from './nodes/ApiCall.node';

// ------------------------------------------------------------------ token + API server

interface ApiRequest {
	path: string;
	authorization: string | undefined;
	status: number;
	apiKey?: string;
	query?: string;
}

class TestServer {
	private server!: Server;

	baseUrl = '';

	private tokenCounter = 0;

	readonly validTokens = new Set<string>();

	tokenRequests = 0;

	apiRequests: ApiRequest[] = [];

	async start(): Promise<void> {
		this.server = createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
	}

	reset(): void {
		this.validTokens.clear();
		this.tokenCounter = 0;
		this.tokenRequests = 0;
		this.apiRequests = [];
	}

	revokeAll(): void {
		this.validTokens.clear();
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString();
		const send = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const path = (req.url ?? '/').split('?')[0];

		if (path === '/token' && req.method === 'POST') {
			this.tokenRequests++;
			const body = raw ? (JSON.parse(raw) as IDataObject) : {};
			if (body.client_id !== 'client' || body.client_secret !== 'secret') {
				send(401, { error: 'invalid_client' });
				return;
			}
			const token = `tok-${++this.tokenCounter}`;
			this.validTokens.add(token);
			send(200, { access_token: token, expires_in: 3600 });
			return;
		}

		const authorization = req.headers.authorization;
		const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
		let status = 200;
		if (path === '/api/fail') status = 500;
		else if (path === '/api/generic') status = req.headers['x-api-key'] === 'k-123' ? 200 : 401;
		else if (!token || !this.validTokens.has(token)) status = 401;
		if (path === '/api/generic') {
			const query = (req.url ?? '').split('?')[1];
			this.apiRequests.push({ path, authorization, status, apiKey: req.headers['x-api-key'] as string, query });
		} else {
			this.apiRequests.push({ path, authorization, status });
		}
		if (status === 200 && path === '/api/list') send(200, [{ n: 0 }, { n: 1 }]);
		else if (status === 200) send(200, { ok: true, path, token, method: req.method, body: raw || null });
		else send(status, { error: status === 401 ? 'invalid_token' : 'server_error' });
	}
}

// ------------------------------------------------------------------ credential types under test

const TYPE = 'harnessTokenApi';

/** Tokens of the non-persisting mode, held outside n8n like a module-level token cache. */
const outsideCache = new Map<string, string>();

/**
 * A credential in the shape of an n8n client-credentials credential: a hidden expirable
 * `accessToken`, `preAuthentication` fetching a token, and a function `authenticate`.
 * `persist: false` makes `preAuthentication` return an object without the expirable key.
 */
class HarnessTokenApi implements ICredentialType {
	name = TYPE;

	displayName = 'Harness Token API';

	properties: ICredentialType['properties'] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Persist Token', name: 'persist', type: 'boolean', default: true },
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/token`,
			body: { client_id: credentials.clientId, client_secret: credentials.clientSecret },
			json: true,
		})) as { access_token: string };
		if (credentials.persist === false) {
			outsideCache.set(credentials.clientId as string, response.access_token);
			return { fetchedAt: Date.now() };
		}
		return { accessToken: response.access_token };
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
		const token = (credentials.accessToken as string) || outsideCache.get(credentials.clientId as string);
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${token}` };
		return requestOptions;
	}

	test: ICredentialType['test'] = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/api/me' },
	};
}

/** A credential whose test is a node's `testedBy` function. */
const FN_TYPE = 'harnessFnApi';
const harnessFnApi: ICredentialType = {
	name: FN_TYPE,
	displayName: 'Harness Function-tested API',
	properties: [{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' }],
};
const fnTestedNode: INodeType = {
	description: {
		displayName: 'Fn Tested',
		name: 'harness.fnTested',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Fn Tested' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: FN_TYPE, required: true, testedBy: 'harnessFnTest' }],
		properties: [],
	},
	methods: {
		credentialTest: {
			async harnessFnTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return credential.data?.apiKey === 'good'
					? { status: 'OK', message: 'Fine' }
					: { status: 'Error', message: `Bad key ${String(credential.data?.apiKey)}` };
			},
		},
	},
};

/** A credential with declarative (`IAuthenticateGeneric`) authentication. */
const GENERIC_TYPE = 'harnessGenericApi';
const harnessGenericApi: ICredentialType = {
	name: GENERIC_TYPE,
	displayName: 'Harness Generic API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' },
		{ displayName: 'Tenant', name: 'tenant', type: 'string', default: 'default-tenant' },
	],
	authenticate: {
		type: 'generic',
		properties: {
			headers: { 'X-Api-Key': '={{$credentials.apiKey}}' },
			qs: { tenant: '={{$credentials.tenant}}', fixed: 'yes' },
		},
	},
};

// ------------------------------------------------------------------ helpers

const server = new TestServer();
const CRED_ID = 'cred-1';

function makeHelper(data: ICredentialDataDecryptedObject = {}): TestCredentialsHelper {
	return new TestCredentialsHelper(
		[new HarnessTokenApi(), harnessFnApi, harnessGenericApi],
		[
			{
				id: CRED_ID,
				name: 'Harness credential',
				type: TYPE,
				data: { baseUrl: server.baseUrl, clientId: 'client', clientSecret: 'secret', ...data },
			},
		],
	);
}

function apiCallNode(helper: ApiCallHelper, extra: Partial<INode> = {}, url = '={{ $json.url }}'): INode {
	return {
		id: 'api-call',
		name: 'API Call',
		type: API_CALL_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: { credentialType: TYPE, url, method: 'GET', helper },
		credentials: { [TYPE]: { id: CRED_ID, name: 'Harness credential' } },
		...extra,
	};
}

async function run(
	credentialsHelper: TestCredentialsHelper,
	helper: ApiCallHelper,
	items: IDataObject[],
	extra: Partial<INode> = {},
) {
	return await runWorkflow({
		nodeTypes: { [API_CALL_NODE_TYPE]: new ApiCall() },
		nodes: [apiCallNode(helper, extra)],
		credentialsHelper,
		items,
	});
}

const urls = (n: number, path = '/api/thing') =>
	Array.from({ length: n }, (_, i) => ({ url: `${server.baseUrl}${path}/${i}` }));

beforeAll(async () => {
	await server.start();
});

afterAll(async () => {
	await server.stop();
});

beforeEach(() => {
	server.reset();
	outsideCache.clear();
});

// ------------------------------------------------------------------ tests

describe('TestCredentialsHelper (CLI behaviour without the engine)', () => {
	it('getDecrypted returns a fresh copy with defaults applied for missing fields', async () => {
		const helper = makeHelper();
		const additionalData = createAdditionalData({ credentialsHelper: helper });
		const details = { id: CRED_ID, name: 'Harness credential' };
		const a = await helper.getDecrypted(additionalData, details, TYPE, 'manual');
		const b = await helper.getDecrypted(additionalData, details, TYPE, 'manual');
		expect(a).not.toBe(b);
		expect(a).toEqual(b);
		expect(a.accessToken).toBe('');
		expect(a.persist).toBe(true);
		a.clientId = 'changed';
		expect((await helper.getDecrypted(additionalData, details, TYPE, 'manual')).clientId).toBe('client');
		expect(helper.getStoredData(CRED_ID)).not.toHaveProperty('accessToken');
		await expect(
			helper.getDecrypted(additionalData, { id: 'nope', name: 'x' }, TYPE, 'manual'),
		).rejects.toThrow('Credential with ID "nope" does not exist for type "harnessTokenApi".');
	});

	it('getParentTypes follows extends transitively', () => {
		const helper = new TestCredentialsHelper([
			{ name: 'a', displayName: 'A', properties: [] },
			{ name: 'b', displayName: 'B', properties: [], extends: ['a'] },
			{ name: 'c', displayName: 'C', properties: [], extends: ['b'] },
		]);
		expect(helper.getParentTypes('c')).toEqual(['b', 'a']);
		expect(helper.getParentTypes('unknown')).toEqual([]);
	});
});

describe('runWorkflow through n8n-core with ApiCall', () => {
	it.each<ApiCallHelper>(['requestWithAuthentication', 'httpRequestWithAuthentication'])(
		'sends one authenticated request per item (%s)',
		async (helperName) => {
			const helper = makeHelper();
			const n = 5;
			const result = await run(helper, helperName, urls(n));

			expect(errorOf(result)).toBeUndefined();
			expect(result.status).toBe('success');
			expect(server.apiRequests).toHaveLength(n);
			for (const request of server.apiRequests) {
				expect(request.status).toBe(200);
				expect(request.authorization).toMatch(/^Bearer tok-\d+$/);
			}
			const output = outputOf(result, 'API Call');
			expect(output.map((o) => o.path)).toEqual(urls(n).map((_, i) => `/api/thing/${i}`));
			expect(itemsOf(result, 'API Call').map((i) => i.pairedItem)).toEqual(
				urls(n).map((_, i) => ({ item: i })),
			);
			// Cold start: every item that read the credential before the first token was persisted
			// runs preAuthentication itself (n8n has no single-flight), hence 1..n token requests.
			expect(server.tokenRequests).toBeGreaterThanOrEqual(1);
			expect(server.tokenRequests).toBeLessThanOrEqual(n);
			expect(helper.preAuthenticationCalls).toBe(server.tokenRequests);
			expect(helper.counters.authenticateCalls).toBe(n);
			// Like the HTTP Request node: domain check, the helper itself, UI redaction afterwards.
			expect(helper.counters.getDecryptedCalls).toBe(3 * n);
		},
	);

	it('supports many concurrent executions in one process', async () => {
		const helper = makeHelper({ accessToken: 'tok-pre' });
		server.validTokens.add('tok-pre');
		const runs = await Promise.all(
			Array.from({ length: 200 }, async (_, i) =>
				await run(helper, i % 2 ? 'httpRequestWithAuthentication' : 'requestWithAuthentication', [
					{ url: `${server.baseUrl}/api/run/${i}` },
				]),
			),
		);
		runs.forEach((result, i) => {
			expect(errorOf(result)).toBeUndefined();
			expect(outputOf(result, 'API Call')).toEqual([expect.objectContaining({ path: `/api/run/${i}` })]);
		});
		expect(server.apiRequests).toHaveLength(200);
		expect(server.tokenRequests).toBe(0);
	});
});

describe('generic (declarative) authenticate', () => {
	it.each<ApiCallHelper>(['requestWithAuthentication', 'httpRequestWithAuthentication'])(
		'resolves ={{$credentials.x}} into headers and qs, with defaults applied (%s)',
		async (helperName) => {
			const helper = makeHelper();
			helper.addCredential({ id: 'gen', name: 'Generic', type: GENERIC_TYPE, data: { apiKey: 'k-123' } });
			const result = await runWorkflow({
				nodeTypes: { [API_CALL_NODE_TYPE]: new ApiCall() },
				nodes: [
					{
						...apiCallNode(helperName),
						parameters: {
							credentialType: GENERIC_TYPE,
							url: '={{ $json.url }}',
							method: 'GET',
							helper: helperName,
						},
						credentials: { [GENERIC_TYPE]: helper.nodeCredentialsFor('gen') },
					},
				],
				credentialsHelper: helper,
				items: [{ url: `${server.baseUrl}/api/generic` }],
			});
			expect(errorOf(result)).toBeUndefined();
			expect(server.apiRequests).toEqual([
				{
					path: '/api/generic',
					authorization: undefined,
					status: 200,
					apiKey: 'k-123',
					query: 'tenant=default-tenant&fixed=yes',
				},
			]);
			expect(helper.preAuthenticationCalls).toBe(0);
		},
	);
});

describe('preAuthentication as the CLI runs it', () => {
	it('runs when the expirable field is empty and persists when the output has the expirable key', async () => {
		const helper = makeHelper();
		const first = await run(helper, 'httpRequestWithAuthentication', urls(1));
		expect(errorOf(first)).toBeUndefined();
		expect(helper.preAuthenticationCalls).toBe(1);
		expect(helper.updateCount).toBe(1);
		const stored = helper.getStoredData(CRED_ID)!;
		expect(stored.accessToken).toBe('tok-1');
		expect(stored.clientSecret).toBe('secret');

		// The field is filled now: no preAuthentication, no token request, same token.
		const second = await run(helper, 'httpRequestWithAuthentication', urls(2));
		expect(errorOf(second)).toBeUndefined();
		expect(helper.preAuthenticationCalls).toBe(1);
		expect(helper.updateCount).toBe(1);
		expect(server.tokenRequests).toBe(1);
		expect(server.apiRequests.map((r) => r.authorization)).toEqual([
			'Bearer tok-1',
			'Bearer tok-1',
			'Bearer tok-1',
		]);
	});

	it('persists nothing and asks again on every request when the output lacks the expirable key', async () => {
		const helper = makeHelper({ persist: false });
		await run(helper, 'httpRequestWithAuthentication', urls(1));
		const result = await run(helper, 'requestWithAuthentication', urls(1));
		expect(errorOf(result)).toBeUndefined();
		expect(helper.preAuthenticationCalls).toBe(2);
		expect(server.tokenRequests).toBe(2);
		expect(helper.updateCount).toBe(0);
		expect(helper.getStoredData(CRED_ID)).not.toHaveProperty('accessToken');
		expect(server.apiRequests.map((r) => r.status)).toEqual([200, 200]);
	});

	it('re-authenticates once and resends after a 401 (httpRequestWithAuthentication)', async () => {
		const helper = makeHelper({ accessToken: 'tok-stale' });
		const result = await run(helper, 'httpRequestWithAuthentication', urls(1));
		expect(errorOf(result)).toBeUndefined();
		expect(server.apiRequests.map((r) => [r.status, r.authorization])).toEqual([
			[401, 'Bearer tok-stale'],
			[200, 'Bearer tok-1'],
		]);
		expect(helper.counters.preAuthenticationExpiredCalls).toBe(1);
		expect(helper.preAuthenticationCalls).toBe(1);
		expect(helper.getStoredData(CRED_ID)!.accessToken).toBe('tok-1');
		expect(outputOf(result, 'API Call')[0].token).toBe('tok-1');
	});

	it('does not re-authenticate after a 500 with httpRequestWithAuthentication, but the legacy helper does', async () => {
		const modern = makeHelper({ accessToken: 'tok-pre' });
		server.validTokens.add('tok-pre');
		const items = [{ url: `${server.baseUrl}/api/fail` }];
		const a = await run(modern, 'httpRequestWithAuthentication', items, { onError: 'continueRegularOutput' });
		expect(errorOf(a)).toBeUndefined();
		expect(modern.preAuthenticationCalls).toBe(0);
		expect(server.apiRequests).toHaveLength(1);

		const legacy = makeHelper({ accessToken: 'tok-pre' });
		const b = await run(legacy, 'requestWithAuthentication', items, { onError: 'continueRegularOutput' });
		expect(errorOf(b)).toBeUndefined();
		expect(legacy.counters.preAuthenticationExpiredCalls).toBe(1);
		expect(server.apiRequests).toHaveLength(3);
	});
});

describe('errors', () => {
	it.each<ApiCallHelper>(['requestWithAuthentication', 'httpRequestWithAuthentication'])(
		'continueOnFail turns a failed item into an error item (%s)',
		async (helperName) => {
			const helper = makeHelper();
			const items = ['/api/fail', '/api/list', '/api/ok'].map((path) => ({ url: `${server.baseUrl}${path}` }));
			const result = await run(helper, helperName, items, { onError: 'continueRegularOutput' });
			expect(errorOf(result)).toBeUndefined();
			const out = itemsOf(result, 'API Call');
			// 4 items from 3 inputs: the engine cannot fill pairedItem itself, the node must set it.
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }, { item: 2 }]);
			expect(out[0].json.error).toBeDefined();
			expect(JSON.stringify(out[0].json.error)).toContain('500');
			expect(out.slice(1).map((item) => item.json)).toEqual([
				{ n: 0 },
				{ n: 1 },
				expect.objectContaining({ ok: true, path: '/api/ok' }),
			]);
		},
	);

	it('without continueOnFail the execution fails with the node error', async () => {
		const helper = makeHelper();
		const result = await run(helper, 'httpRequestWithAuthentication', [
			{ url: `${server.baseUrl}/api/fail` },
		]);
		expect(result.status).toBe('error');
		const error = errorOf(result);
		expect(error).toBeDefined();
		expect(error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '500',
			message: 'The service was not able to process your request',
		});
		expect((error as NodeApiError).node.name).toBe('API Call');
		expect(outputOf(result, 'API Call')).toEqual([]);
	});
});

describe('credential access rules of n8n-core (FULL_ACCESS_NODE_TYPES)', () => {
	it('needs INode.credentials for the type even under the HTTP Request type name', async () => {
		const helper = makeHelper();
		const result = await run(helper, 'httpRequestWithAuthentication', urls(1), { credentials: undefined });
		expect(errorOf(result)?.message).toBe('Credentials not found');
		expect(server.apiRequests).toEqual([]);
	});

	it('refuses the credential when the node type name is not a full-access one', async () => {
		const helper = makeHelper();
		const result = await runWorkflow({
			nodeTypes: { 'harness.apiCall': new ApiCall() },
			nodes: [{ ...apiCallNode('httpRequestWithAuthentication'), type: 'harness.apiCall' }],
			credentialsHelper: helper,
			items: urls(1),
		});
		expect(errorOf(result)?.message).toBe('Node type "harness.apiCall" does not have any credentials defined');
		expect(server.apiRequests).toEqual([]);
	});
});

describe('testCredential (CLI CredentialsTester)', () => {
	const decrypted = (data: ICredentialDataDecryptedObject): ICredentialsDecrypted => ({
		id: CRED_ID,
		name: 'Harness credential',
		type: TYPE,
		data: { baseUrl: server.baseUrl, clientId: 'client', ...data },
	});

	it('returns OK for a good credential (test.request through RoutingNode)', async () => {
		const helper = makeHelper();
		const result = await testCredential(helper, TYPE, decrypted({ clientSecret: 'secret' }));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		// The temp node forces preAuthentication, and its result is persisted to the stored id.
		expect(helper.preAuthenticationCalls).toBe(1);
		expect(helper.updateCount).toBe(1);
		expect(server.apiRequests).toEqual([
			{ path: '/api/me', authorization: 'Bearer tok-1', status: 200 },
		]);
	});

	it('forces preAuthentication for the temp node even when the expirable field is set', async () => {
		const helper = makeHelper();
		const result = await testCredential(
			helper,
			TYPE,
			decrypted({ clientSecret: 'secret', accessToken: 'tok-old' }),
		);
		expect(result.status).toBe('OK');
		expect(helper.preAuthenticationCalls).toBe(1);
		expect(server.apiRequests.map((r) => r.authorization)).toEqual(['Bearer tok-1']);
		expect(helper.getStoredData(CRED_ID)!.accessToken).toBe('tok-1');
	});

	it('returns Error with the message for a bad credential', async () => {
		const helper = makeHelper();
		const result = await testCredential(helper, TYPE, decrypted({ clientSecret: 'wrong' }));
		// The token endpoint's 401 surfaces with its status text; n8n-core treats that 401 like an
		// API 401 and runs preAuthentication a second time (credentialsExpired) before giving up.
		expect(result).toEqual({ status: 'Error', message: 'Unauthorized' });
		expect(server.tokenRequests).toBe(2);
		expect(helper.counters.preAuthenticationExpiredCalls).toBe(1);
		expect(server.apiRequests).toEqual([]);
		expect(helper.updateCount).toBe(0);
	});

	it('fails like the CLI when preAuthentication output must be persisted to an unknown id', async () => {
		const helper = makeHelper();
		const result = await testCredential(helper, TYPE, {
			...decrypted({ clientSecret: 'secret' }),
			id: 'unsaved',
		});
		expect(result).toEqual({
			status: 'Error',
			message: 'Credential with ID "unsaved" does not exist for type "harnessTokenApi".',
		});
	});

	it('applies responseCode rules', async () => {
		const type = new HarnessTokenApi();
		type.test = {
			request: { baseURL: '={{$credentials.baseUrl}}', url: '/api/me' },
			rules: [{ type: 'responseCode', properties: { value: 401, message: 'Token rejected by the API' } }],
		};
		const helper = new TestCredentialsHelper(
			[type],
			[{ id: CRED_ID, name: 'Harness credential', type: TYPE, data: {} }],
		);
		// The token endpoint accepts, but the API does not know the token: a 401 from the API.
		const original = server.validTokens.add.bind(server.validTokens);
		server.validTokens.add = () => server.validTokens;
		try {
			const result = await testCredential(helper, TYPE, decrypted({ clientSecret: 'secret' }));
			expect(result).toEqual({ status: 'Error', message: 'Token rejected by the API' });
		} finally {
			server.validTokens.add = original;
		}
	});

	it('runs a node testedBy function', async () => {
		const helper = makeHelper();
		const nodeTypes = { 'harness.fnTested': fnTestedNode };
		const fn = (apiKey: string): ICredentialsDecrypted => ({
			id: 'fn',
			name: 'fn',
			type: FN_TYPE,
			data: { apiKey },
		});
		expect(await testCredential(helper, FN_TYPE, fn('good'), { nodeTypes })).toEqual({
			status: 'OK',
			message: 'Fine',
		});
		expect(await testCredential(helper, FN_TYPE, fn('bad'), { nodeTypes })).toEqual({
			status: 'Error',
			message: 'Bad key bad',
		});
		expect(await testCredential(helper, FN_TYPE, fn('good'))).toEqual({
			status: 'Error',
			message: 'No testing function found for this credential.',
		});
	});
});
