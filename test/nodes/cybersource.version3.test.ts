/**
 * Node version 3: Simplify (on by default) for every answer about payments, and Transaction >
 * Search with filter fields and a sort choice; versions 1 and 2 keep their raw answers and fields.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TEST_CARDS, type Sandbox } from '../servers/cybersource/server';
import { authorizeParameters, credentialsHelper, cybersourceCredential, cybersourceNode, runCybersource, useSandbox } from '../support/cybersource';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));

const SIMPLE_KEYS = ['id', 'status', 'amount', 'currency', 'reason', 'approvalCode', 'reconciliationId', 'clientReferenceCode', 'card', 'time'];

async function run(parameters: INodeParameters, typeVersion = 3, items: IDataObject[] = [{}]) {
	const credential = cybersourceCredential(sandbox);
	const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Cybersource', parameters, credential, { typeVersion })], items);
	if (result.error) throw result.error;
	return result.output('Cybersource');
}

describe('Simplify (version 3)', () => {
	it('every payment operation, Transaction Get and Search answer with the same ten flat fields, taken from the raw answer', async () => {
		const [sale] = await run(authorizeParameters({ capture: true }), 3, [{ reference: 'V3-1', amount: '30.00' }]);
		expect(Object.keys(sale)).toEqual(SIMPLE_KEYS);
		const raw = (await run({ resource: 'transaction', operation: 'get', transactionId: sale.id as string, simplify: false }))[0] as IDataObject & {
			processorInformation: IDataObject;
			orderInformation: { amountDetails: IDataObject };
		};
		expect(sale).toEqual({
			id: raw.id,
			status: 'AUTHORIZED',
			amount: '30.00',
			currency: 'USD',
			reason: null,
			approvalCode: raw.processorInformation.approvalCode,
			reconciliationId: raw.reconciliationId,
			clientReferenceCode: 'V3-1',
			card: 'Visa 1111',
			time: raw.submitTimeUtc,
		});
		const [got] = await run({ resource: 'transaction', operation: 'get', transactionId: sale.id as string });
		expect(got).toMatchObject({ id: sale.id, amount: '30.00', currency: 'USD', clientReferenceCode: 'V3-1', card: 'Visa 1111', approvalCode: sale.approvalCode });
		const [refund] = await run({ resource: 'payment', operation: 'refund', refundOf: 'payments', transactionId: sale.id as string, amount: '12.00', currency: 'USD' });
		expect(refund).toMatchObject({ status: 'PENDING', amount: '12.00', currency: 'USD' });
		const [voided] = await run({ resource: 'payment', operation: 'void', voidOf: 'refunds', transactionId: refund.id as string });
		expect(voided).toMatchObject({ status: 'VOIDED', amount: '12.00' });
		const [declined] = await run(authorizeParameters(), 3, [{ card: TEST_CARDS.declined }]);
		expect(declined).toMatchObject({ status: 'DECLINED', reason: 'PROCESSOR_DECLINED', card: 'Visa 0002', amount: null });
		const found = await run({ resource: 'transaction', operation: 'search', filters: { clientReferenceCode: 'V3-1' }, returnAll: true });
		expect(found.every((item) => Object.keys(item).join() === SIMPLE_KEYS.join())).toBe(true);
		expect(found.map((item) => item.id)).toContain(sale.id);
	});

	it('Simplify off gives the raw answer; versions 1 and 2 are unchanged (no Simplify, raw answers)', async () => {
		const [raw] = await run(authorizeParameters({ simplify: false }), 3);
		expect(raw).toHaveProperty('processorInformation');
		for (const version of [1, 2]) {
			const [answer] = await run(authorizeParameters(), version);
			expect(answer).toHaveProperty('_links');
			expect(answer).not.toHaveProperty('card');
		}
	});

	it('a duplicate found again keeps alreadySent', async () => {
		const parameters = authorizeParameters({ merchantTransactionId: 'v3-dup-1' });
		await run(parameters, 3, [{ reference: 'V3-DUP' }]);
		const [again] = await run(parameters, 3, [{ reference: 'V3-DUP' }]);
		expect(again).toMatchObject({ clientReferenceCode: 'V3-DUP', alreadySent: true });
	});
});

describe('Transaction > Search (version 3): filters and sort', () => {
	it('Client Reference Code, Successful Only and a date range; sort by submit time either way; the raw query joined by AND', async () => {
		await run(authorizeParameters(), 3, [
			{ reference: 'F-1', amount: '11.00' },
			{ reference: 'F-1', amount: '12.00', card: TEST_CARDS.declined },
			{ reference: 'F-1', amount: '13.00' },
			{ reference: 'F-2', amount: '14.00' },
		]);
		const amounts = (items: IDataObject[]) => items.map((item) => (item.status === 'DECLINED' ? 'declined' : item.amount));
		const search = (extra: INodeParameters) => run({ resource: 'transaction', operation: 'search', returnAll: true, ...extra });
		expect(amounts(await search({ filters: { clientReferenceCode: 'F-1' } }))).toEqual(['13.00', 'declined', '11.00']);
		expect(amounts(await search({ filters: { clientReferenceCode: 'F-1', successfulOnly: true }, sortDirection: 'asc' }))).toEqual(['11.00', '13.00']);
		const hour = 3600_000;
		const iso = (ms: number) => new Date(ms).toISOString();
		expect(await search({ filters: { clientReferenceCode: 'F-2', submittedAfter: iso(Date.now() - hour), submittedBefore: iso(Date.now() + hour) } })).toHaveLength(1);
		expect(await search({ filters: { clientReferenceCode: 'F-2', submittedAfter: iso(Date.now() + hour) } })).toHaveLength(0);
		expect(amounts(await search({ query: 'clientReferenceInformation.code:F-1', filters: { successfulOnly: true } }))).toEqual(['13.00', '11.00']);
		const sent = JSON.parse(sandbox.lastApiRequest()!.body) as IDataObject;
		expect(sent).toMatchObject({ query: 'clientReferenceInformation.code:F-1 AND applicationInformation.applications.rFlag:SOK', sort: 'submitTimeUtc:desc' });
	});

	it('no query and no filter, or a filter with a quote, is refused naming the field before any request', async () => {
		const failure = async (parameters: INodeParameters) => String(((await run(parameters).catch((error: unknown) => error)) as { message?: unknown }).message);
		expect(await failure({ resource: 'transaction', operation: 'search' })).toMatch(/^Query: is empty and no filter is set/);
		expect(await failure({ resource: 'transaction', operation: 'search', filters: { clientReferenceCode: 'a"b' } })).toMatch(/^Client Reference Code: may not contain quotes/);
		expect(await failure({ resource: 'transaction', operation: 'search', filters: { submittedAfter: 'yesterday' } })).toMatch(/^Submitted After: "yesterday" is not a date/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});
});
