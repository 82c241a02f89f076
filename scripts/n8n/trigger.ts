/**
 * The Cybersource Trigger in a real `n8n start`: the workflow activated through the REST API
 * (the editor's button), the local sandbox delivering notifications the way Cybersource does, to
 * n8n's public URL (WEBHOOK_URL https://n8n.example.test/, routed to n8n's port on 127.0.0.1, as
 * a TLS reverse proxy would be), executions read back from n8n's database through REST.
 */
import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';

import { signJwt } from '../../packages/n8n-nodes-cybersource/lib/oauth2/jwtAssertion';
import type { Sandbox, SignedNotification } from '../../test/servers/cybersource/server';
import type { Check } from './checks';
import { freePort, type CliLine, type N8nInstance, type StoredCredentialFile } from './cli';
import { RestSession } from './rest';
import * as wf from './workflows';

export const PUBLIC_BASE = 'https://n8n.example.test';
const ACCEPT = 'risk.casemanagement.decision.accept';
const REJECT = 'risk.casemanagement.decision.reject';
const TOKEN_EVENT = 'tms.networktoken.updated';
export const TRIGGER_CLIENT = { id: 'cybersource-webhooks', secret: 'suite-trigger-client-secret-0123456789abcdef' };

/** n8n 2.x: GET /rest/workflows/:id/publication-status. */
interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

/** The credentials the trigger workflows refer to: the merchant key, and the webhook keys with `signatureKey`. */
export function triggerCredentials(merchantData: Record<string, unknown>, signatureKey: { keyId: string; key: string }): StoredCredentialFile[] {
	return [
		{ id: wf.TRIGGER_CREDENTIALS.merchantKey, name: 'Cybersource (merchant key)', type: 'cybersourceApi', data: merchantData },
		{
			id: wf.TRIGGER_CREDENTIALS.webhookKeys,
			name: 'Cybersource webhook keys',
			type: 'cybersourceWebhookApi',
			data: { signatureKeyId: signatureKey.keyId, signatureSecret: signatureKey.key, oAuthClientId: TRIGGER_CLIENT.id, oAuthClientSecret: TRIGGER_CLIENT.secret },
		},
	];
}


const payload = (id: string) => [{ data: { id, type: 'case' }, organizationId: 'n8n_sandbox_merchant' }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until `count()` reaches `expected`, then a moment more to see that it stays there. */
async function settle(count: () => Promise<number>, expected: number, limitMs = 30_000): Promise<number> {
	const deadline = Date.now() + limitMs;
	let seen = await count();
	while (seen < expected && Date.now() < deadline) {
		await sleep(250);
		seen = await count();
	}
	await sleep(1500);
	return await count();
}

/**
 * Polls (bounded) until `probe` gives a value. n8n 2.x publishes a workflow in the background: the
 * REST call returns before the trigger's webhooks exist and its `create` ran (seen: 6 s later).
 */
async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, limitMs = 90_000): Promise<T> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${limitMs / 1000} s`);
		await sleep(250);
	}
}

/** Until n8n serves the trigger's health check (its webhooks are registered). */
async function webhooksLive(port: number, webhookUrl: string): Promise<void> {
	const local = `http://127.0.0.1:${port}${new URL(webhookUrl).pathname.replace(/notifications$/, 'setup')}`;
	await waitFor('the trigger\'s webhooks', async () => ((await fetch(local).catch(() => undefined))?.status === 200 ? true : undefined));
}

const dropHeader = (name: string) => (n: SignedNotification) => ({ ...n, headers: Object.fromEntries(Object.entries(n.headers).filter(([header]) => header !== name)) });

