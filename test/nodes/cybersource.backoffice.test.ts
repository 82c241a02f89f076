/**
 * The back office through n8n's engine against the sandbox: reports (create, status, download as
 * binary, list, subscriptions, batch summaries, purchase and refund details paged, chargebacks),
 * invoices, payment links, and an "invoice paid" notification starting a workflow.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { CybersourceTrigger } from '../../packages/n8n-nodes-cybersource/nodes/CybersourceTrigger/CybersourceTrigger.node';
import { outputOf } from '../harness/engine';
import { WebhookHost } from '../harness/webhookHost';
import { RESPONSE_MLE_KEY_ID, TEST_CARDS, type Sandbox } from '../servers/cybersource/server';
import { authorizeParameters, credentialsHelper, cybersourceCredential, cybersourceNode, merchantCredential, runCybersource, useSandbox } from '../support/cybersource';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));

type Credential = ReturnType<typeof cybersourceCredential>;

const CREDENTIALS: Array<[string, () => Credential]> = [
	['Cybersource OAuth2 (partner)', () => cybersourceCredential(sandbox)],
	['merchant key, HTTP Signature', () => merchantCredential(sandbox, 'httpSignature')],
	[
		'merchant key, JWT HS256 with MLE both ways',
		() =>
			merchantCredential(sandbox, 'jwtHs256', {
				requestEncryption: 'whereAccepted',
				mleCertificate: sandbox.pki.mleCert,
				responseEncryption: 'true',
				responseMleKeyId: RESPONSE_MLE_KEY_ID,
				responseMlePrivateKey: sandbox.pki.responseMleKey,
			}),
	],
];

let credential: Credential = undefined as never;

async function items(parameters: INodeParameters, input: IDataObject[] = [{}]): Promise<INodeExecutionData[]> {
	const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Cybersource', parameters, credential, { typeVersion: 3 })], input);
	if (result.error) throw new Error(result.error.message);
	return result.items('Cybersource');
}

const json = async (parameters: INodeParameters, input?: IDataObject[]) => (await items(parameters, input)).map((item) => item.json);

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Three sales, a refund and a declined authorization, made `ageMs` ago. */
async function someTransactions(ageMs = 0) {
	const sales = await json(authorizeParameters({ capture: true, simplify: false }), [
		{ reference: 'BO-1', amount: '10.00' },
		{ reference: 'BO-2', amount: '20.00' },
		{ reference: 'BO-3', amount: '30.00' },
		{ reference: 'BO-4', amount: '40.00', card: TEST_CARDS.declined },
	]);
	await json({ resource: 'payment', operation: 'refund', refundOf: 'payments', transactionId: sales[1].id as string, amount: '5.00', currency: 'USD', clientReferenceCode: 'BO-2', simplify: false });
	if (ageMs > 0) sandbox.ageTransactions(ageMs);
	return sales;
}

