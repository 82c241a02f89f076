/**
 * Request Options > Concurrency: items sent several at once through n8n's engine, keeping every
 * promise the node makes: results in item order and paired, a failure stops new items and names
 * every processed one, one resend after a 401 per request, the shared token fetched once.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type Sandbox } from '../servers/cybersource/server';
import { authorizeParameters, credentialsHelper, cybersourceCredential, cybersourceNode, runCybersource, useSandbox } from '../support/cybersource';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));

const orders = (count: number, amount: (index: number) => string = () => '10.00') =>
	Array.from({ length: count }, (_, index) => ({ reference: `BULK-${index}`, amount: amount(index) }));

async function charge(items: IDataObject[], concurrency: number | string, extra: { continueOnFail?: boolean; parameters?: INodeParameters } = {}) {
	const credential = cybersourceCredential(sandbox);
	const node = cybersourceNode('Charge', authorizeParameters({ requestOptions: { concurrency }, ...extra.parameters }), credential, {
		typeVersion: 2,
		continueOnFail: extra.continueOnFail ?? false,
	});
	const result = await runCybersource(credentialsHelper([credential]), [node], items);
	return { result, output: result.error ? [] : result.output('Charge'), items: result.error ? [] : result.items('Charge') };
}

describe('Request Options > Concurrency', () => {
	it('10 at once: every item charged once, results in item order and paired, one token request, never more than 10 in flight', async () => {
		sandbox.delayApiAnswers(30);
		const { output, items, result } = await charge(orders(60), 10);
		expect(result.error).toBeUndefined();
		expect(output.map((item) => (item.clientReferenceInformation as IDataObject).code)).toEqual(orders(60).map((order) => order.reference));
		expect(items.map((item) => item.pairedItem)).toEqual(orders(60).map((_, index) => ({ item: index })));
		const stats = sandbox.stats();
		expect(stats.tokenRequests).toBe(1);
		expect(stats.maxConcurrentApiRequests).toBeGreaterThan(1);
		expect(stats.maxConcurrentApiRequests).toBeLessThanOrEqual(10);
		expect(Object.values(sandbox.transactionsByReference().payment)).toEqual(Array(60).fill(1));
	});

	it('1 (the default) sends one after another', async () => {
		sandbox.delayApiAnswers(5);
		const { result } = await charge(orders(8), 1);
		expect(result.error).toBeUndefined();
		expect(sandbox.stats().maxConcurrentApiRequests).toBe(1);
	});

	it('a failure stops new items from starting; the ones in flight finish; the error names every item processed, and nothing more was charged', async () => {
		sandbox.delayApiAnswers(20);
		// Item 12 gets a server error (502: Cybersource stores nothing); 4 at a time.
		const { result } = await charge(orders(40, (index) => (index === 12 ? '5020.00' : '10.00')), 4);
		expect(result.error?.message).toMatch(/^Cybersource answered HTTP 502 SYSTEM_ERROR/);
		const description = String(result.error?.description);
		const listed = [...description.matchAll(/item (\d+): ID (\d+), AUTHORIZED, reference (BULK-\d+)/g)];
		const charged = sandbox.transactionsByReference().payment;
		// Every payment Cybersource made is named in the error, with its ID and reference, and only those.
		expect(listed.map((match) => match[3]).sort()).toEqual(Object.keys(charged).sort());
		expect(Object.values(charged).every((count) => count === 1)).toBe(true);
		// Items 0-11 came before the failure; at most the 3 others in flight came after it.
		expect(listed.length).toBeGreaterThanOrEqual(12);
		expect(listed.length).toBeLessThanOrEqual(15);
		expect(sandbox.stats().byOperation['payments.authorize']).toBe(listed.length + 1);
	});

	it('Continue On Fail: every item has its result or its error, in item order', async () => {
		const { output, items } = await charge(orders(20, (index) => (index % 7 === 3 ? '1,00' : '10.00')), 5, { continueOnFail: true });
		expect(output.map((item) => (item.error === undefined ? 'ok' : 'error'))).toEqual(orders(20).map((_, index) => (index % 7 === 3 ? 'error' : 'ok')));
		expect(items.map((item) => item.pairedItem)).toEqual(orders(20).map((_, index) => ({ item: index })));
		expect(String(output[3].error)).toMatch(/^Amount: "1,00"/);
	});

	it('tokens revoked mid-run: each refused request is resent once with the one new token; no payment twice', async () => {
		sandbox.delayApiAnswers(10);
		sandbox.revokeAllTokensAfter(15);
		const { result } = await charge(orders(50), 10);
		expect(result.error).toBeUndefined();
		const stats = sandbox.stats();
		expect(stats.tokenRequests).toBe(2);
		// The requests in flight when the tokens died were refused (401) and each resent once.
		expect(stats.apiUnauthorized).toBeGreaterThan(0);
		expect(stats.apiUnauthorized).toBeLessThanOrEqual(10);
		expect(stats.apiRequests).toBe(50 + stats.apiUnauthorized);
		expect(stats.byOperation['payments.authorize']).toBe(50);
		expect(Object.values(sandbox.transactionsByReference().payment)).toEqual(Array(50).fill(1));
	});

	it.each([[0], [51], [2.5]])('Concurrency %s is refused naming the field, before any request', async (value) => {
		const { result } = await charge(orders(2), `={{ ${value} }}`);
		expect(result.error?.message).toMatch(/^Concurrency: .* is not a whole number from 1 to 50/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});
});
