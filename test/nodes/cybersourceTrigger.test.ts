import { createHmac } from 'node:crypto';

import type { INode, INodeParameters } from 'n8n-workflow';

import { signJwt } from '../../packages/n8n-nodes-cybersource/lib/oauth2/jwtAssertion';
import { WEBHOOK_PRODUCTS } from '../../packages/n8n-nodes-cybersource/lib/cybersource/webhookProducts';
import { tokenSigningKey } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenIssuer';
import { CybersourceTrigger } from '../../packages/n8n-nodes-cybersource/nodes/CybersourceTrigger/CybersourceTrigger.node';
import { outputOf } from '../harness/engine';
import { WebhookHost } from '../harness/webhookHost';
import { RESPONSE_MLE_KEY_ID } from '../servers/cybersource/testValues';
import { credentialsHelper, cybersourceNode, merchantCredential, runCybersource } from '../support/cybersource';
import { startCybersourceSandbox, type Sandbox, type SignedNotification } from '../servers/cybersource/server';
import type { StoredCredential } from '../harness/credentials-helper';

const TRIGGER_TYPE = 'n8n-nodes-cybersource.cybersourceTrigger';
const PUBLIC_BASE = 'https://n8n.example.test';
const EVENT = 'risk.casemanagement.decision.accept';
const CLIENT = { id: 'cybersource-webhooks', secret: 'a-long-random-client-secret-for-the-trigger-0123456789' };

let sandbox: Sandbox;
let signatureKey: { keyId: string; key: string };
const hosts: WebhookHost[] = [];

