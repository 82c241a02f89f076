/**
 * npm run test:queue: the package in n8n's queue mode, as users run it at scale. n8n 2.40.7 (the
 * line whose HTTP helpers carry the Cybersource OAuth2 credential's client certificate) with
 * PostgreSQL and Redis from Debian's packages: one main process, two `n8n worker --concurrency=10`,
 * one `n8n webhook`, all on 127.0.0.1 and stopped by the script. A Webhook (respond immediately)
 * → Cybersource Authorize → Capture workflow is called 200 times, 20 at a time, with the
 * Cybersource OAuth2 credential against the mutual-TLS sandbox, once with 15-minute access tokens
 * and once with 5-second ones (a sandbox that accepts only the newest refresh token).
 *
 * Checked and printed: token requests (at most one per worker per token lifetime, plus one
 * refusal when two refresh at the same moment), executions that failed, payments sent twice,
 * orders lost, and whether n8n's database ends with the newest refresh token.
 *
 * Then a worker is SIGKILLed under load (answers delayed 300 ms, so payments are in flight; the
 * order ID mapped into Merchant Transaction ID): n8n 2.x does not run the dead worker's executions
 * again; it fails them once their jobs stall (crashed, at its next queue recovery, if no worker is
 * left to notice). The orders of those executions are sent again, as a merchant's system re-delivers orders n8n did not finish: Cybersource
 * refuses the IDs it has seen, the node outputs the earlier transaction, and every order ends
 * authorized once and captured once.
 *
 * Last, n8n 1.123.81 in the same setup with the merchant key, a worker SIGKILLed the same way:
 * n8n 1.x runs the dead worker's jobs again from the start; the derived merchant transaction IDs
 * are the same, and every order ends authorized once and captured once without help.
 */
import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';

import { startCybersourceSandbox, type Sandbox } from '../../test/servers/cybersource/server';
import type { StoredCredential } from '../../test/harness/credentials-helper';
import { merchantCredential, refreshAtSandbox } from '../../test/support/cybersource';
import { cybersourceCredentialData } from '../lib/localServers';
import { CheckRun, out, runScript } from './checks';
import { CLI_LINES, freePort, installCli, killTree, N8nInstance, packPackage, type StoredCredentialFile } from './cli';
import { PUBLIC_BASE, triggerCredentials } from './trigger';
import * as wf from './workflows';
import { sql, startServices, type Services } from './services';

const checks = new CheckRun();
const { check } = checks;
const line = CLI_LINES['2'];

const ORDERS = 200;
const AT_ONCE = 20;
const WORKERS = 2;
const year = String(new Date().getFullYear() + 3);

interface Scenario {
	name: string;
	sandbox: Sandbox;
	id: string;
	path: string;
	credentialId: string;
	/** Access token lifetime at the sandbox, seconds. */
	ttl: number;
	/** Map the order ID into the Merchant Transaction IDs (otherwise the node derives them). */
	mapOrderIds?: boolean;
	/** The credential: Cybersource OAuth2 (default), or the merchant key (n8n 1.x cannot carry the OAuth2 credential's client certificate). */
	credential?: StoredCredential;
}

function credentialOf(scenario: Scenario): StoredCredential {
	return scenario.credential ?? { id: scenario.credentialId, name: scenario.credentialId, type: 'cybersourceOAuth2Api', data: cybersourceCredentialData(scenario.sandbox) };
}

