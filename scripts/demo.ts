/**
 * npm run demo: the package's main job on an embedded local default, with no account and no
 * network. The example workflows of examples/ run through n8n-core's engine with the Cybersource
 * node, against the local Cybersource sandbox and a local oidc-provider; the summary shows that
 * tokens were fetched once and reused.
 */
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { itemsOf, outputOf } from '../test/harness/engine';
import { credentialsFor, startLocalServers } from './lib/localServers';
import { step } from './lib/progress';
import { exampleItems, loadWorkflow, runFromTrigger, triggerHost } from './lib/workflows';

const EXAMPLES = join(__dirname, '..', 'examples');
const out = (line = '') => process.stdout.write(`${line}\n`);

function countBy(values: string[]): string {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return [...counts].map(([value, count]) => `${value} ${count}`).join(', ');
}

async function main() {
	const started = Date.now();
	out('n8n-nodes-cybersource demo: everything runs on 127.0.0.1, nothing leaves this machine.\n');
	const servers = await step('Starting the Cybersource sandbox (mutual TLS) and oidc-provider', () => startLocalServers());
	try {
		const credentials = credentialsFor(servers);
		const { sandbox, oidc, oidcClient } = servers;

		// 1. Payments: the example's orders, repeated to 100, then 10 executions started at once.
		const payments = loadWorkflow(join(EXAMPLES, 'cybersource-payments.json'));
		const year = String(new Date().getFullYear() + 3);
		const template = exampleItems(payments, 'Orders', 'orders');
		const orders = (count: number, batch: number) =>
			Array.from({ length: count }, (_, i) => ({ ...template[i % template.length], expirationYear: year, orderId: `ORDER-${batch}-${i + 1}` }));
		const single = await step('Workflow "Cybersource: take payments" with 100 orders', () => runFromTrigger(payments, 'One Item per Order', credentials, orders(100, 0)));
		const concurrent = await step('The same workflow, 10 executions of 10 orders started at once', () =>
			Promise.all(Array.from({ length: 10 }, (_, batch) => runFromTrigger(payments, 'One Item per Order', credentials, orders(10, batch + 1)))),
		);
		const charged = [single, ...concurrent].flatMap((run) => itemsOf(run, 'Charge Card'));
		const failure = charged.find((item) => item.json.error !== undefined);
		const paymentStats = sandbox.stats();

		// 2. n8n's HTTP Request node with the OAuth2 Client Credentials credential.
		const http = loadWorkflow(join(EXAMPLES, 'http-request-client-credentials.json'));
		const urls = Array.from({ length: 50 }, (_, i) => ({ url: `${oidc.apiBaseUrl}orders/${i + 1}` }));
		const httpRun = await step('Workflow "HTTP Request with an OAuth2 Client Credentials token" with 50 requests', () => runFromTrigger(http, 'One Item per Request', credentials, urls));
		const oidcStats = await oidc.stats();

		// 3. Onboarding a merchant: authorization URL, the merchant allows, code exchange.
		const onboarding = loadWorkflow(join(EXAMPLES, 'cybersource-onboarding.json'));
		const onboarded = await step('Workflow "Cybersource: onboard a merchant" (authorization code flow)', async () => {
			const first = outputOf(await runFromTrigger(onboarding, 'Step 1: Start', credentials), 'Get Authorization URL')[0];
			// Here the merchant signs in to the Business Center and clicks Allow; the sandbox stands in.
			const redirect = `https://partner.example.com/cybersource/callback?code=${sandbox.issueAuthorizationCode()}&state=${first.state as string}`;
			const second = await runFromTrigger(onboarding, 'Paste the Redirect', credentials, [{ redirect, expectedState: first.state }]);
			return { url: first.authorizationUrl as string, result: outputOf(second, 'Exchange Authorization Code')[0] };
		});

		// 4. The Cybersource Trigger: activated (subscribed), the sandbox notifying like Cybersource.
		const triggerFile = loadWorkflow(join(EXAMPLES, 'cybersource-trigger.json'));
		const notified = await step('Workflow "Cybersource Trigger: branch on the event type": activate, notify, deactivate', async () => {
			const publicBase = 'https://n8n.example.test';
			const host = triggerHost(triggerFile, 'Cybersource Trigger', credentials, publicBase);
			await host.start();
			sandbox.routeWebhooks(publicBase, host.localUrl);
			try {
				await host.activate();
				const [webhook] = sandbox.webhooks();
				const payload = (id: string) => [{ data: { id, type: 'case' }, organizationId: webhook.organizationId }];
				const accept = 'risk.casemanagement.decision.accept';
				const sent = [
					await sandbox.deliver(webhook.webhookId, accept, payload('case-1')),
					await sandbox.deliver(webhook.webhookId, 'risk.casemanagement.decision.reject', payload('case-2')),
					await sandbox.deliver(webhook.webhookId, accept, payload('case-3')),
				];
				const retry = await sandbox.deliver(webhook.webhookId, accept, payload('case-1'));
				const tampered = await sandbox.deliver(webhook.webhookId, accept, payload('case-4'), { retries: 0, tamper: (n) => ({ ...n, body: n.body.replace('case-4', 'case-5') }) });
				const runs = await Promise.all(host.executions);
				await host.deactivate();
				return {
					webhook,
					delivered: sent.filter((report) => report.delivered).length,
					events: runs.map((run) => String(outputOf(run, 'Cybersource Trigger')[0].eventType).split('.').pop() as string),
					retry: retry.attempts[0].status,
					tampered: tampered.attempts[0].status,
					left: sandbox.webhooks().length,
				};
			} finally {
				await host.stop();
			}
		});

		out('\nSummary');
		out('───────');
		out('1. Cybersource: take payments (examples/cybersource-payments.json)');
		out(`   executions: 11 (1 of 100 orders, then 10 of 10 at once); orders processed: ${charged.length}`);
		out(`   results: ${countBy(charged.map((item) => String(item.json.status ?? 'ERROR (continueOnFail)')))}`);
		out(`   token requests: ${paymentStats.tokenRequests}   API requests: ${paymentStats.apiRequests}   rejected (401): ${paymentStats.apiUnauthorized}`);
		if (failure) out(`   handled failure (continueOnFail): ${String(failure.json.error)}`);
		out('2. HTTP Request with OAuth2 Client Credentials (examples/http-request-client-credentials.json)');
		const apiItems = outputOf(httpRun, 'Call API');
		const clientCounts = oidcStats.tokenRequests.byClient[oidcClient.clientId];
		out(`   requests: ${apiItems.length}, answered for client ${String(apiItems[0]?.clientId ?? '?')}`);
		out(`   token requests: ${clientCounts?.total ?? 0}   API requests: ${oidcStats.apiRequests}   rejected (401): ${oidcStats.apiUnauthorized}`);
		out('3. Onboarding a merchant (examples/cybersource-onboarding.json)');
		out(`   authorization URL: ${onboarded.url.replace(/state=[^&]+/, 'state=…')}`);
		const result = onboarded.result as IDataObject;
		out(`   merchant authorized: ${String(result.authorized)}; refresh token received: ${typeof result.refreshToken === 'string' ? 'yes (store it in the credential)' : 'no'}`);
		out('4. Cybersource Trigger (examples/cybersource-trigger.json; its If and NoOp nodes run in n8n itself)');
		out(`   subscription: ${notified.webhook.status}, health-checked, delivering to ${notified.webhook.webhookUrl}`);
		out(`   5 deliveries: 3 new (${notified.delivered} answered 2xx), a retry of one (HTTP ${notified.retry}), a tampered one (HTTP ${notified.tampered})`);
		out(`   runs started: ${notified.events.length} (${countBy(notified.events)})`);
		out(`   deactivated: ${notified.left === 0 ? 'subscription deleted' : `${notified.left} subscription(s) left`}`);
		out(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Import the files in examples/ into n8n to run them for real.`);
	} finally {
		await servers.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
