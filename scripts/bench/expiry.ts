/**
 * expiry: steady traffic over several token lifetimes of 2 seconds (a sandbox of its own). The
 * cache renews at half the lifetime (the skew is at most half of it), so no request should ever
 * carry an expired token.
 */
import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenCache';
import { credentialsHelper, runCybersource } from '../../test/support/cybersource';
import { startCybersourceSandbox } from '../../test/servers/cybersource/server';
import { authorizeNode, check, elapsedMs, orderItems, round, sandboxCredential, type Scenario } from './common';

const TTL_SECONDS = 2;
/** Executions in flight at any time, each of ITEMS items through one Authorize node. */
const CONCURRENCY = 4;
const ITEMS = 5;

export const expiry: Scenario = {
	name: 'expiry',
	label: ({ quick }) => `expiry: ${quick ? 5 : 10} s of traffic, tokens living ${TTL_SECONDS} s`,
	async run({ quick }) {
		const durationMs = (quick ? 5 : 10) * 1000;
		const sandbox = await startCybersourceSandbox({ accessTokenTtlSeconds: TTL_SECONDS });
		try {
			const credential = sandboxCredential(sandbox, 'bench-expiry');
			const helper = credentialsHelper([credential]);
			const node = authorizeNode(credential);
			replaceSharedTokenCache(new TokenCache());
			sandbox.resetStats();
			const started = process.hrtime.bigint();
			let executions = 0;
			const worker = async (w: number) => {
				while (elapsedMs(started) < durationMs) {
					const run = await runCybersource(helper, [node], orderItems(ITEMS, `exp${w}-${executions}`));
					if (run.error) throw new Error(`execution failed: ${run.error.message}`);
					executions++;
				}
			};
			await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
			const seconds = elapsedMs(started) / 1000;
			const stats = sandbox.stats();
			return {
				result: {
					scenario: 'expiry',
					tokenLifetimeSeconds: TTL_SECONDS,
					durationSeconds: round(seconds, 2),
					lifetimes: round(seconds / TTL_SECONDS, 2),
					executions,
					apiRequests: stats.apiRequests,
					tokenRequests: stats.tokenRequests,
					tokenRequestsPerLifetime: round(stats.tokenRequests / (seconds / TTL_SECONDS), 2),
					unauthorizedResponses: stats.apiUnauthorized,
					quick,
				},
				checks: [check('unauthorizedResponses == 0', stats.apiUnauthorized === 0)],
				notes: [`${CONCURRENCY} executions in flight at a time, ${ITEMS} items each, one Authorize node; renewal a fifth of the lifetime before expiry (the cache's skew cap)`],
			};
		} finally {
			await sandbox.close();
		}
	},
};