beforeAll(async () => {
	sandbox = await startCybersourceSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	signatureKey = sandbox.createSignatureKey();
});
afterEach(async () => {
	await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

function webhookKeys(data: Record<string, string> = {}): StoredCredential {
	return {
		id: 'webhook-keys',
		name: 'Webhook keys',
		type: 'cybersourceWebhookApi',
		data: { signatureKeyId: signatureKey.keyId, signatureSecret: signatureKey.key, oAuthClientId: CLIENT.id, oAuthClientSecret: CLIENT.secret, ...data },
	};
}

async function hostFor(
	parameters: INodeParameters = {},
	options: { keys?: StoredCredential; merchant?: StoredCredential; publicBase?: string; webhookId?: string; nodeType?: CybersourceTrigger } = {},
) {
	const merchant = options.merchant ?? merchantCredential(sandbox);
	const keys = options.keys ?? webhookKeys();
	const trigger: INode = {
		id: 'trigger-node',
		name: 'Cybersource Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: options.webhookId ?? 'a2b0c7f4-trigger',
		parameters: {
			authentication: 'cybersourceApi',
			organizationId: sandbox.merchantId,
			productId: 'decisionManager',
			eventTypes: [EVENT, 'risk.casemanagement.decision.reject'],
			...parameters,
		},
		credentials: { cybersourceApi: { id: merchant.id, name: merchant.name }, cybersourceWebhookApi: { id: keys.id, name: keys.name } },
	};
	const host = new WebhookHost({
		nodeTypes: { [TRIGGER_TYPE]: options.nodeType ?? new CybersourceTrigger() },
		nodes: [trigger],
		connections: {},
		trigger: trigger.name,
		credentialsHelper: credentialsHelper([merchant, keys]),
		publicBaseUrl: options.publicBase ?? PUBLIC_BASE,
	});
	hosts.push(host);
	await host.start();
	sandbox.routeWebhooks(PUBLIC_BASE, host.localUrl);
	return host;
}

async function triggerOutputs(host: WebhookHost) {
	return (await Promise.all(host.executions)).map((run) => outputOf(run, 'Cybersource Trigger'));
}

async function post(host: WebhookHost, notification: SignedNotification) {
	const response = await fetch(`${host.localUrl}${new URL(host.publicUrl('default')).pathname}`, { method: 'POST', headers: notification.headers, body: notification.body });
	return { status: response.status, text: await response.text(), headers: response.headers };
}

async function tokenRequest(host: WebhookHost, form: Record<string, string>, headers: Record<string, string> = {}) {
	const response = await fetch(`${host.localUrl}${new URL(host.publicUrl('setup')).pathname}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form).toString(),
	});
	return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

const payload = (id: string) => [{ data: { id, type: 'case' }, organizationId: 'n8n_sandbox_merchant' }];

describe('Cybersource Trigger: subscription lifecycle', () => {
	it('subscribes its own URLs on activation, health-checked and set ACTIVE, and only once', async () => {
		const host = await hostFor();
		await host.activate();
		const [webhook] = sandbox.webhooks();
		expect(webhook).toMatchObject({
			status: 'ACTIVE',
			webhookUrl: host.publicUrl('default'),
			healthCheckUrl: host.publicUrl('setup'),
			productId: 'decisionManager',
			eventTypes: [EVENT, 'risk.casemanagement.decision.reject'],
			notificationScope: 'DESCENDANTS',
		});
		expect(host.nodeStaticData.webhookId).toBe(webhook.webhookId);
		expect(sandbox.stats().byOperation).toMatchObject({ 'webhooks.create': 1, 'webhooks.status': 1 });

		await host.activate('init'); // n8n restarts: checkExists recognises the subscription
		expect(sandbox.stats().byOperation['webhooks.create']).toBe(1);
		expect(sandbox.webhooks()).toHaveLength(1);
	});

	it('with a JWT merchant key that encrypts requests and answers (MLE): subscribes, recognises it on restart, deletes it', async () => {
		sandbox.requireRequestMle(true);
		const merchant = merchantCredential(
			sandbox,
			'jwtHs256',
			{ requestEncryption: 'whereAccepted', mleCertificate: sandbox.pki.mleCert, responseEncryption: true, responseMleKeyId: RESPONSE_MLE_KEY_ID, responseMlePrivateKey: sandbox.pki.responseMleKey } as Record<string, unknown> as Record<string, string>,
			'merchant-mle',
		);
		const host = await hostFor({}, { merchant });
		await host.activate();
		const [webhook] = sandbox.webhooks();
		expect(webhook).toMatchObject({ status: 'ACTIVE', webhookUrl: host.publicUrl('default') });
		// Every answer came encrypted and was read decrypted: the subscription's id was understood.
		expect(host.nodeStaticData.webhookId).toBe(webhook.webhookId);
		await host.activate('init');
		expect(sandbox.stats().byOperation['webhooks.create']).toBe(1);
		await host.deactivate();
		expect(sandbox.webhooks()).toHaveLength(0);
	});

	it('deletes the subscription on deactivation', async () => {
		const host = await hostFor();
		await host.activate();
		expect(await host.deactivate()).toBe(true);
		expect(sandbox.webhooks()).toEqual([]);
		expect(host.nodeStaticData.webhookId).toBeUndefined();
	});

	it('refuses to activate behind a URL Cybersource cannot deliver to, naming WEBHOOK_URL, before any request', async () => {
		const host = await hostFor({}, { publicBase: 'http://n8n.example.test:5678' });
		// The message itself names the fix: n8n's activation banner shows only the message.
		await expect(host.activate()).rejects.toThrow(/webhook URL is http:\/\/n8n\.example\.test:5678: set WEBHOOK_URL to this n8n's public https address$/);
		await expect(host.activate()).rejects.toMatchObject({ description: expect.stringContaining('WEBHOOK_URL') });
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('refuses a key ID that is not a Cybersource key ID (e.g. the key pasted into it), before any request', async () => {
		const host = await hostFor({}, { keys: webhookKeys({ signatureKeyId: 'not-a-uuid' }) });
		await expect(host.activate()).rejects.toThrow(/^Digital Signature Key ID: is not a key ID: Cybersource's are UUIDs/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('refuses to activate without a digital signature key, naming the field, before any request', async () => {
		const host = await hostFor({}, { keys: webhookKeys({ signatureSecret: '' }) });
		await expect(host.activate()).rejects.toThrow(/Digital Signature Key: missing/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('leaves Cybersource alone while n8n listens for a test event', async () => {
		const host = await hostFor();
		await host.activate('manual', 'manual');
		await host.deactivate('manual');
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	describe('when the product already has a subscription', () => {
		const other = 'https://elsewhere.example.test/hooks';
		async function otherSubscription(): Promise<string> {
			const merchant = merchantCredential(sandbox);
			const result = await runCybersource(credentialsHelper([merchant]), [
				cybersourceNode('Create', { resource: 'webhook', operation: 'create', name: 'other', organizationId: sandbox.merchantId, productId: 'decisionManager', eventTypes: EVENT, webhookUrl: other }, merchant),
			]);
			return result.output('Create')[0].webhookId as string;
		}

		it('stops with an error that names the choices and changes nothing', async () => {
			const id = await otherSubscription();
			const host = await hostFor();
			await expect(host.activate()).rejects.toMatchObject({ message: expect.stringContaining(id), description: expect.stringContaining('Reuse It') });
			expect(sandbox.webhooks()).toMatchObject([{ webhookId: id, webhookUrl: other }]);
		});

		it('reuses it: the same subscription now delivers here', async () => {
			const id = await otherSubscription();
			const host = await hostFor({ ifSubscriptionExists: 'reuse' });
			await host.activate();
			expect(sandbox.webhooks()).toMatchObject([{ webhookId: id, webhookUrl: host.publicUrl('default'), status: 'ACTIVE' }]);
			expect(host.nodeStaticData.webhookId).toBe(id);
		});

		it('replaces it: deleted, and a new one created', async () => {
			const id = await otherSubscription();
			const host = await hostFor({ ifSubscriptionExists: 'replace' });
			await host.activate();
			const [webhook] = sandbox.webhooks();
			expect(webhook.webhookId).not.toBe(id);
			expect(webhook).toMatchObject({ webhookUrl: host.publicUrl('default'), status: 'ACTIVE' });
		});
	});
});

describe('Cybersource Trigger: notifications', () => {
	it('runs the workflow once per notification, with the notification in the item', async () => {
		const host = await hostFor();
		await host.activate();
		const webhookId = sandbox.webhooks()[0].webhookId;
		const first = await sandbox.deliver(webhookId, EVENT, payload('case-1'));
		const second = await sandbox.deliver(webhookId, 'risk.casemanagement.decision.reject', payload('case-2'), { signedText: 'body' });
		expect([first.delivered, second.delivered]).toEqual([true, true]);
		const outputs = await triggerOutputs(host);
		expect(outputs).toHaveLength(2);
		expect(outputs[0]).toEqual([
			expect.objectContaining({
				eventType: EVENT,
				webhookId,
				notificationId: expect.any(String),
				retryNumber: 0,
				organizationId: sandbox.merchantId,
				payload: payload('case-1'),
			}),
		]);
		expect(outputs[1][0]).toMatchObject({ eventType: 'risk.casemanagement.decision.reject', payload: payload('case-2') });
	});

	it('answers a notification it already accepted with 200 and starts nothing', async () => {
		const host = await hostFor();
		await host.activate();
		const webhookId = sandbox.webhooks()[0].webhookId;
		const first = await sandbox.deliver(webhookId, EVENT, payload('case-1'));
		// Cybersource's retry of the same event: new trace id, retry number and signature time.
		const retried = await post(host, sandbox.signedNotification(webhookId, EVENT, payload('case-1'), Date.now() + 60_000));
		expect(first.delivered).toBe(true);
		expect(retried.status).toBe(200);
		expect(await triggerOutputs(host)).toHaveLength(1);
		expect(JSON.parse(retried.text).notificationId).toBe((await triggerOutputs(host))[0][0].notificationId);
	});

	it('keeps the replay memory in the static data, so a restarted n8n still knows a notification', async () => {
		const host = await hostFor();
		await host.activate();
		const webhookId = sandbox.webhooks()[0].webhookId;
		await sandbox.deliver(webhookId, EVENT, payload('case-1'));
		// A restart: the node's module loaded afresh (no memory in the process), the static data as saved.
		let Fresh: typeof CybersourceTrigger | undefined;
		jest.isolateModules(() => {
			Fresh = jest.requireActual<{ CybersourceTrigger: typeof CybersourceTrigger }>('../../packages/n8n-nodes-cybersource/nodes/CybersourceTrigger/CybersourceTrigger.node').CybersourceTrigger;
		});
		const restarted = await hostFor({}, { nodeType: new Fresh!() });
		restarted.staticData = JSON.parse(JSON.stringify(host.staticData));
		const again = await post(restarted, sandbox.signedNotification(webhookId, EVENT, payload('case-1')));
		const other = await post(restarted, sandbox.signedNotification(webhookId, EVENT, payload('case-2')));
		expect([again.status, other.status]).toEqual([200, 200]);
		expect(await triggerOutputs(host)).toHaveLength(1);
		expect((await triggerOutputs(restarted)).map((output) => output[0].payload)).toEqual([payload('case-2')]);
	});

	it('knows a notification another process accepted and saved (queue mode), though its own memory is older', async () => {
		const first = await hostFor();
		await first.activate();
		const webhookId = sandbox.webhooks()[0].webhookId;
		// A second webhook process: its own module (memory), the same workflow and database.
		let Other: typeof CybersourceTrigger | undefined;
		jest.isolateModules(() => {
			Other = jest.requireActual<{ CybersourceTrigger: typeof CybersourceTrigger }>('../../packages/n8n-nodes-cybersource/nodes/CybersourceTrigger/CybersourceTrigger.node').CybersourceTrigger;
		});
		const second = await hostFor({}, { nodeType: new Other!() });
		second.staticData = JSON.parse(JSON.stringify(first.staticData));
		expect((await post(second, sandbox.signedNotification(webhookId, EVENT, payload('case-0')))).status).toBe(200); // its memory now exists
		expect((await post(first, sandbox.signedNotification(webhookId, EVENT, payload('case-1')))).status).toBe(200);
		second.staticData = JSON.parse(JSON.stringify(first.staticData)); // what the first process saved
		expect((await post(second, sandbox.signedNotification(webhookId, EVENT, payload('case-1')))).status).toBe(200);
		expect((await triggerOutputs(first)).map((output) => output[0].payload)).toEqual([payload('case-1')]);
		expect((await triggerOutputs(second)).map((output) => output[0].payload)).toEqual([payload('case-0')]);
	});

	it('can emit one item per payload entry', async () => {
		const host = await hostFor({ options: { splitPayload: true } });
		await host.activate();
		const webhookId = sandbox.webhooks()[0].webhookId;
		await sandbox.deliver(webhookId, EVENT, [...payload('a'), ...payload('b')]);
		const [output] = await triggerOutputs(host);
		expect(output.map((item) => [item.payloadIndex, (item.payload as { data: { id: string } }).data.id])).toEqual([
			[0, 'a'],
			[1, 'b'],
		]);
	});

	describe('refuses with 401, starts nothing and echoes nothing', () => {
		const refusals: Array<[string, (notification: SignedNotification) => SignedNotification]> = [
			['a tampered body', (n) => ({ ...n, body: n.body.replace('case-secret', 'case-other') })],
			['a signature made with another key', (n) => ({ ...n, headers: { ...n.headers, 'v-c-signature': resign(n, Buffer.alloc(32, 7)) } })],
			['an unknown key id', (n) => ({ ...n, headers: { ...n.headers, 'v-c-signature': n.headers['v-c-signature'].replace(/keyId=[^;]+/, 'keyId=not-our-key') } })],
			['a missing signature header', (n) => ({ ...n, headers: Object.fromEntries(Object.entries(n.headers).filter(([name]) => name !== 'v-c-signature')) })],
			['a malformed signature header', (n) => ({ ...n, headers: { ...n.headers, 'v-c-signature': 'sig=abc' } })],
		];
		it.each(refusals)('%s', async (_name, tamper) => {
			const host = await hostFor();
			await host.activate();
			const webhookId = sandbox.webhooks()[0].webhookId;
			const answer = await post(host, tamper(sandbox.signedNotification(webhookId, EVENT, payload('case-secret'))));
			expect(answer.status).toBe(401);
			expect(answer.text).not.toContain('case-');
			expect(host.executions).toHaveLength(0);
		});
	});
});

function resign(notification: SignedNotification, key: Buffer): string {
	const t = /t=(\d+)/.exec(notification.headers['v-c-signature'])![1];
	const keyId = /keyId=([^;]+)/.exec(notification.headers['v-c-signature'])![1];
	const text = JSON.stringify(JSON.parse(notification.body).payload);
	return `t=${t};keyId=${keyId};sig=${createHmac('sha256', key).update(`${t}.${text}`).digest('base64')}`;
}

describe('Cybersource Trigger: the product and event lists', () => {
	it('loads the products and their event types from Cybersource', async () => {
		const host = await hostFor({ productId: 'tokenManagement' });
		const products = await host.loadOptions('getProducts', 'productId');
		expect(products.map((product) => product.value)).toEqual(WEBHOOK_PRODUCTS.map((product) => product.productId));
		expect(products.every((product) => product.description === product.value)).toBe(true);
		const events = await host.loadOptions('getEventTypes', 'eventTypes');
		// Names a user reads, sorted by them; the id as value and description.
		expect(events).toEqual([
			{ name: 'Network Token Binding', value: 'tms.networktoken.binding', description: 'tms.networktoken.binding' },
			{ name: 'Network Token Provisioned', value: 'tms.networktoken.provisioned', description: 'tms.networktoken.provisioned' },
			{ name: 'Network Token Updated', value: 'tms.networktoken.updated', description: 'tms.networktoken.updated' },
			{ name: 'Token Created', value: 'tms.token.created', description: 'tms.token.created' },
			{ name: 'Token PAN Updated', value: 'tms.token.pan_updated', description: 'tms.token.pan_updated' },
			{ name: 'Token Updated', value: 'tms.token.updated', description: 'tms.token.updated' },
		]);
		expect(sandbox.stats().byOperation['webhooks.products']).toBe(2);
	});

	it('stops with the field to fix when the credential is broken, without asking Cybersource', async () => {
		const host = await hostFor({}, { merchant: merchantCredential(sandbox, 'httpSignature', { sharedSecretKey: 'not base64!' }) });
		await expect(host.loadOptions('getProducts', 'productId')).rejects.toThrow(/^Shared Secret Key: is not base64/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('falls back to the published list, and says so, when Cybersource refuses the request', async () => {
		const host = await hostFor({ organizationId: 'someone_else', productId: 'decisionManager' });
		const products = await host.loadOptions('getProducts', 'productId');
		expect(products.map((product) => product.value)).toEqual(WEBHOOK_PRODUCTS.map((product) => product.productId));
		// The reason is Cybersource's own answer to this organization.
		expect(products[0].description).toMatch(/^alternativePaymentMethods\. From Cybersource's published list: the live list could not be loaded: \S.{10,}\.$/);
		const events = await host.loadOptions('getEventTypes', 'eventTypes');
		expect(events.map((event) => event.value)).toContain(EVENT);
		expect(sandbox.stats().byOperation['webhooks.products']).toBe(2);
	});

	it('shows the published list without asking Cybersource while the Organization ID is empty', async () => {
		const host = await hostFor({ organizationId: '' });
		const products = await host.loadOptions('getProducts', 'productId');
		expect(products.length).toBe(WEBHOOK_PRODUCTS.length);
		expect(products[0].description).toMatch(/published list: enter the Organization ID to load its own list\.$/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});
});

describe('Cybersource Trigger: OAuth-protected mode', () => {
	it('stores its OAuth client, names its token URL in the policy, and takes deliveries with a token from its own endpoint', async () => {
		const host = await hostFor({ securityType: 'oAuth' });
		await host.activate();
		const [webhook] = sandbox.webhooks();
		expect(webhook.securityPolicy).toEqual({ securityType: 'oAuth', config: { oAuthURL: host.publicUrl('setup'), oAuthTokenType: 'Bearer' } });
		expect(sandbox.storedKeys().filter((key) => key.keyType === 'oAuthClientCredentials')).toMatchObject([{ clientKeyId: CLIENT.id, key: CLIENT.secret, provider: sandbox.merchantId, tenant: 'nrtd' }]);

		const inBody = await sandbox.deliver(webhook.webhookId, EVENT, payload('case-1'));
		const inBasic = await sandbox.deliver(webhook.webhookId, EVENT, payload('case-2'), { tokenClientAuth: 'basic' });
		expect(inBody.attempts).toEqual([expect.objectContaining({ tokenStatus: 200, status: 200 })]);
		expect(inBasic.attempts).toEqual([expect.objectContaining({ tokenStatus: 200, status: 200 })]);
		expect(await triggerOutputs(host)).toHaveLength(2);
	});

	it('refuses a validly signed notification without a valid bearer token', async () => {
		const host = await hostFor({ securityType: 'oAuth' });
		await host.activate();
		const webhookId = sandbox.webhooks()[0].webhookId;
		const now = Math.floor(Date.now() / 1000);
		const audience = `n8n-cybersource-trigger:webhook-host-workflow:trigger-node`;
		const key = tokenSigningKey({ clientId: CLIENT.id, clientSecret: CLIENT.secret });
		const bearers = {
			none: undefined,
			expired: signJwt({ typ: 'JWT' }, { aud: audience, iat: now - 600, exp: now - 300 }, 'HS256', key),
			forged: signJwt({ typ: 'JWT' }, { aud: audience, iat: now, exp: now + 300 }, 'HS256', Buffer.alloc(32, 1)),
			otherTrigger: signJwt({ typ: 'JWT' }, { aud: 'n8n-cybersource-trigger:other:node', iat: now, exp: now + 300 }, 'HS256', key),
		};
		for (const [name, bearer] of Object.entries(bearers)) {
			const notification = sandbox.signedNotification(webhookId, EVENT, payload(`case-${name}`));
			if (bearer) notification.headers.authorization = `Bearer ${bearer}`;
			const answer = await post(host, notification);
			expect([name, answer.status, answer.headers.get('www-authenticate')]).toEqual([name, 401, 'Bearer error="invalid_token"']);
		}
		expect(host.executions).toHaveLength(0);
	});

	it('answers token requests as RFC 6749 says', async () => {
		const host = await hostFor({ securityType: 'oAuth' });
		const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
		const wrongSecret = await tokenRequest(host, { grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: 'wrong' });
		expect([wrongSecret.status, wrongSecret.json.error, wrongSecret.headers.get('www-authenticate')]).toEqual([401, 'invalid_client', expect.stringContaining('Basic')]);
		const password = await tokenRequest(host, { grant_type: 'password' }, basic(CLIENT.id, CLIENT.secret));
		expect([password.status, password.json.error]).toEqual([400, 'unsupported_grant_type']);
		const noGrant = await tokenRequest(host, {}, basic(CLIENT.id, CLIENT.secret));
		expect([noGrant.status, noGrant.json.error]).toEqual([400, 'invalid_request']);
		const twoMethods = await tokenRequest(host, { grant_type: 'client_credentials', client_secret: CLIENT.secret }, basic(CLIENT.id, CLIENT.secret));
		expect([twoMethods.status, twoMethods.json.error]).toEqual([400, 'invalid_request']);
		const granted = await tokenRequest(host, { grant_type: 'client_credentials' }, basic(CLIENT.id, CLIENT.secret));
		expect(granted.status).toBe(200);
		expect(granted.json).toMatchObject({ token_type: 'Bearer', expires_in: 300, access_token: expect.any(String) });
		expect(granted.headers.get('cache-control')).toBe('no-store');
		expect(JSON.stringify(granted.json)).not.toContain(CLIENT.secret);
	});

	it('answers the health check with 200 to GET and to a non-form POST', async () => {
		const host = await hostFor();
		const path = `${host.localUrl}${new URL(host.publicUrl('setup')).pathname}`;
		expect((await fetch(path)).status).toBe(200);
		expect((await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
	});
});