function workflow(scenario: Scenario): Record<string, unknown> & { id: string } {
	const credential = credentialOf(scenario);
	const credentials = { [credential.type]: { id: credential.id, name: credential.name } };
	const node = (name: string, type: string, typeVersion: number, x: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		id: `${scenario.id}-${name.toLowerCase()}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
	const nodes = [
		node('Order', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: scenario.path, responseMode: 'onReceived', options: {} }, { webhookId: `${scenario.id}-hook` }),
		node(
			'Authorize',
			'n8n-nodes-cybersource.cybersource',
			2,
			200,
			{
				authentication: credential.type,
				resource: 'payment',
				operation: 'authorize',
				amount: '={{ $json.body.amount }}',
				currency: 'USD',
				cardNumber: '4111111111111111',
				expirationMonth: '12',
				expirationYear: year,
				securityCode: '123',
				clientReferenceCode: '={{ $json.body.orderId }}',
				...(scenario.mapOrderIds ? { merchantTransactionId: '={{ $json.body.orderId }}' } : {}),
			},
			{ credentials },
		),
		node(
			'Capture',
			'n8n-nodes-cybersource.cybersource',
			2,
			400,
			{
				authentication: credential.type,
				resource: 'payment',
				operation: 'capture',
				paymentId: '={{ $json.id }}',
				amount: "={{ $('Order').item.json.body.amount }}",
				currency: 'USD',
				clientReferenceCode: "={{ $('Order').item.json.body.orderId }}",
				...(scenario.mapOrderIds ? { merchantTransactionId: "={{ $('Order').item.json.body.orderId }}-c" } : {}),
			},
			{ credentials },
		),
	];
	const connections = {
		Order: { main: [[{ node: 'Authorize', type: 'main', index: 0 }]] },
		Authorize: { main: [[{ node: 'Capture', type: 'main', index: 0 }]] },
	};
	return { id: scenario.id, name: `Queue mode: ${scenario.name}`, nodes, connections, settings: { executionOrder: 'v1' } };
}

const orderId = (scenario: Scenario, index: number) => `${scenario.id}-${index + 1}`;

/** What became of each of the scenario's orders at the sandbox: paid twice, not paid, not captured exactly once. */
function orderFates(scenario: Scenario) {
	const counts = scenario.sandbox.transactionsByReference();
	const references = Array.from({ length: ORDERS }, (_, index) => orderId(scenario, index));
	const paid = (reference: string) => counts.payment?.[reference] ?? 0;
	const captured = (reference: string) => counts.capture?.[reference] ?? 0;
	const notCapturedOnce = references.filter((reference) => captured(reference) !== 1);
	return {
		references,
		paid,
		captured,
		twice: references.filter((reference) => paid(reference) > 1).length,
		unpaid: references.filter((reference) => paid(reference) === 0).length,
		notCapturedOnce,
		capturedOnce: ORDERS - notCapturedOnce.length,
	};
}

/** Sends orders (default all, by index) to the webhook process, `AT_ONCE` at a time. */
async function sendOrders(webhookBase: string, scenario: Scenario, indexes = Array.from({ length: ORDERS }, (_, i) => i)): Promise<Record<number, number>> {
	const statuses: Record<number, number> = {};
	for (let start = 0; start < indexes.length; start += AT_ONCE) {
		const batch = indexes.slice(start, start + AT_ONCE);
		const answers = await Promise.all(
			batch.map(async (index) => {
				const response = await fetch(`${webhookBase}/webhook/${scenario.path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ orderId: orderId(scenario, index), amount: `${(10 + (index % 90)).toFixed(2)}` }),
				});
				const text = await response.text();
				if (response.status !== 200 && process.env.QUEUE_DEBUG) out(`    ${response.status}: ${text.slice(0, 300)}`);
				return response.status;
			}),
		);
		for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
	}
	return statuses;
}

