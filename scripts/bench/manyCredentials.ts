/**
 * manyCredentials: tokens of many distinct credentials go into the shared cache with its default
 * bound. Each credential is an "OAuth2 Client Credentials API" credential with its own client id
 * and secret; its `preAuthentication` (what n8n calls before a request) runs as n8n-core calls it,
 * with n8n's httpRequest helper, against a tiny token endpoint on 127.0.0.1. The cache must never
 * hold more than its bound, and the heap must stop growing once the cache is full.
 */
import { randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IHttpRequestHelper, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/ClientCredentialsOAuth2Api.credentials';
import { replaceSharedTokenCache, sharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { DEFAULT_MAX_ENTRIES, TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenCache';
import { check, elapsedMs, garbageCollector, heapUsedMB, n8nHttpRequest, pool, round, type Scenario } from './common';
import { startTokenEndpoint } from './tokenEndpoint';

/** Token requests in flight at a time (n8n runs many executions at once). */
const CONCURRENCY = 8;

export const manyCredentials: Scenario = {
	name: 'manyCredentials',
	label: ({ quick }) => `manyCredentials: ${quick ? 2_000 : 10_000} distinct credentials into a cache of ${DEFAULT_MAX_ENTRIES}`,
	async run({ quick }) {
		const count = quick ? 2_000 : 10_000;
		const endpoint = await startTokenEndpoint();
		try {
			const type = new ClientCredentialsOAuth2Api();
			// What n8n's getDecrypted returns: the stored fields with the type's defaults applied.
			const template = NodeHelpers.getNodeParameters(
				type.properties,
				{ tokenUrl: endpoint.url, clientId: 'template', clientSecret: 'template' } as INodeParameters,
				true,
				false,
				null,
				null,
			) as ICredentialDataDecryptedObject;
			const helpers: IHttpRequestHelper = { helpers: { httpRequest: n8nHttpRequest() } };
			const secret = randomBytes(16).toString('hex');
			const credentialAt = (i: number): ICredentialDataDecryptedObject => ({ ...template, clientId: `bench-client-${i}`, clientSecret: `${secret}-${i}` });

			const cache = new TokenCache();
			replaceSharedTokenCache(cache);
			let highest = 0;
			const authorize = async (i: number) => {
				await type.preAuthentication.call(helpers, credentialAt(i));
				highest = Math.max(highest, sharedTokenCache().size);
			};

			const gc = garbageCollector() !== undefined;
			const before = heapUsedMB();
			const started = process.hrtime.bigint();
			const half = Math.floor(count / 2);
			await pool(half, CONCURRENCY, authorize);
			const midpoint = heapUsedMB();
			const sizeAtMidpoint = cache.size;
			await pool(count - half, CONCURRENCY, (i) => authorize(half + i));
			const seconds = elapsedMs(started) / 1000;
			const after = heapUsedMB();

			return {
				result: {
					scenario: 'manyCredentials',
					credentials: count,
					tokenRequests: endpoint.tokenRequests(),
					cacheEntries: cache.size,
					cacheEntriesHighest: highest,
					cacheEntriesAtMidpoint: sizeAtMidpoint,
					cacheMax: DEFAULT_MAX_ENTRIES,
					evictions: cache.stats.evictions,
					heapUsedMBBefore: round(before, 2),
					heapUsedMBMidpoint: round(midpoint, 2),
					heapUsedMBAfter: round(after, 2),
					heapGrowthSecondHalfMB: round(after - midpoint, 2),
					credentialsPerSecond: round(count / seconds, 1),
					quick,
				},
				checks: [check(`cacheEntries <= ${DEFAULT_MAX_ENTRIES} after every credential`, highest <= DEFAULT_MAX_ENTRIES)],
				notes: [
					`oAuth2ClientCredentialsApi credentials with distinct client id + secret; preAuthentication via n8n's httpRequest; ${CONCURRENCY} at a time`,
					`shared cache: new TokenCache() with its default bound (${DEFAULT_MAX_ENTRIES}); heap ${gc ? 'after a full GC' : 'without GC (not available)'}`,
				],
			};
		} finally {
			await endpoint.close();
		}
	},
};
