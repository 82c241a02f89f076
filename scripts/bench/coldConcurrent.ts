/**
 * coldConcurrent: 200 executions of an Authorize node started at once on an empty token cache.
 * They all ask for the token before the first fetch has finished; the cache lets one request go
 * out and hands its result to everyone.
 */
import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenCache';
import { credentialsHelper, runCybersource } from '../../test/support/cybersource';
import { startCybersourceSandbox } from '../../test/servers/cybersource/server';
import { authorizeNode, check, orderItems, round, sandboxCredential, timed, type Scenario } from './common';

const EXECUTIONS = 200;

export const coldConcurrent: Scenario = {
	name: 'coldConcurrent',
	label: () => `coldConcurrent: ${EXECUTIONS} executions started at once on an empty cache`,
	async run({ quick }) {
		const sandbox = await startCybersourceSandbox();
		try {
			const credential = sandboxCredential(sandbox, 'bench-cold');
			const helper = credentialsHelper([credential]);
			const node = authorizeNode(credential);
			sandbox.resetStats();
			replaceSharedTokenCache(new TokenCache());
			const { value: runs, ms } = await timed(() =>
				Promise.all(Array.from({ length: EXECUTIONS }, (_, i) => runCybersource(helper, [node], orderItems(1, `cold${i}`)))),
			);
			const failed = runs.filter((run) => run.error !== undefined);
			if (failed.length > 0) throw new Error(`${failed.length} of ${EXECUTIONS} executions failed, e.g.: ${failed[0].error?.message}`);
			const stats = sandbox.stats();
			return {
				result: {
					scenario: 'coldConcurrent',
					executions: EXECUTIONS,
					tokenRequests: stats.tokenRequests,
					apiRequests: stats.apiRequests,
					unauthorizedResponses: stats.apiUnauthorized,
					wallMs: round(ms, 1),
					executionsPerSecond: round((EXECUTIONS * 1000) / ms, 1),
					quick,
				},
				checks: [check('tokenRequests == 1', stats.tokenRequests === 1)],
				notes: ['each execution: one Authorize node, one item; one credential; fresh TokenCache'],
			};
		} finally {
			await sandbox.close();
		}
	},
};
