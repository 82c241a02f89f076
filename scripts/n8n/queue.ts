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
 */
import { strict as assert } from 'node:assert';

import { startCybersourceSandbox, type Sandbox } from '../../test/servers/cybersource/server';
import { refreshAtSandbox } from '../../test/support/cybersource';
import { cybersourceCredentialData } from '../lib/localServers';
import { CheckRun, out, runScript } from './checks';
import { CLI_LINES, freePort, installCli, N8nInstance, packPackage } from './cli';
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
}

function workflow(scenario: Scenario): Record<string, unknown> & { id: string } {
	const credentials = { cybersourceOAuth2Api: { id: scenario.credentialId, name: scenario.credentialId } };
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
				authentication: 'cybersourceOAuth2Api',
				resource: 'payment',
				operation: 'authorize',
				amount: '={{ $json.body.amount }}',
				currency: 'USD',
				cardNumber: '4111111111111111',
				expirationMonth: '12',
				expirationYear: year,
				securityCode: '123',
				clientReferenceCode: '={{ $json.body.orderId }}',
			},
			{ credentials },
		),
		node(
			'Capture',
			'n8n-nodes-cybersource.cybersource',
			2,
			400,
			{
				authentication: 'cybersourceOAuth2Api',
				resource: 'payment',
				operation: 'capture',
				paymentId: '={{ $json.id }}',
				amount: "={{ $('Order').item.json.body.amount }}",
				currency: 'USD',
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

/** Sends the orders to the webhook process, `AT_ONCE` at a time. */
async function sendOrders(webhookBase: string, scenario: Scenario): Promise<Record<number, number>> {
	const statuses: Record<number, number> = {};
	for (let start = 0; start < ORDERS; start += AT_ONCE) {
		const batch = Array.from({ length: Math.min(AT_ONCE, ORDERS - start) }, (_, i) => start + i);
		const answers = await Promise.all(
			batch.map(async (index) => {
				const response = await fetch(`${webhookBase}/webhook/${scenario.path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ orderId: `${scenario.id}-${index + 1}`, amount: `${(10 + (index % 90)).toFixed(2)}` }),
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

/** Polls n8n's database (bounded) until every execution of the workflow has ended. */
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

async function main(): Promise<boolean> {
	const started = Date.now();
	out(`The package in n8n ${line.version}'s queue mode (npm run test:queue): PostgreSQL, Redis, main, ${WORKERS} workers, a webhook process; everything on 127.0.0.1.`);
	installCli('2');
	const tarball = packPackage();
	const services = await startServices();
	out(`PostgreSQL on ${services.postgresPort}, Redis on ${services.redisPort}`);
	const sandboxes = [await startCybersourceSandbox(), await startCybersourceSandbox({ accessTokenTtlSeconds: 5 })];
	const scenarios: Scenario[] = [
		{ name: '15-minute tokens', sandbox: sandboxes[0], id: 'queuelong', path: 'queue-long', credentialId: 'cybs-queue-long', ttl: 900 },
		{ name: '5-second tokens', sandbox: sandboxes[1], id: 'queueshort', path: 'queue-short', credentialId: 'cybs-queue-short', ttl: 5 },
	];
	const n8n = new N8nInstance(line, services.n8nEnv);
	try {
		const installed = n8n.installPackage(tarball);
		assert.equal(installed.code, 0, `npm install of the package failed: ${installed.stderr}`);
		// Every CLI command migrates the database first; workflows published before the main process
		// starts are activated by it (their webhooks registered for the webhook process).
		await n8n.importCredentials(
			scenarios.map((scenario) => ({ id: scenario.credentialId, name: scenario.credentialId, type: 'cybersourceOAuth2Api', data: cybersourceCredentialData(scenario.sandbox) })),
		);
		await n8n.importWorkflows(scenarios.map(workflow));
		for (const scenario of scenarios) {
			const published = await n8n.run(['publish:workflow', `--id=${scenario.id}`]);
			assert.equal(published.code, 0, `publish:workflow ${scenario.id}: ${published.stderr}`);
		}
		const mainPort = await freePort();
		const main = await n8n.launch(['start'], { N8N_PORT: String(mainPort), N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
		await n8n.waitUntilServing(main, `http://127.0.0.1:${mainPort}/rest/settings`, 'main process');
		await webhooksRegistered(services, scenarios.length);
		const workers = await Promise.all(Array.from({ length: WORKERS }, () => n8n.launch(['worker', '--concurrency=10'])));
		const webhookPort = await freePort();
		const webhook = await n8n.launch(['webhook'], { N8N_PORT: String(webhookPort) });
		await n8n.waitUntilServing(webhook, `http://127.0.0.1:${webhookPort}/healthz`, 'webhook process');
		await webhookRoutesMounted(`http://127.0.0.1:${webhookPort}/webhook/${scenarios[0].path}`);
		for (const scenario of scenarios) {
			const { sandbox } = scenario;
			sandbox.resetStats();
			await check(line, `queue mode, ${scenario.name}: ${ORDERS} orders through the webhook process, ${WORKERS} workers`, async () => {
				const runStarted = Date.now();
				const answers = await sendOrders(`http://127.0.0.1:${webhookPort}`, scenario);
				assert.equal(answers[200], ORDERS, `the webhook process answered ${JSON.stringify(answers)}`);
				const statuses = await executionsEnded(services, scenario.id, ORDERS);
				const seconds = (Date.now() - runStarted) / 1000;
				const stats = sandbox.stats();
				const byReference = sandbox.transactionsByReference();
				const payments = byReference.payment ?? {};
				const references = Array.from({ length: ORDERS }, (_, index) => `${scenario.id}-${index + 1}`);
				const twice = references.filter((reference) => (payments[reference] ?? 0) > 1).length;
				const lost = references.filter((reference) => (payments[reference] ?? 0) === 0).length;
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
	} finally {
		await n8n.dispose();
		await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
		await services.stop();
	}
	return checks.summary(started);
}

runScript('test:queue', main);