export async function triggerChecks(line: CliLine, n8n: N8nInstance, sandbox: Sandbox, merchantData: Record<string, unknown>, check: Check): Promise<void> {
	sandbox.reset(); // no subscription left from another line; a fresh digital signature key
	await n8n.importCredentials(triggerCredentials(merchantData, sandbox.createSignatureKey()));
	await n8n.importWorkflows(wf.triggerWorkflows());
	const port = await freePort();
	sandbox.routeWebhooks(PUBLIC_BASE, `http://127.0.0.1:${port}`);
	const env = { WEBHOOK_URL: `${PUBLIC_BASE}/` };
	let server: ChildProcess | undefined;
	const subscription = (productId: string) => sandbox.webhooks().find((webhook) => webhook.productId === productId);
	// n8n 2.x runs `create` in the background: the subscription exists a moment before it is ACTIVE.
	const activeSubscription = (productId: string) => {
		const webhook = subscription(productId);
		return webhook?.status === 'ACTIVE' ? webhook : undefined;
	};
	try {
		await check(line, 'examples/cybersource-trigger.json activated in n8n start: subscribed (health-checked, ACTIVE), one run per notification, branched on the event type', async () => {
			server = await n8n.start(port, 120_000, env);
			const rest = await RestSession.open(port);
			const activated = await rest.activate(wf.TRIGGER_IDS.example);
			assert.equal(activated.status, 200, `activation answered ${activated.status}: ${activated.text.slice(0, 300)}`);
			const webhook = await waitFor('the subscription at Cybersource, ACTIVE', () => activeSubscription('decisionManager'));
			await webhooksLive(port, webhook.webhookUrl);
			assert.match(webhook.webhookUrl, /^https:\/\/n8n\.example\.test\/webhook\/.+\/notifications$/);
			const reports = [
				await sandbox.deliver(webhook.webhookId, ACCEPT, payload('cli-1')),
				await sandbox.deliver(webhook.webhookId, REJECT, payload('cli-2'), { signedText: 'body' }),
				await sandbox.deliver(webhook.webhookId, ACCEPT, payload('cli-3')),
			];
			assert.deepEqual(reports.map((report) => report.attempts.map((attempt) => attempt.status)), [[200], [200], [200]]);
			const runs = await settle(async () => (await rest.executions(wf.TRIGGER_IDS.example)).length, 3);
			assert.equal(runs, 3, `${runs} executions for 3 notifications`);
			const executions = await rest.executions(wf.TRIGGER_IDS.example);
			const branches: string[] = [];
			for (const execution of executions) {
				assert.equal(execution.status, 'success');
				const data = await rest.runData(execution.id);
				const [item] = data['Cybersource Trigger'];
				const branch = data['Ship the Order'] ? 'ship' : data['Hold the Order'] ? 'hold' : 'none';
				branches.push(`${(item.payload as Array<{ data: { id: string } }>)[0].data.id}:${String(item.eventType)}:${branch}`);
			}
			assert.deepEqual(branches.sort(), [`cli-1:${ACCEPT}:ship`, `cli-2:${REJECT}:hold`, `cli-3:${ACCEPT}:ship`]);
			return `subscribed ${webhook.webhookUrl}; ${branches.sort().join(', ')}`;
		});

		await check(line, 'a retried notification gets 200 and no second run; tampered body, another key, unknown key id, missing signature get 401 and no run', async () => {
			assert.ok(server, 'n8n is not running');
			const rest = await RestSession.open(port);
			const webhookId = subscription('decisionManager')!.webhookId;
			const before = (await rest.executions(wf.TRIGGER_IDS.example)).length;
			const replay = await sandbox.deliver(webhookId, ACCEPT, payload('cli-1'));
			const refusals = {
				tampered: (n: SignedNotification) => ({ ...n, body: n.body.replace('cli-9', 'cli-8') }),
				otherKey: (n: SignedNotification) => ({ ...n, headers: { ...n.headers, 'v-c-signature': n.headers['v-c-signature'].replace(/sig=[^;]+/, `sig=${Buffer.alloc(32, 9).toString('base64')}`) } }),
				unknownKeyId: (n: SignedNotification) => ({ ...n, headers: { ...n.headers, 'v-c-signature': n.headers['v-c-signature'].replace(/keyId=[^;]+/, 'keyId=not-ours') } }),
				missingSignature: dropHeader('v-c-signature'),
			};
			const statuses: string[] = [];
			for (const [name, tamper] of Object.entries(refusals)) {
				const report = await sandbox.deliver(webhookId, ACCEPT, payload('cli-9'), { tamper, retries: 0 });
				statuses.push(`${name} ${report.attempts[0].status}`);
			}
			assert.deepEqual(replay.attempts.map((attempt) => attempt.status), [200]);
			assert.deepEqual(statuses, ['tampered 401', 'otherKey 401', 'unknownKeyId 401', 'missingSignature 401']);
			const after = await settle(async () => (await rest.executions(wf.TRIGGER_IDS.example)).length, before);
			assert.equal(after, before, `${after - before} runs started by a replay or a refused notification`);
			return `replay 200; ${statuses.join(', ')}; runs ${before} -> ${after}`;
		});

		await check(line, 'n8n restarted: the subscription is recognised (no second create) and a replay is still known (static data)', async () => {
			await n8n.stop(server!);
			server = undefined;
			sandbox.resetStats();
			server = await n8n.start(port, 120_000, env);
			const rest = await RestSession.open(port);
			const { webhookId, webhookUrl } = subscription('decisionManager')!;
			await webhooksLive(port, webhookUrl);
			const before = (await rest.executions(wf.TRIGGER_IDS.example)).length;
			const replay = await sandbox.deliver(webhookId, ACCEPT, payload('cli-3'));
			const fresh = await sandbox.deliver(webhookId, ACCEPT, payload('cli-4'));
			assert.deepEqual([replay.delivered, fresh.delivered], [true, true]);
			const after = await settle(async () => (await rest.executions(wf.TRIGGER_IDS.example)).length, before + 1);
			assert.equal(after, before + 1, `${after - before} runs for one new notification and one replay`);
			const operations = sandbox.stats().byOperation;
			assert.equal(operations['webhooks.create'] ?? 0, 0, 'the restart created a second subscription');
			assert.equal(sandbox.webhooks().length, 1);
			return `webhooks.get ${operations['webhooks.get'] ?? 0}, webhooks.create 0; runs ${before} -> ${after}`;
		});

		await check(line, 'OAuth-protected trigger: Cybersource gets a token from the trigger (form body and Basic); no, expired or forged bearer -> 401', async () => {
			const rest = await RestSession.open(port);
			const activated = await rest.activate(wf.TRIGGER_IDS.oauth);
			assert.equal(activated.status, 200, `activation answered ${activated.status}: ${activated.text.slice(0, 300)}`);
			const webhook = await waitFor('the subscription for tokenManagement, ACTIVE', () => activeSubscription('tokenManagement'));
			await webhooksLive(port, webhook.webhookUrl);
			const policy = webhook.securityPolicy as { securityType: string; config: { oAuthURL: string } };
			assert.equal(policy.securityType, 'oAuth');
			assert.match(policy.config.oAuthURL, /^https:\/\/n8n\.example\.test\/webhook\/.+\/setup$/);
			const stored = sandbox.storedKeys().filter((entry) => entry.keyType === 'oAuthClientCredentials');
			assert.deepEqual(stored.map((entry) => entry.clientKeyId), [TRIGGER_CLIENT.id]);
			const body = await sandbox.deliver(webhook.webhookId, TOKEN_EVENT, payload('tok-1'));
			const basic = await sandbox.deliver(webhook.webhookId, TOKEN_EVENT, payload('tok-2'), { tokenClientAuth: 'basic' });
			assert.deepEqual([...body.attempts, ...basic.attempts].map((attempt) => [attempt.tokenStatus, attempt.status]), [[200, 200], [200, 200]]);
			const now = Math.floor(Date.now() / 1000);
			const forged = signJwt({ typ: 'JWT' }, { aud: 'anything', iat: now, exp: now + 300 }, 'HS256', Buffer.alloc(32, 5));
			const refusals = {
				noBearer: dropHeader('authorization'),
				forged: (n: SignedNotification) => ({ ...n, headers: { ...n.headers, authorization: `Bearer ${forged}` } }),
				expired: (n: SignedNotification) => {
					const [head, claims, signature] = (n.headers.authorization ?? '').replace('Bearer ', '').split('.');
					const old = { ...JSON.parse(Buffer.from(claims, 'base64url').toString()), exp: now - 60 };
					return { ...n, headers: { ...n.headers, authorization: `Bearer ${head}.${Buffer.from(JSON.stringify(old)).toString('base64url')}.${signature}` } };
				},
			};
			const statuses: string[] = [];
			for (const [name, tamper] of Object.entries(refusals)) {
				const report = await sandbox.deliver(webhook.webhookId, TOKEN_EVENT, payload('tok-9'), { tamper, retries: 0 });
				statuses.push(`${name} ${report.attempts[0].status}`);
			}
			assert.deepEqual(statuses, ['noBearer 401', 'forged 401', 'expired 401']);
			const runs = await settle(async () => (await rest.executions(wf.TRIGGER_IDS.oauth)).length, 2);
			assert.equal(runs, 2, `${runs} runs for 2 accepted notifications`);
			return `token + notification: ${body.attempts.length + basic.attempts.length} x 200; ${statuses.join(', ')}; runs ${runs}`;
		});

		await check(line, 'deactivating the workflows deletes their subscriptions at Cybersource', async () => {
			const rest = await RestSession.open(port);
			for (const id of [wf.TRIGGER_IDS.example, wf.TRIGGER_IDS.oauth]) {
				const answer = await rest.deactivate(id);
				assert.equal(answer.status, 200, `deactivation answered ${answer.status}: ${answer.text.slice(0, 200)}`);
			}
			await waitFor('the subscriptions deleted', () => (sandbox.webhooks().length === 0 ? true : undefined));
			return 'no subscription left';
		});
	} finally {
		if (server) await n8n.stop(server);
	}

	await check(line, 'activation behind an http WEBHOOK_URL fails with a message naming WEBHOOK_URL, and nothing is subscribed', async () => {
		const plainPort = await freePort();
		const plain = await n8n.start(plainPort, 120_000, { WEBHOOK_URL: `http://127.0.0.1:${plainPort}/` });
		try {
			sandbox.resetStats();
			const rest = await RestSession.open(plainPort);
			const answer = await rest.activate(wf.TRIGGER_IDS.example);
			// n8n 1.x refuses the activation itself; 2.x publishes in the background and reports
			// each trigger's outcome to the editor (GET /rest/workflows/:id/publication-status).
			const message =
				answer.status !== 200
					? ((JSON.parse(answer.text) as { message?: string }).message ?? answer.text)
					: await waitFor('the publication\'s outcome', async () => {
							const { status, triggers } = (await rest.call('GET', `/workflows/${wf.TRIGGER_IDS.example}/publication-status`)).json().data as PublicationStatus;
							if (status === 'in_progress' || status === 'not_published') return undefined;
							return `${status}: ${triggers.map((trigger) => trigger.errorMessage ?? trigger.status).join('; ')}`;
						});
			assert.match(message, /WEBHOOK_URL|port 443 or 8443/);
			assert.deepEqual([sandbox.webhooks().length, sandbox.stats().apiRequests], [0, 0]);
			return `${answer.status}: ${message.slice(0, 160)}`;
		} finally {
			await n8n.stop(plain);
		}
	});
}
