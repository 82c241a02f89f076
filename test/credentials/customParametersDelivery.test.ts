/**
 * Custom parameters, end to end: through n8n's engine and n8n's HTTP client to a server that
 * records the raw request. Every entry either arrives exactly as configured, in its place, or
 * is refused before any request with a message naming it. The fuzz runs with a fixed seed here
 * (and larger in `npm run bench -- --only=customParameters`).
 */
import fc from 'fast-check';

import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2';
import { startFaultServer, type FaultServer } from '../servers/fault-server';
import { deliveryProblem, parameterSets, REFUSAL, sendCustomParameters, type Entry } from '../support/customParameterFuzz';

let faults: FaultServer;

beforeAll(async () => {
	faults = await startFaultServer();
});

afterAll(async () => {
	await faults?.close();
});

beforeEach(() => {
	replaceSharedTokenCache(new TokenCache());
	faults.requests.length = 0;
});

const send = (entries: Array<Entry | null>, contentType?: string) => sendCustomParameters(faults, entries, contentType);

describe('custom parameters arrive exactly or are refused by name', () => {
	it('keys that are names of Object.prototype members arrive in a JSON body and a form body', async () => {
		const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
		for (const contentType of ['application/json', 'application/x-www-form-urlencoded']) {
			const entries = keys.map((key, i) => ({ key, value: `v${i}`, sendAs: 'body' }));
			const { error, request } = await send(entries, contentType);
			expect(error).toBeUndefined();
			expect(deliveryProblem(request!, entries, contentType)).toBeUndefined();
		}
	});

	it('the same keys arrive in the URL query', async () => {
		const entries = ['__proto__', 'constructor', 'toString'].map((key) => ({ key, value: 'x', sendAs: 'query' }));
		const { error, request } = await send(entries);
		expect(error).toBeUndefined();
		expect(deliveryProblem(request!, entries, 'application/x-www-form-urlencoded')).toBeUndefined();
	});

	it.each([['get'], ['constructor'], ['__proto__'], ['toString'], ['hasOwnProperty']])('a header named %s is refused: n8n\'s HTTP client cannot carry it', async (key) => {
		const { error, request } = await send([{ key: 'x-ok', value: '1', sendAs: 'header' }, { key, value: 'v', sendAs: 'header' }]);
		expect(error).toBe(`Custom Parameters: entry 2 ("${key}"): n8n's HTTP client cannot send a header named "${key}". Send it in the body or the URL instead.`);
		expect(request).toBeUndefined();
	});

	it.each([['Content-Length'], ['Transfer-Encoding'], ['Host'], ['Content-Type'], ['Authorization'], ['accept']])('the %s header is refused: it frames or authenticates the request', async (key) => {
		const { error, request } = await send([{ key, value: '12', sendAs: 'header' }]);
		expect(error).toMatch(new RegExp(`^Custom Parameters: entry 1 \\("${key}"\\): the ${key} header frames or authenticates the request`));
		expect(request).toBeUndefined();
	});

	it('a header value beyond Latin-1 is refused, naming the character; in the body it arrives', async () => {
		const refused = await send([{ key: 'x-note', value: 'price in €', sendAs: 'header' }]);
		expect(refused.error).toBe('Custom Parameters: entry 1 ("x-note"): "€" cannot travel in a header (header values are Latin-1 characters only). Send the parameter in the body or the URL, or encode the value yourself.');
		expect(refused.request).toBeUndefined();
		const entries = [{ key: 'note', value: 'price in €', sendAs: 'body' }, { key: 'x-latin', value: 'naïve café', sendAs: 'header' }];
		const { error, request } = await send(entries);
		expect(error).toBeUndefined();
		expect(deliveryProblem(request!, entries, 'application/x-www-form-urlencoded')).toBeUndefined();
	});

	it('a header value with spaces around it is refused (HTTP would strip them)', async () => {
		const { error } = await send([{ key: 'x-padded', value: ' v ', sendAs: 'header' }]);
		expect(error).toMatch(/^Custom Parameters: entry 1 \("x-padded"\): the value starts or ends with spaces/);
	});

	it('a null entry and a null value are reported by position, never sent as "null"', async () => {
		const nullEntry = await send([{ key: 'a', value: 'b', sendAs: 'body' }, null]);
		expect(nullEntry.error).toBe('Custom Parameters: entry 2: Key is empty or only whitespace. Fill it in or remove the entry.');
		const nullValue = await send([{ key: 'a', value: null as unknown as string, sendAs: 'body' }]);
		expect(nullValue.error).toBe('Custom Parameters: entry 1 ("a"): Value is empty or only whitespace. Fill it in or remove the entry.');
		expect(faults.requests).toHaveLength(0);
	});

	it('fuzzed sets (fixed seed): every entry arrives exactly, or the set is refused naming an entry, before any request', async () => {
		let refused = 0;
		let delivered = 0;
		await fc.assert(
			fc.asyncProperty(parameterSets(), async ({ entries, contentType }) => {
				const { error, request } = await send(entries, contentType);
				if (error !== undefined) {
					refused++;
					expect(error).toMatch(REFUSAL);
					expect(request).toBeUndefined();
					return;
				}
				delivered++;
				expect(request).toBeDefined();
				expect(deliveryProblem(request!, entries, contentType)).toBeUndefined();
			}),
			{ seed: 20261124, numRuns: 150 },
		);
		// The generator reaches both outcomes; a fuzz that only ever refuses proves nothing.
		expect(refused).toBeGreaterThan(10);
		expect(delivered).toBeGreaterThan(10);
	});
});
