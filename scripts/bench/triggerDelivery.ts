/**
 * triggerDelivery: notifications delivered to a real n8n (the 1.123.81 CLI of the real-n8n suite,
 * `n8n start`, the package installed from its tarball), the trigger example activated through the
 * REST API, the sandbox delivering like Cybersource (signed; retries after a non-2xx answer), 20
 * at a time, then every tenth notification delivered once more (a retry of an accepted one).
 * Counted from n8n's own executions: started, lost (goal 0), duplicates (goal 0), and the time.
 */
import { freePort, installCli, N8nInstance, packPackage, CLI_LINES } from '../n8n/cli';
import { RestSession } from '../n8n/rest';
import { PUBLIC_BASE, triggerCredentials } from '../n8n/trigger';
import * as wf from '../n8n/workflows';
import { startCybersourceSandbox } from '../../test/servers/cybersource/server';
import { merchantCredential } from '../../test/support/cybersource';
import { check, round, pool, type Scenario } from './common';

const EVENT = 'risk.casemanagement.decision.accept';
const CONCURRENCY = 20;

export const triggerDelivery: Scenario = {
	name: 'triggerDelivery',
	label: ({ quick }) => `triggerDelivery: ${quick ? 200 : 1000} notifications to a real n8n 1.123.81 (n8n start)`,
	async run({ quick }) {
		const count = quick ? 200 : 1000;
		installCli('1');
		const tarball = packPackage();
		const sandbox = await startCybersourceSandbox();
		const n8n = new N8nInstance(CLI_LINES['1']);
		try {
			const installed = n8n.installPackage(tarball);
			if (installed.code !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
			await n8n.importCredentials(triggerCredentials(merchantCredential(sandbox).data, sandbox.createSignatureKey()));
			await n8n.importWorkflows(wf.triggerWorkflows().filter((workflow) => workflow.id === wf.TRIGGER_IDS.example));
			const port = await freePort();
			sandbox.routeWebhooks(PUBLIC_BASE, `http://127.0.0.1:${port}`);
			const server = await n8n.start(port, 120_000, { WEBHOOK_URL: `${PUBLIC_BASE}/` });
			try {
				const rest = await RestSession.open(port);
				const activated = await rest.activate(wf.TRIGGER_IDS.example);
				if (activated.status !== 200) throw new Error(`activation answered ${activated.status}: ${activated.text.slice(0, 300)}`);
				const webhookId = sandbox.webhooks()[0].webhookId;
				const payload = (index: number) => [{ data: { id: `bench-${index}`, type: 'case' }, organizationId: sandbox.merchantId }];
				let attempts = 0;
				let undelivered = 0;
				const started = process.hrtime.bigint();
				await pool(count, CONCURRENCY, async (index) => {
					const report = await sandbox.deliver(webhookId, EVENT, payload(index), { retries: 3, retryDelayMs: 200 });
					attempts += report.attempts.length;
					if (!report.delivered) undelivered++;
				});
				const deliveredMs = Number(process.hrtime.bigint() - started) / 1e6;
				const replays = Math.floor(count / 10);
				let replayed = 0;
				await pool(replays, CONCURRENCY, async (index) => {
					if ((await sandbox.deliver(webhookId, EVENT, payload(index * 10), { retries: 0 })).delivered) replayed++;
				});
				// Every run started, then a moment more: nothing else may arrive.
				const deadline = Date.now() + 300_000;
				let executions = await rest.executionCount(wf.TRIGGER_IDS.example);
				while (executions < count && Date.now() < deadline) {
					await new Promise((resolve) => setTimeout(resolve, 500));
					executions = await rest.executionCount(wf.TRIGGER_IDS.example);
				}
				const allRunMs = Number(process.hrtime.bigint() - started) / 1e6;
				await new Promise((resolve) => setTimeout(resolve, 2000));
				executions = await rest.executionCount(wf.TRIGGER_IDS.example);
				const lost = Math.max(0, count - executions);
				const duplicates = Math.max(0, executions - count);
				return {
					result: {
						scenario: 'triggerDelivery',
						notifications: count,
						concurrency: CONCURRENCY,
						deliveryAttempts: attempts,
						undelivered,
						replaysAnswered200: replayed,
						executions,
						lost,
						duplicates,
						deliveredInMs: round(deliveredMs, 0),
						notificationsPerSecond: round((count / deliveredMs) * 1000, 1),
						allRunInMs: round(allRunMs, 0),
						quick,
					},
					checks: [
						check(`${count} notifications delivered (2xx)`, undelivered === 0),
						check(`${replays} replays answered 200`, replayed === replays),
						check('0 lost', lost === 0),
						check('0 duplicates', duplicates === 0),
					],
					notes: ['a run is an execution n8n stored (REST /rest/executions count); the workflow: Cybersource Trigger -> If -> NoOp'],
				};
			} finally {
				await n8n.stop(server);
			}
		} finally {
			await n8n.dispose();
			await sandbox.close();
		}
	},
};