/** Polls n8n's database (bounded) until the main process has registered the workflows' webhooks. */
async function webhooksRegistered(services: Services, count: number, limitMs = 60_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (Number(sql(services, 'select count(*) from webhook_entity')[0]) < count) {
		if (Date.now() > deadline) throw new Error(`the main process registered fewer than ${count} webhooks within ${limitMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/**
 * The webhook process answers /healthz before it mounts its webhook routes (until then every
 * call gets an HTML 404): polls (bounded) with a GET, which runs nothing (the webhooks take POST),
 * until n8n itself answers it.
 */
async function webhookRoutesMounted(url: string, limitMs = 60_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		const response = await fetch(url).catch(() => undefined);
		await response?.text();
		if (response?.headers.get('content-type')?.includes('json')) return;
		if (Date.now() > deadline) throw new Error(`the webhook process did not mount its webhook routes within ${limitMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Polls n8n's database (bounded) until `count` executions of the workflow have ended. */
async function executionsEnded(services: Services, workflowId: string, count: number, limitMs = 240_000): Promise<Record<string, number>> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		const rows = sql(services, `select status, count(*) from execution_entity where "workflowId" = '${workflowId}' group by status`);
		const byStatus = Object.fromEntries(rows.map((row) => row.split('\t')).map(([status, n]) => [status, Number(n)]));
		const ended = (byStatus.success ?? 0) + (byStatus.error ?? 0) + (byStatus.crashed ?? 0) + (byStatus.canceled ?? 0);
		if (ended >= count || Date.now() > deadline) return byStatus;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/**
 * A worker SIGKILLed after about a third of the payments, with answers delayed so that payments
 * are in flight. Returns the summary; throws when an order was paid twice, or is not paid and
 * captured exactly once after its re-delivery.
 */
async function killedWorkerRun(services: Services, webhookBase: string, scenario: Scenario, kill: () => void): Promise<string> {
	const { sandbox } = scenario;
	sandbox.resetStats();
	sandbox.delayApiAnswers(300);
	const runStarted = Date.now();
	const sending = sendOrders(webhookBase, scenario);
	const killedAfter = await killAfterAThird(sandbox, kill);
	const killedAt = Date.now();
	const answers = await sending;
	assert.equal(answers[200], ORDERS, `the webhook process answered ${JSON.stringify(answers)}`);
	const statuses = await executionsEnded(services, scenario.id, ORDERS, 300_000);
	const crashedAfter = (Date.now() - killedAt) / 1000;
	// n8n 2.40.7 fails the dead worker's executions once their jobs stall and replaces their data
	// with that error: the webhook's input (the order) is gone from n8n, and nothing runs again.
	// The merchant's system knows its orders: it sends again each one no successful execution names.
	const executionsOf = (status: string) => `select id from execution_entity where "workflowId" = '${scenario.id}' and status ${status}`;
	const succeeded = new Set(sql(services, `select substring(data from '${scenario.id}-[0-9]+') from execution_data where "executionId" in (${executionsOf("= 'success'")})`));
	const before = orderFates(scenario);
	const crashed = before.references.filter((reference) => !succeeded.has(reference));
	assert.equal(crashed.length, ORDERS - (statuses.success ?? 0), 'each successful execution names its own order');
	const why = sql(services, `select distinct substring(data from '"(This execution[^".]*)') from execution_data where "executionId" in (${executionsOf("<> 'success'")})`).join(' | ');
	const keptInput = Number(sql(services, `select count(*) from execution_data where "executionId" in (${executionsOf("<> 'success'")}) and data ~ '${scenario.id}-[0-9]+'`)[0]);
	const twiceBefore = before.twice;
	const crashedPaid = crashed.filter((reference) => before.paid(reference) === 1).length;
	const crashedCaptured = crashed.filter((reference) => before.captured(reference) === 1).length;

	// The merchant's system sends the unfinished orders again.
	const indexes = crashed.map((reference) => Number(reference.slice(scenario.id.length + 1)) - 1);
	const again = await sendOrders(webhookBase, scenario, indexes);
	assert.equal(again[200], indexes.length, `the webhook process answered ${JSON.stringify(again)}`);
	const finalStatuses = await executionsEnded(services, scenario.id, ORDERS + indexes.length, 300_000);
	const after = orderFates(scenario);
	const { twice, unpaid, notCapturedOnce, capturedOnce } = after;
	const stats = sandbox.stats();
	sandbox.delayApiAnswers(0);
	const summary =
		`${((Date.now() - runStarted) / 1000).toFixed(0)} s; killed after ${killedAfter} authorizations; executions at first ${JSON.stringify(statuses)} (the dead worker's failed ${crashedAfter.toFixed(0)} s after the kill: "${why}"; none run again, sent twice ${twiceBefore}; ${keptInput} kept their input); ` +
		`of their ${crashed.length} orders ${crashedPaid} had reached Cybersource (${crashedCaptured} captured); sent again: executions ${JSON.stringify(finalStatuses)}, ` +
		`searches for earlier transactions ${stats.byOperation['transactions.search'] ?? 0}; in the end payments sent twice ${twice}, orders not paid ${unpaid}, captured once ${capturedOnce}/${ORDERS}`;
	const failed = (what: string) => `${what}; ${summary}`;
	assert.ok(crashed.length > 0, failed('every execution succeeded (the kill came too late)'));
	assert.equal(twiceBefore, 0, failed('payments sent twice before the re-delivery'));
	assert.equal(finalStatuses.success, ORDERS, failed('executions'));
	assert.equal(twice, 0, failed('payments sent twice'));
	assert.equal(unpaid, 0, failed('orders not paid'));
	const counts = notCapturedOnce.map((reference) => `${reference}: ${after.paid(reference)} paid, ${after.captured(reference)} captured, sent again ${crashed.includes(reference)}`);
	assert.equal(capturedOnce, ORDERS, failed(`orders not captured exactly once: ${counts.join(', ')}`));
	return summary;
}

async function main(): Promise<boolean> {
	const started = Date.now();
	out(`The package in n8n's queue mode (npm run test:queue), ${line.version} then ${CLI_LINES['1'].version}: PostgreSQL, Redis, main, ${WORKERS} workers, a webhook process; everything on 127.0.0.1.`);
	installCli('2');
	const tarball = packPackage();
	const services = await startServices();
	out(`PostgreSQL on ${services.postgresPort}, Redis on ${services.redisPort}`);
	const sandboxes = [
		await startCybersourceSandbox(),
		await startCybersourceSandbox({ accessTokenTtlSeconds: 5 }),
		await startCybersourceSandbox(),
		await startCybersourceSandbox({ accessTokenTtlSeconds: 5 }),
		await startCybersourceSandbox(),
	];
	const scenarios: Scenario[] = [
		{ name: '15-minute tokens', sandbox: sandboxes[0], id: 'queuelong', path: 'queue-long', credentialId: 'cybs-queue-long', ttl: 900 },
		{ name: '5-second tokens', sandbox: sandboxes[1], id: 'queueshort', path: 'queue-short', credentialId: 'cybs-queue-short', ttl: 5 },
	];
	const killed: Scenario = { name: 'a worker killed', sandbox: sandboxes[2], id: 'queuekill', path: 'queue-kill', credentialId: 'cybs-queue-kill', ttl: 900, mapOrderIds: true };
	const refreshing: Scenario = { name: 'the last worker killed during a refresh', sandbox: sandboxes[3], id: 'queuerefresh', path: 'queue-refresh', credentialId: 'cybs-queue-refresh', ttl: 5 };
	const all = [...scenarios, killed, refreshing];
	// A dead worker's jobs are noticed sooner than n8n's defaults (a 60-second lock; a queue recovery
	// every 180 minutes); what happens to them is n8n's own behaviour.
	// The Cybersource Trigger behind two webhook processes (Cybersource delivers to one public URL).
	const notifying = sandboxes[4];
	const trigger = withRemoveDuplicates(wf.triggerWorkflows()[0]);
	const triggerSetup = {
		credentials: triggerCredentials(merchantCredential(notifying).data, notifying.createSignatureKey()),
		workflows: [trigger],
		webhooks: 2, // notifications and health check
		webhookProcesses: 2,
		serving: (bases: string[]) => notifying.routeWebhooks(PUBLIC_BASE, bases),
	};
	const n8n = new N8nInstance(line, { ...services.n8nEnv, ...SOON_NOTICED, WEBHOOK_URL: `${PUBLIC_BASE}/` });
	try {
		const { workers, webhookBase } = await startCluster(n8n, services, tarball, all, triggerSetup);
		await check(line, 'queue mode, the Cybersource Trigger behind 2 webhook processes: retries of the same notification reaching the other process', () =>
			triggerRetriesRun(services, notifying, trigger.id),
		);
		for (const scenario of scenarios) {
			const { sandbox } = scenario;
			sandbox.resetStats();
			await check(line, `queue mode, ${scenario.name}: ${ORDERS} orders through the webhook process, ${WORKERS} workers`, async () => {
				const runStarted = Date.now();
				const answers = await sendOrders(webhookBase, scenario);
				assert.equal(answers[200], ORDERS, `the webhook process answered ${JSON.stringify(answers)}`);
				const statuses = await executionsEnded(services, scenario.id, ORDERS);
				const seconds = (Date.now() - runStarted) / 1000;
				const stats = sandbox.stats();
				const { twice, unpaid: lost } = orderFates(scenario);
				const captured = stats.byOperation['payments.capture'] ?? 0;
				const [credential] = (await n8n.exportCredentials()).filter((stored) => stored.id === scenario.credentialId);
				// Cybersource (the sandbox) accepts only the newest refresh token.
				const newestStored = (await refreshAtSandbox(sandbox, String(credential.data.refreshToken))) !== undefined;
				const lifetimes = Math.max(1, Math.ceil(seconds / scenario.ttl));
				const summary = (
					`${seconds.toFixed(0)} s; executions ${JSON.stringify(statuses)}; token requests ${stats.tokenRequests} (${stats.tokenFailures} refused) for ${WORKERS} workers over ${lifetimes} token lifetime(s); payments sent twice ${twice}; orders lost ${lost}; captured ${captured}; database ends with the newest refresh token: ${newestStored ? 'yes' : 'NO'}`
				);
				assert.equal(statuses.success, ORDERS, `executions: ${JSON.stringify(statuses)}`);
				assert.equal(twice, 0, 'payments sent twice');
				assert.equal(lost, 0, 'orders lost');
				assert.equal(captured, ORDERS, 'captures');
				assert.ok(newestStored, "n8n's database does not hold the newest refresh token");
				// One refresh per worker per lifetime (renewed ahead of expiry: one more per lifetime at most), plus refusals.
				assert.ok(stats.tokenRequests - stats.tokenFailures <= WORKERS * (lifetimes + 1), `${stats.tokenRequests - stats.tokenFailures} successful token requests`);
				assert.ok(stats.tokenFailures <= stats.tokenRequests - stats.tokenFailures, `${stats.tokenFailures} refused token requests`);
				return summary;
			});
		}
		for (const worker of workers) assert.equal(worker.child.exitCode, null, 'a worker exited');
		await check(line, `queue mode, ${killed.name}: ${ORDERS} orders, one of ${WORKERS} workers SIGKILLed mid-run, the unfinished orders sent again`, () =>
			killedWorkerRun(services, webhookBase, killed, () => killTree(workers[0].child)),
		);
		await check(line, `queue mode, ${refreshing.name}: the refresh token Cybersource issued never arrives; a new worker takes over`, () =>
			refreshInFlightRun(n8n, services, webhookBase, refreshing, workers[1].child),
		);
	} finally {
		await n8n.dispose();
		await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
		await services.stop();
	}
	await rerunOnLine1(tarball);
	return checks.summary(started);
}

/**
 * The trigger example with n8n's Remove Duplicates node (items seen in previous executions, by
 * `notificationId`; its store is n8n's database, shared by every process) right after the trigger:
 * what n8n offers against a notification run twice. Measured, not relied on: its store for a
 * workflow is one row, and concurrent runs fail on its unique constraint.
 */
function withRemoveDuplicates(example: wf.Workflow): wf.Workflow {
	type Connections = Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	const copy = structuredClone(example) as wf.Workflow & { nodes: Array<Record<string, unknown> & { name: string; position: number[] }>; connections: Connections };
	const trigger = copy.nodes.find((node) => node.name === 'Cybersource Trigger')!;
	copy.nodes.push({
		id: 'queue-seen-before',
		name: DEDUPE_NODE,
		type: 'n8n-nodes-base.removeDuplicates',
		typeVersion: 2,
		position: [trigger.position[0] + 100, trigger.position[1] + 200],
		parameters: { operation: 'removeItemsSeenInPreviousExecutions', logic: 'removeItemsWithAlreadySeenKeyValues', dedupeValue: '={{ $json.notificationId }}', options: {} },
	});
	copy.connections[DEDUPE_NODE] = copy.connections['Cybersource Trigger'];
	copy.connections['Cybersource Trigger'] = { main: [[{ node: DEDUPE_NODE, type: 'main', index: 0 }]] };
	return copy;
}

const DEDUPE_NODE = 'Seen Before?';

/**
 * Cybersource retries a notification until it sees a 2xx, with a new trace id, and the retry may
 * reach another webhook process. Each notification's first answer is lost on the way back, so its
 * retry goes to the other process: once 5 s later (after the first process stored the
 * notification in the workflow's static data; Cybersource itself waits a minute or more), once at
 * once. Counts the workflow runs per notification (each should start one).
 */
async function triggerRetriesRun(services: Services, sandbox: Sandbox, workflowId: string): Promise<string> {
	const deadline = Date.now() + 90_000;
	let webhook = sandbox.webhooks().find((candidate) => candidate.productId === 'decisionManager' && candidate.status === 'ACTIVE');
	while (webhook === undefined) {
		if (Date.now() > deadline) throw new Error('the trigger did not subscribe within 90 s');
		await new Promise((resolve) => setTimeout(resolve, 250));
		webhook = sandbox.webhooks().find((candidate) => candidate.productId === 'decisionManager' && candidate.status === 'ACTIVE');
	}
	const runs = () => Number(sql(services, `select count(*) from execution_entity where "workflowId" = '${workflowId}'`)[0]);
	// Runs that got past Remove Duplicates: the order branch ran.
	const passed = () => Number(sql(services, `select count(*) from execution_data where "executionId" in (select id from execution_entity where "workflowId" = '${workflowId}') and data ~ '"(Ship|Hold) the Order"'`)[0]);
	const results: string[] = [];
	let expected = 0;
	let passedBefore = 0;
	let failedBefore = 0;
	const extra: number[] = [];
	for (const [name, retryDelayMs] of [['retried 5 s later', 5_000], ['retried at once', 0]] as const) {
		const notifications = Array.from({ length: 40 }, (_, index) => `${name.replace(/\W/g, '')}-${index}`);
		const reports: Array<{ delivered: boolean }> = [];
		for (let start = 0; start < notifications.length; start += 10) {
			const batch = notifications.slice(start, start + 10);
			const payload = (id: string) => [{ data: { id, type: 'case' }, organizationId: sandbox.merchantId }];
			reports.push(...(await Promise.all(batch.map((id) => sandbox.deliver(webhook.webhookId, 'risk.casemanagement.decision.accept', payload(id), { loseAnswers: 1, retries: 1, retryDelayMs })))));
		}
		assert.ok(reports.every((report) => report.delivered), `${name}: a retry was not answered 200`);
		expected += notifications.length;
		// Every run has started once the count stays put (bounded).
		let seen = runs();
		for (let settled = 0, polls = 0; settled < 6 && polls < 240; polls++) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			const now = runs();
			settled = now === seen ? settled + 1 : 0;
			seen = now;
		}
		const statuses = await executionsEnded(services, workflowId, seen, 120_000);
		const through = passed();
		extra.push(seen - expected);
		results.push(
			`${name}: ${notifications.length} notifications, ${seen - expected} started twice; ` +
				`behind Remove Duplicates ${through - passedBefore} reached the order branch and ${(statuses.error ?? 0) - failedBefore} runs failed in it`,
		);
		expected = seen;
		passedBefore = through;
		failedBefore = statuses.error ?? 0;
	}
	const summary = `${results.join('; ')} (each notification answered by one process and retried to the other)`;
	assert.equal(extra[0], 0, `a retry that came after the first process stored the notification ran it again; ${summary}`);
	return summary;
}

/**
 * Item 3 of the queue-mode issue: the process refreshing dies between Cybersource's rotation and
 * its answer (token answers delayed 3 s, the only worker SIGKILLed meanwhile), so the refresh token
 * Cybersource issued is never stored. Measures what a new worker then meets: the stored refresh
 * token is spent, Cybersource refuses it once, and every order fails with a message that says to
 * re-authorize the merchant, until the merchant does.
 */
async function refreshInFlightRun(n8n: N8nInstance, services: Services, webhookBase: string, scenario: Scenario, lastWorker: ChildProcess): Promise<string> {
	const { sandbox } = scenario;
	sandbox.resetStats();
	const warm = [0, 1, 2, 3, 4];
	await sendOrders(webhookBase, scenario, warm);
	await executionsEnded(services, scenario.id, warm.length);
	await new Promise((resolve) => setTimeout(resolve, 6_000)); // the 5-second token has expired
	sandbox.delayTokenAnswers(3_000);
	const before = sandbox.stats().tokenRequests;
	const sending = sendOrders(webhookBase, scenario, [5, 6, 7, 8, 9]);
	const deadline = Date.now() + 60_000;
	while (sandbox.stats().tokenRequests === before) {
		if (Date.now() > deadline) throw new Error('no refresh within 60 s');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	killTree(lastWorker); // Cybersource has rotated the refresh token; its answer is on its way
	await sending;
	sandbox.delayTokenAnswers(0);
	const rotatedAt = sandbox.stats();
	const newWorker = await n8n.launch(['worker', '--concurrency=10']);
	// The new worker first ends the dead worker's jobs (as failed); orders sent while it is still
	// starting could stall in it on a busy machine and be failed by n8n without running at all.
	await executionsEnded(services, scenario.id, warm.length + 5, 120_000);
	const after = [10, 11, 12, 13, 14];
	await sendOrders(webhookBase, scenario, after);
	const statuses = await executionsEnded(services, scenario.id, warm.length + 10, 120_000);
	const stats = sandbox.stats();
	const message = sql(
		services,
		`select distinct substring(data from 'Cybersource found the request malformed[^"]*') from execution_data where "executionId" in (select id from execution_entity where "workflowId" = '${scenario.id}' and status = 'error')`,
	).filter((line) => line !== '');
	// What the failed executions said, when it was not that (for the report).
	const others =
		message.length > 0
			? []
			: sql(services, `select distinct substring(data from '(Cybersource|Could not|The connection|Timeout|refresh)[^"]{0,160}') from execution_data where "executionId" in (select id from execution_entity where "workflowId" = '${scenario.id}' and status = 'error')`).filter((line) => line !== '');
	const [credential] = (await n8n.exportCredentials()).filter((stored) => stored.id === scenario.credentialId);
	const storedWorks = (await refreshAtSandbox(sandbox, String(credential.data.refreshToken))) !== undefined;
	killTree(newWorker.child);
	const summary =
		`executions ${JSON.stringify(statuses)} (5 before the kill, 5 during it, 5 on the new worker); token requests after the rotation ${stats.tokenRequests - rotatedAt.tokenRequests} (${stats.tokenFailures - rotatedAt.tokenFailures} refused); ` +
		`the stored refresh token still accepted: ${storedWorks ? 'yes' : 'no'}; the error says: "${message[0]?.slice(0, 160) ?? `(none found; the failed executions say: ${others.join(' | ').slice(0, 400)})`}..."`;
	const failed = (what: string) => `${what}; ${summary}`;
	assert.equal(statuses.success, warm.length, failed('executions before the kill'));
	assert.ok(!storedWorks, failed('the stored refresh token still works: the kill came after n8n stored the new one'));
	assert.ok(stats.tokenRequests - rotatedAt.tokenRequests <= 1, failed('a spent refresh token was sent more than once'));
	assert.ok(message.some((text) => text.includes('re-authorize the merchant')), failed('no execution says to re-authorize'));
	return summary;
}

/**
 * n8n 1.x: its workers run a dead worker's jobs again from the first node, with the same execution
 * ID. The workflow leaves Merchant Transaction ID empty (derived from the execution): the second
 * run sends the same IDs, Cybersource refuses them, and the node outputs the first run's
 * transactions, found by client reference code. The merchant key signs (n8n 1.x cannot carry the
 * Cybersource OAuth2 credential's client certificate).
 */
async function rerunOnLine1(tarball: string): Promise<void> {
	const line1 = CLI_LINES['1'];
	installCli('1');
	const services = await startServices();
	const sandbox = await startCybersourceSandbox();
	const scenario: Scenario = { name: 'a worker killed', sandbox, id: 'queuererun', path: 'queue-rerun', credentialId: 'cybs-queue-merchant', ttl: 900 };
	scenario.credential = merchantCredential(sandbox, 'httpSignature', {}, scenario.credentialId);
	const n8n = new N8nInstance(line1, { ...services.n8nEnv, ...SOON_NOTICED });
	try {
		const { workers, webhookBase } = await startCluster(n8n, services, tarball, [scenario]);
		await check(line1, `queue mode, ${scenario.name}: ${ORDERS} orders, one of ${WORKERS} workers SIGKILLed mid-run, n8n runs its jobs again`, async () => {
			sandbox.resetStats();
			sandbox.delayApiAnswers(300);
			const runStarted = Date.now();
			const sending = sendOrders(webhookBase, scenario);
			const killedAfter = await killAfterAThird(sandbox, () => killTree(workers[0].child));
			const answers = await sending;
			assert.equal(answers[200], ORDERS, `the webhook process answered ${JSON.stringify(answers)}`);
			const statuses = await executionsEnded(services, scenario.id, ORDERS, 300_000);
			sandbox.delayApiAnswers(0);
			const { twice, unpaid, capturedOnce } = orderFates(scenario);
			const stats = sandbox.stats();
			const summary =
				`${((Date.now() - runStarted) / 1000).toFixed(0)} s; killed after ${killedAfter} authorizations; executions ${JSON.stringify(statuses)}; ` +
				`requests refused as sent before and found again ${stats.byOperation['transactions.search'] ?? 0}; payments sent twice ${twice}, orders not paid ${unpaid}, captured once ${capturedOnce}/${ORDERS}`;
			const failed = (what: string) => `${what}; ${summary}`;
			assert.equal(statuses.success, ORDERS, failed('executions'));
			assert.ok((stats.byOperation['transactions.search'] ?? 0) > 0, failed('no job was run again (the kill came too late)'));
			assert.equal(twice, 0, failed('payments sent twice'));
			assert.equal(unpaid, 0, failed('orders not paid'));
			assert.equal(capturedOnce, ORDERS, failed('orders not captured exactly once'));
			return summary;
		});
	} finally {
		await n8n.dispose();
		await sandbox.close();
		await services.stop();
	}
}

/**
 * A dead worker's jobs noticed sooner than with n8n's defaults (a 60-second lock; on 2.x a queue
 * recovery every 180 minutes); what n8n then does with them is its own behaviour.
 */
const SOON_NOTICED = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
};

/** Kills `kill` once a third of the orders are authorized (bounded); returns how many were. */
async function killAfterAThird(sandbox: Sandbox, kill: () => void): Promise<number> {
	const deadline = Date.now() + 120_000;
	while ((sandbox.stats().byOperation['payments.authorize'] ?? 0) < ORDERS / 3) {
		if (Date.now() > deadline) throw new Error(`fewer than ${ORDERS / 3} payments within 120 s`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	kill();
	return sandbox.stats().byOperation['payments.authorize'] ?? 0;
}

/** Credentials and workflows a cluster holds besides the scenarios' (the Cybersource Trigger's). */
interface Extra {
	credentials: StoredCredentialFile[];
	workflows: Array<Record<string, unknown> & { id: string }>;
	/** How many webhooks they register. */
	webhooks: number;
}

/**
 * Installs the package, imports credentials and workflows, activates them (2.x: publish; 1.x:
 * update --active) before the main process starts, then starts the webhook processes (first: a
 * trigger's activation health-checks its URL through them), main and the workers, and waits until
 * every webhook process serves the workflows' webhooks.
 */
async function startCluster(
	n8n: N8nInstance,
	services: Services,
	tarball: string,
	scenarios: Scenario[],
	extra?: Extra & { webhookProcesses: number; serving: (bases: string[]) => void },
) {
	const installed = n8n.installPackage(tarball);
	assert.equal(installed.code, 0, `npm install of the package failed: ${installed.stderr}`);
	// Every CLI command migrates the database first; workflows activated before the main process
	// starts are activated by it (their webhooks registered for the webhook processes).
	await n8n.importCredentials([...scenarios.map(credentialOf), ...(extra?.credentials ?? [])]);
	const workflows = [...scenarios.map(workflow), ...(extra?.workflows ?? [])];
	await n8n.importWorkflows(workflows);
	for (const { id } of workflows) {
		const args = n8n.line === CLI_LINES['1'] ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
		const activated = await n8n.run(args);
		assert.equal(activated.code, 0, `${args[0]} ${id}: ${activated.stderr}`);
	}
	const webhookPorts: number[] = [];
	for (let i = 0; i < (extra?.webhookProcesses ?? 1); i++) {
		const port = await freePort();
		const webhook = await n8n.launch(['webhook'], { N8N_PORT: String(port) });
		await n8n.waitUntilServing(webhook, `http://127.0.0.1:${port}/healthz`, 'webhook process');
		webhookPorts.push(port);
	}
	extra?.serving(webhookPorts.map((port) => `http://127.0.0.1:${port}`));
	const mainPort = await freePort();
	const main = await n8n.launch(['start'], { N8N_PORT: String(mainPort), N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
	await n8n.waitUntilServing(main, `http://127.0.0.1:${mainPort}/rest/settings`, 'main process');
	await webhooksRegistered(services, scenarios.length + (extra?.webhooks ?? 0));
	const workers = await Promise.all(Array.from({ length: WORKERS }, () => n8n.launch(['worker', '--concurrency=10'])));
	for (const port of webhookPorts) await webhookRoutesMounted(`http://127.0.0.1:${port}/webhook/${scenarios[0].path}`);
	const webhookBases = webhookPorts.map((port) => `http://127.0.0.1:${port}`);
	return { workers, webhookBase: webhookBases[0], webhookBases };
}

runScript('test:queue', main);
