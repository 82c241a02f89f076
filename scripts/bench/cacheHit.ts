/**
 * cacheHit: what a request costs on the credential side when the token is cached. n8n hands the
 * credential a freshly decrypted object for every request; preAuthentication and authenticate
 * find the credential's token source by its raw fields and peek the cache (nsPerLookup*). The
 * first time a credential is seen it is described and fingerprinted (SHA-256 over every
 * token-shaping field): nsPerFingerprintedLookup*. Timed in batches with process.hrtime.bigint();
 * the median batch, per lookup.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CybersourceOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceOAuth2Api.credentials';
import { cybersourceSource } from '../../packages/n8n-nodes-cybersource/lib/n8n/cybersourceSource';
import { clientCredentialsSource } from '../../packages/n8n-nodes-cybersource/lib/n8n/grantSources';
import { replaceSharedTokenCache, sharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenCache';
import { ClientCredentialsOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/ClientCredentialsOAuth2Api.credentials';
import { getSandboxPki } from '../../test/servers/cybersource/pki';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../test/servers/cybersource/testValues';
import { measureAsync, median, round, type Scenario } from './common';

const BATCH = 100;

function withDefaults(properties: INodeProperties[], data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	return NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
}

/** Median nanoseconds per call of `work` over `batches` batches of BATCH calls. */
function measureSync(batches: number, work: () => unknown): number {
	const perCall: number[] = [];
	let sink = 0;
	for (let b = 0; b < batches; b++) {
		const started = process.hrtime.bigint();
		for (let i = 0; i < BATCH; i++) if (work() !== undefined) sink++;
		perCall.push(Number(process.hrtime.bigint() - started) / BATCH);
	}
	if (sink === -1) process.stderr.write(''); // keeps `sink` alive
	return median(perCall);
}

export const cacheHit: Scenario = {
	name: 'cacheHit',
	label: ({ quick }) => `cacheHit: describe + fingerprint + peek, ${quick ? '10k' : '200k'} lookups per variant`,
	async run({ quick }) {
		const batches = quick ? 100 : 2_000;
		const warmBatches = quick ? 30 : 200;
		replaceSharedTokenCache(new TokenCache());
		const cache = sharedTokenCache();
		const token = { accessToken: 'cached-token', tokenType: 'bearer', expiresIn: 3600, extra: {} };

		const clientCredentials = withDefaults(new ClientCredentialsOAuth2Api().properties, {
			tokenUrl: 'https://auth.example.com/oauth/token',
			clientId: 'bench-client',
			clientSecret: 'bench-secret-0123456789abcdef',
			scope: 'payments',
		});
		const pki = getSandboxPki();
		const cybersourceType = new CybersourceOAuth2Api();
		const cybersource = withDefaults(cybersourceType.properties, {
			environment: 'test',
			clientId: DEFAULT_CLIENT_ID,
			clientSecret: DEFAULT_CLIENT_SECRET,
			refreshToken: 'bench-refresh-token',
			clientCertificate: pki.clientCert,
			clientPrivateKey: pki.clientKey,
			caCertificate: pki.ca,
			redirectUrl: 'https://partner.example.com/cybersource/callback',
		});
		const clientKey = clientCredentialsSource(clientCredentials).key;
		const cybersourceKey = cybersourceSource(cybersource).key;
		await cache.get(clientKey, async () => token);
		await cache.get(cybersourceKey, async () => token);

		const lookupClient = () => cache.peek(clientCredentialsSource(clientCredentials).key);
		const lookupCybersource = () => cache.peek(cybersourceSource(cybersource).key);
		const peekOnly = () => cache.peek(clientKey);
		// The whole credential side of one request of the node: n8n decrypts a fresh object,
		// then calls preAuthentication and authenticate with it.
		const noHttp: IHttpRequestHelper = {
			helpers: {
				httpRequest: async () => {
					throw new Error('cacheHit: a cache hit must not send a request');
				},
			},
		};
		const requestOptions: IHttpRequestOptions = { method: 'POST', url: 'https://apitest.cybersource.com/pts/v2/payments', json: true };
		const clientType = new ClientCredentialsOAuth2Api();
		const authenticatedRequest = (type: ClientCredentialsOAuth2Api | CybersourceOAuth2Api, data: ICredentialDataDecryptedObject) => async () => {
			const fresh = { ...data };
			await type.preAuthentication.call(noHttp, fresh);
			return await type.authenticate(fresh, requestOptions);
		};
		const requestClient = authenticatedRequest(clientType, clientCredentials);
		const requestCybersource = authenticatedRequest(cybersourceType, cybersource);
		if (lookupClient() === undefined || lookupCybersource() === undefined) throw new Error('cacheHit: the warmed token is not found');

		for (const work of [lookupClient, lookupCybersource, peekOnly]) measureSync(warmBatches, work);
		await measureAsync(warmBatches, requestClient);
		await measureAsync(warmBatches, requestCybersource);
		const fetchesBefore = cache.stats.fetches;
		const nsFingerprintClient = measureSync(batches, lookupClient);
		const nsFingerprintCybersource = measureSync(batches, lookupCybersource);
		const nsPeek = measureSync(batches, peekOnly);
		const nsRequestClient = await measureAsync(batches, requestClient);
		const nsRequestCybersource = await measureAsync(batches, requestCybersource);
		if (cache.stats.fetches !== fetchesBefore) throw new Error('cacheHit: a lookup missed the cache');

		return {
			result: {
				scenario: 'cacheHit',
				iterations: batches * BATCH,
				nsPerLookup: round(nsRequestClient, 0),
				nsPerLookupCybersource: round(nsRequestCybersource, 0),
				nsPerFingerprintedLookup: round(nsFingerprintClient, 0),
				nsPerFingerprintedLookupCybersource: round(nsFingerprintCybersource, 0),
				nsPerPeekOnly: round(nsPeek, 0),
				quick,
			},
			checks: [],
			notes: [
				'nsPerLookup(Cybersource): preAuthentication + authenticate on a fresh copy of the decrypted credential, token cached',
				'nsPerFingerprintedLookup(Cybersource): describe the credential + SHA-256 fingerprint + peek (first sight of a credential)',
				`median of ${batches} batches of ${BATCH}`,
			],
		};
	},
};