describe.each(CREDENTIALS)('reports with %s', (_name, make) => {
	beforeEach(() => {
		credential = make();
	});

	it('on-demand: create (found again with its ID), status, download as a CSV file, list', async () => {
		await someTransactions();
		const window = { startTime: iso(Date.now() - HOUR), endTime: iso(Date.now() + HOUR) };
		sandbox.delayReports(60_000);
		const [created] = await json({ resource: 'report', operation: 'create', reportName: 'n8n-daily', format: 'text/csv', ...window });
		expect(created).toMatchObject({ reportName: 'n8n-daily', status: 'QUEUED', reportId: expect.any(String) });
		sandbox.delayReports(0);
		const [status] = await json({ resource: 'report', operation: 'get', reportId: created.reportId as string });
		expect(status.status).toBe('COMPLETED');
		const [file] = await items({ resource: 'report', operation: 'download', reportName: 'n8n-daily', reportDate: window.endTime, format: 'text/csv' });
		const reportDate = window.endTime.slice(0, 10);
		expect(file.json).toMatchObject({ reportName: 'n8n-daily', reportDate, fileName: `n8n-daily-${reportDate}.csv`, mimeType: 'text/csv' });
		expect(file.binary?.data).toMatchObject({ fileName: `n8n-daily-${reportDate}.csv`, mimeType: 'text/csv' });
		const text = Buffer.from(file.binary!.data.data, 'base64').toString('utf8');
		expect(text.split('\n')[1]).toBe('requestId,submitTimeUtc,merchantReferenceCode,application,status,amount,currency,cardSuffix');
		expect(text.match(/BO-\d/g)?.sort()).toEqual(['BO-1', 'BO-2', 'BO-2', 'BO-3', 'BO-4']);
		expect(text).not.toContain(TEST_CARDS.visa);
		expect(sandbox.lastApiRequest()!.headers.accept).toBe('text/csv');
		const listed = await json({ resource: 'report', operation: 'getMany', ...window, timeQueryType: 'executedTime', returnAll: true });
		expect(listed.map((report) => report.reportId)).toEqual([created.reportId]);
	});

	it("a subscribed daily report: yesterday's file, as XML; subscriptions listed and deleted", async () => {
		await someTransactions(DAY);
		const [subscribed] = await json({ resource: 'reportSubscription', operation: 'create', reportName: 'PaymentBatchDetailReport', reportDefinitionName: 'PaymentBatchDetailClass', format: 'application/xml' });
		expect(subscribed).toMatchObject({ subscribed: true, reportFrequency: 'DAILY' });
		const today = iso(Date.now()).slice(0, 10);
		const [file] = await items({ resource: 'report', operation: 'download', reportName: 'PaymentBatchDetailReport', reportDate: today, format: 'application/xml' });
		const xml = Buffer.from(file.binary!.data.data, 'base64').toString('utf8');
		expect(file.json.fileName).toBe(`PaymentBatchDetailReport-${today}.xml`);
		expect(xml).toMatch(/^<\?xml/);
		expect(xml.match(/merchantReferenceCode="BO-\d"/g)).toHaveLength(5);
		expect((await json({ resource: 'reportSubscription', operation: 'getMany', returnAll: true })).map((entry) => entry.reportName)).toEqual(['PaymentBatchDetailReport']);
		expect(await json({ resource: 'reportSubscription', operation: 'delete', reportName: 'PaymentBatchDetailReport' })).toEqual([{ deleted: true, reportName: 'PaymentBatchDetailReport' }]);
		const missing = await items({ resource: 'report', operation: 'download', reportName: 'PaymentBatchDetailReport', reportDate: today }).catch((error: Error) => error.message);
		expect(missing).toMatch(/^Cybersource answered HTTP 404 NOT_FOUND: No report PaymentBatchDetailReport for/);
	});

	it('batch summaries, purchase and refund details, chargebacks', async () => {
		const sales = await someTransactions();
		sandbox.fileChargeback(sales[0].id as string, '10.00');
		const window = { startTime: iso(Date.now() - HOUR), endTime: iso(Date.now() + HOUR) };
		const [summary] = await json({ resource: 'report', operation: 'getPaymentBatchSummaries', ...window });
		expect(summary).toMatchObject({ currencyCode: 'USD', salesCount: 3, salesAmount: '60.00', creditCount: 1, creditAmount: '5.00' });
		const details = await json({ resource: 'report', operation: 'getPurchaseRefundDetails', ...window, returnAll: true });
		expect(details.map((detail) => detail.merchantReferenceNumber)).toEqual(['BO-1', 'BO-2', 'BO-3', 'BO-2']);
		expect(details[3].settlements).toEqual([expect.objectContaining({ transactionType: 'Refund', amount: '5.00' })]);
		expect(await json({ resource: 'report', operation: 'getChargebackDetails', ...window })).toEqual([expect.objectContaining({ requestId: sales[0].id, chargebackAmount: '10.00' })]);
		expect(await json({ resource: 'report', operation: 'getChargebackSummaries', ...window })).toEqual([expect.objectContaining({ chargebackCount: 1 })]);
	});
});

describe('report lists and pages', () => {
	beforeEach(() => {
		credential = cybersourceCredential(sandbox);
	});

	it('no reports is no items (Cybersource answers 404), not an error', async () => {
		expect(await json({ resource: 'report', operation: 'getMany', startTime: iso(Date.now() - HOUR), endTime: iso(Date.now()), returnAll: true })).toEqual([]);
	});

	it('purchase and refund details page by 2,000: every one once, the fewest requests', async () => {
		const orders = Array.from({ length: 2010 }, (_, index) => ({ reference: `P-${index}`, amount: '1.00' }));
		await json(authorizeParameters({ capture: true, simplify: false, requestOptions: { concurrency: 20 } }), orders);
		sandbox.resetStats();
		const window = { startTime: iso(Date.now() - HOUR), endTime: iso(Date.now() + HOUR) };
		const details = await json({ resource: 'report', operation: 'getPurchaseRefundDetails', ...window, returnAll: true });
		expect(new Set(details.map((detail) => detail.merchantReferenceNumber)).size).toBe(2010);
		expect(sandbox.apiRequests().map((request) => new URLSearchParams(request.query).get('offset'))).toEqual(['0', '2000']);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['an end before the start', { resource: 'report', operation: 'getPaymentBatchSummaries', startTime: '2026-12-02T00:00:00Z', endTime: '2026-12-01T00:00:00Z' }, /^End Time: must come after Start Time/],
		['a date that is none', { resource: 'report', operation: 'getChargebackDetails', startTime: 'last week', endTime: '2026-12-01' }, /^Start Time: "last week" is not a date/],
		['a report name with a slash', { resource: 'report', operation: 'create', reportName: 'a/b', startTime: '2026-12-01', endTime: '2026-12-02' }, /^Report Name: may hold only letters, digits, spaces, - and _/],
		['an invoice sent at once without email', { resource: 'invoice', operation: 'create', amount: '10.00', currency: 'USD', dueDate: '2026-12-31' }, /^Customer Email: is empty; an invoice sent at once needs the customer's email/],
		['a payment link without a price', { resource: 'paymentLink', operation: 'create', purchaseNumber: 'X-1', productName: 'Shirt', unitPrice: 'free' }, /^Unit Price: "free" is not a positive decimal amount/],
		['a payment link update with nothing to change', { resource: 'paymentLink', operation: 'update', paymentLinkId: 'PL1' }, /^Nothing to update: choose a Status/],
	])('%s is refused naming the field, before any request', async (_case, parameters, message) => {
		await expect(json(parameters)).rejects.toThrow(message);
		expect(sandbox.stats().apiRequests).toBe(0);
	});
});

describe.each(CREDENTIALS)('invoices and payment links with %s', (_name, make) => {
	beforeEach(() => {
		credential = make();
	});

	it('invoice: create as a draft, update (read and sent back whole), send, list by status, cancel; a paid one cannot be canceled', async () => {
		const [draft] = await json({ resource: 'invoice', operation: 'create', amount: '120.00', currency: 'USD', dueDate: '2026-12-31', customerEmail: 'ada@example.com', sendImmediately: false, options: { customerName: 'Ada', description: 'Consulting' } });
		expect(draft).toMatchObject({ status: 'DRAFT', customerInformation: { email: 'ada@example.com', name: 'Ada' }, invoiceInformation: { dueDate: '2026-12-31', deliveryMode: 'none' } });
		const [updated] = await json({ resource: 'invoice', operation: 'update', invoiceId: draft.id as string, updateFields: { amount: '150.00', dueDate: '2027-01-15' } });
		expect(updated).toMatchObject({ status: 'DRAFT', customerInformation: { name: 'Ada' }, invoiceInformation: { dueDate: '2027-01-15', description: 'Consulting' }, orderInformation: { amountDetails: { totalAmount: '150.00', currency: 'USD' } } });
		const [sent] = await json({ resource: 'invoice', operation: 'send', invoiceId: draft.id as string });
		expect(sent).toMatchObject({ status: 'SENT', invoiceInformation: { paymentLink: expect.stringMatching(/^https:\/\/\S+\.invalid\//) } });
		const [second] = await json({ resource: 'invoice', operation: 'create', amount: '9.00', currency: 'USD', dueDate: '2026-12-20', customerEmail: 'alan@example.com' });
		expect(second.status).toBe('SENT');
		expect((await json({ resource: 'invoice', operation: 'getMany', status: 'SENT', returnAll: true })).map((invoice) => invoice.id)).toEqual([draft.id, second.id]);
		expect(sandbox.payInvoice(second.id as string)).toBe('PAID');
		const refused = await json({ resource: 'invoice', operation: 'cancel', invoiceId: second.id as string }).catch((error: Error) => error.message);
		expect(refused).toMatch(/^Cybersource answered HTTP 400 INVALID_REQUEST: A paid invoice cannot be canceled/);
		const [canceled] = await json({ resource: 'invoice', operation: 'cancel', invoiceId: draft.id as string });
		expect(canceled.status).toBe('CANCELED');
	});

	it('payment link: create (purchase), get, list by status, deactivate', async () => {
		const [link] = await json({ resource: 'paymentLink', operation: 'create', purchaseNumber: 'ORDER-77', productName: 'T-shirt', unitPrice: '12.50', quantity: 2, currency: 'USD' });
		expect(link).toMatchObject({ status: 'ACTIVE', orderInformation: { amountDetails: { totalAmount: '25.00', currency: 'USD' }, lineItems: [{ productName: 'T-shirt', quantity: 2, unitPrice: '12.50' }] } });
		expect((await json({ resource: 'paymentLink', operation: 'get', paymentLinkId: link.id as string }))[0].purchaseInformation).toMatchObject({ purchaseNumber: 'ORDER-77', paymentLink: expect.any(String) });
		const [off] = await json({ resource: 'paymentLink', operation: 'update', paymentLinkId: link.id as string, status: 'INACTIVE' });
		expect(off.status).toBe('INACTIVE');
		expect(await json({ resource: 'paymentLink', operation: 'getMany', status: 'ACTIVE', returnAll: true })).toEqual([]);
		expect(await json({ resource: 'paymentLink', operation: 'getMany', returnAll: true })).toHaveLength(1);
	});
});

describe('"invoice paid" starts a workflow', () => {
	it('the trigger lists the Invoicing product and its events; a paid invoice notification runs it', async () => {
		const merchant = merchantCredential(sandbox);
		const signatureKey = sandbox.createSignatureKey();
		const keys = { id: 'webhook-keys', name: 'Webhook keys', type: 'cybersourceWebhookApi', data: { signatureKeyId: signatureKey.keyId, signatureSecret: signatureKey.key } };
		const trigger = {
			id: 'trigger-node',
			name: 'Cybersource Trigger',
			type: 'n8n-nodes-cybersource.cybersourceTrigger',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			webhookId: 'b7c1d0e2-invoice-paid',
			parameters: { authentication: 'cybersourceApi', organizationId: sandbox.merchantId, productId: 'customerInvoicing', eventTypes: ['invoicing.customer.invoice.paid'] },
			credentials: { cybersourceApi: { id: merchant.id, name: merchant.name }, cybersourceWebhookApi: { id: keys.id, name: keys.name } },
		};
		const host = new WebhookHost({ nodeTypes: { [trigger.type]: new CybersourceTrigger() }, nodes: [trigger], connections: {}, trigger: trigger.name, credentialsHelper: credentialsHelper([merchant, keys]), publicBaseUrl: 'https://n8n.example.test' });
		await host.start();
		try {
			sandbox.routeWebhooks('https://n8n.example.test', host.localUrl);
			await host.activate();
			const [webhook] = sandbox.webhooks();
			expect(webhook).toMatchObject({ productId: 'customerInvoicing', eventTypes: ['invoicing.customer.invoice.paid'] });
			credential = merchant;
			const [invoice] = await json({ resource: 'invoice', operation: 'create', amount: '80.00', currency: 'USD', dueDate: '2026-12-31', customerEmail: 'grace@example.com' });
			sandbox.payInvoice(invoice.id as string);
			const report = await sandbox.deliver(webhook.webhookId, 'invoicing.customer.invoice.paid', [{ data: { id: invoice.id, type: 'invoice', status: 'PAID' }, organizationId: sandbox.merchantId }]);
			expect(report.delivered).toBe(true);
			const runs = await Promise.all(host.executions);
			expect(runs.map((run) => outputOf(run, 'Cybersource Trigger')[0])).toEqual([expect.objectContaining({ eventType: 'invoicing.customer.invoice.paid' })]);
			await host.deactivate();
		} finally {
			await host.stop();
		}
	});
});
