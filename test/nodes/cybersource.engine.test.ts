/**
 * The Cybersource node through n8n's engine against the local Cybersource sandbox (HTTPS with
 * client certificates): token sharing, renewal, the single 401 retry, the partner flow.
 */
import type { ICredentialType, IDataObject, INode, INodeType } from 'n8n-workflow';

import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2';
import { startCybersourceSandbox, type Sandbox } from '../servers/cybersource/server';
import { globalOidcServer } from '../servers/oidc';
import { POST_CLIENT } from '../servers/oidc/clients';
import {
	authorizeParameters,
	credentialsHelper,
	cybersourceCredential,
	cybersourceNode,
	CYBERSOURCE_NODE_TYPE,
	FUTURE_YEAR,
	refreshAtSandbox,
	runCybersource,
	useSandbox,
} from '../support/cybersource';
import { errorOf, outputOf, runWorkflow } from '../harness/engine';
import { callApi } from '../support/engineRun';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ reference: `ORDER-${i}`, amount: `${10 + i}.00` }));

describe('one token for the whole process', () => {
	it('three Cybersource nodes in a row over 100 items share one token request', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const nodes = [
			cybersourceNode('Authorize', authorizeParameters(), credential),
			cybersourceNode('Capture', { resource: 'payment', operation: 'capture', paymentId: '={{ $json.id }}', amount: '={{ $json.orderInformation.amountDetails.authorizedAmount }}', currency: 'USD' }, credential),
			cybersourceNode('Get', { resource: 'transaction', operation: 'get', transactionId: '={{ $json.id }}' }, credential),
		];
		const result = await runCybersource(helper, nodes, items(100));
		expect(result.error).toBeUndefined();
		expect(result.output('Authorize').map((item) => item.status)).toEqual(Array(100).fill('AUTHORIZED'));
		expect(result.output('Capture').map((item) => item.status)).toEqual(Array(100).fill('PENDING'));
		expect(result.output('Get')).toHaveLength(100);
		const stats = sandbox.stats();
		expect(stats.tokenRequests).toBe(1);
		expect(stats.apiRequests).toBe(300);
		expect(stats.apiUnauthorized).toBe(0);
	});

	it('concurrent executions share one token request', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const runs = await Promise.all(
			Array.from({ length: 25 }, () => runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)], items(4))),
		);
		expect(runs.map((run) => run.error)).toEqual(Array(25).fill(undefined));
		expect(sandbox.stats().tokenRequests).toBe(1);
		expect(sandbox.stats().apiRequests).toBe(100);
	});

	it('keeps the rotated refresh token and stores it in the credential through n8n', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const first = credential.data.refreshToken;
		expect((await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)])).error).toBeUndefined();
		const stored = helper.getStoredData(credential.id) as { refreshToken: string };
		expect(stored.refreshToken).not.toBe(first);
		expect(sandbox.lastTokenRequest()?.body).toContain(`refresh_token=${encodeURIComponent(first as string)}`);
		// The next renewal uses the newest token (the first one is dead at Cybersource).
		replaceSharedTokenCache(new TokenCache());
		expect((await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)])).error).toBeUndefined();
		expect(sandbox.lastTokenRequest()?.body).toContain(`refresh_token=${encodeURIComponent(stored.refreshToken)}`);
		expect(sandbox.stats().tokenFailures).toBe(0);
		// Each token request carries its own v-c-client-correlation-id, and nothing is in the URL.
		const ids = sandbox.stats().correlationIds;
		expect(ids).toHaveLength(2);
		expect(new Set(ids).size).toBe(2);
		expect(ids.every((id) => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id))).toBe(true);
		expect(sandbox.lastTokenRequest()?.query).toBe('');
	});
});

/** What another n8n process does with the same credential: refresh with its stored token. */
const refreshElsewhere = async (refreshToken: string) => (await refreshAtSandbox(sandbox, refreshToken)) as string;

describe('two processes, one credential', () => {
	it('when another process used the refresh token first, reads the one it stored and goes on', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		// The other process rotated the token; it stores the new one a moment after this run starts.
		const newest = await refreshElsewhere(credential.data.refreshToken as string);
		sandbox.resetStats();
		const stores = setTimeout(() => helper.setStoredData(credential.id, { ...credential.data, refreshToken: newest }), 300);
		try {
			const result = await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)]);
			expect(result.error).toBeUndefined();
			expect(result.output('Authorize')[0].status).toBe('AUTHORIZED');
		} finally {
			clearTimeout(stores);
		}
		// One refused refresh, one with the newest token, one payment.
		expect(sandbox.stats()).toMatchObject({ tokenRequests: 2, tokenFailures: 1, apiRequests: 1 });
		expect(sandbox.lastTokenRequest()?.body).toContain(`refresh_token=${encodeURIComponent(newest)}`);
		expect(helper.getStoredData(credential.id)?.refreshToken).not.toBe(newest);
	});

	it('when nothing newer is stored, the refused refresh token is reported', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		await refreshElsewhere(credential.data.refreshToken as string);
		sandbox.resetStats();
		const result = await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)]);
		expect(result.error?.message).toMatch(/invalid_request/);
		expect(result.error?.message).toMatch(/another n8n process/);
		expect(sandbox.stats()).toMatchObject({ tokenRequests: 1, apiRequests: 0 });
	});
});

/**
 * A second n8n process (a queue-mode worker): the package loaded again in its own module registry,
 * with its own token cache and refresh ledger, over the same stored credentials (the database).
 */
function secondProcess(helper: ReturnType<typeof credentialsHelper>) {
	let load: { node: INodeType; types: ICredentialType[] } | undefined;
	jest.isolateModules(() => {
		/* eslint-disable @typescript-eslint/no-require-imports */
		const { Cybersource: Node } = require('../../packages/n8n-nodes-cybersource/nodes/Cybersource/Cybersource.node') as typeof import('../../packages/n8n-nodes-cybersource/nodes/Cybersource/Cybersource.node');
		const { CybersourceOAuth2Api: Credential } = require('../../packages/n8n-nodes-cybersource/credentials/CybersourceOAuth2Api.credentials') as typeof import('../../packages/n8n-nodes-cybersource/credentials/CybersourceOAuth2Api.credentials');
		/* eslint-enable @typescript-eslint/no-require-imports */
		load = { node: new Node(), types: [new Credential()] };
	});
	const { node, types } = load as { node: INodeType; types: ICredentialType[] };
	const otherHelper = helper.otherProcess(types);
	return async (nodes: INode[], input: IDataObject[]) => {
		const run = await runWorkflow({ nodeTypes: { [CYBERSOURCE_NODE_TYPE]: node }, nodes, credentialsHelper: otherHelper, items: input });
		return { run, output: (name: string) => outputOf(run, name), error: errorOf(run) };
	};
}

describe('several processes, one credential (queue mode)', () => {
	it('two processes paying at once: one token request each at most, each keeps its access token whoever rotated last, and the database ends with the newest refresh token', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const other = secondProcess(helper);
		const node = cybersourceNode('Authorize', authorizeParameters(), credential);
		const runs = await Promise.all(
			Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? runCybersource(helper, [node], items(5)) : other([node], items(5)))),
		);
		expect(runs.map((run) => run.error?.message)).toEqual(Array(40).fill(undefined));
		const first = sandbox.stats();
		// One refresh per process; when both refreshed with the same token, one refusal and a re-read.
		expect(first.tokenRequests - first.tokenFailures).toBeLessThanOrEqual(2);
		expect(first.tokenFailures).toBeLessThanOrEqual(1);
		expect(first.apiRequests).toBe(200);
		// Rotations by either process no longer cost the other a token: 200 more payments, no token request.
		const more = await Promise.all(
			Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? runCybersource(helper, [node], items(5)) : other([node], items(5)))),
		);
		expect(more.map((run) => run.error?.message)).toEqual(Array(40).fill(undefined));
		expect(sandbox.stats().tokenRequests).toBe(first.tokenRequests);
		// What n8n stored is the newest refresh token: Cybersource (which accepts only the newest) takes it.
		const stored = helper.getStoredData(credential.id) as { refreshToken: string; grantLineage: string };
		await expect(refreshElsewhere(stored.refreshToken)).resolves.toEqual(expect.any(String));
		expect(stored.grantLineage).toMatch(/^[\w-]+\.[\w-]+$/);
		expect(stored.grantLineage).not.toContain(stored.refreshToken);
	});

	it('writes the credential only when a refresh token was just issued: a cache hit, a copy older than the process and a 401 resend store nothing else', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const node = cybersourceNode('Authorize', authorizeParameters(), credential);
		expect((await runCybersource(helper, [node], items(3))).error).toBeUndefined();
		expect(helper.updateCount).toBe(1);
		// An edit that puts the original (now used-up) token back: this process knows it is older.
		helper.setStoredData(credential.id, { ...credential.data });
		expect((await runCybersource(helper, [node], items(3))).error).toBeUndefined();
		expect(helper.updateCount).toBe(1);
		expect(sandbox.stats().tokenRequests).toBe(1);
		// A revoked access token: one 401, one refresh (one write, the new refresh token), one resend.
		sandbox.revokeAllTokens();
		expect((await runCybersource(helper, [node])).error).toBeUndefined();
		expect(sandbox.stats()).toMatchObject({ tokenRequests: 2, apiUnauthorized: 1 });
		expect(helper.updateCount).toBe(2);
	});
});

describe('renewal and the single retry', () => {
	it('fetches a new token before sending once the cached one nears expiry, so nothing is rejected', async () => {
		const shortLived = await startCybersourceSandbox({ accessTokenTtlSeconds: 2 });
		try {
			const credential = cybersourceCredential(shortLived);
			const helper = credentialsHelper([credential]);
			const node = cybersourceNode('Authorize', authorizeParameters(), credential);
			expect((await runCybersource(helper, [node], items(3))).error).toBeUndefined();
			// Renewal starts a fifth of the lifetime before expiry: 1.6 s into a 2-second token.
			await new Promise((resolve) => setTimeout(resolve, 1700));
			expect((await runCybersource(helper, [node], items(3))).error).toBeUndefined();
			expect(shortLived.stats().tokenRequests).toBe(2);
			expect(shortLived.stats().apiUnauthorized).toBe(0);
		} finally {
			await shortLived.close();
		}
	});

	it('after a 401 sends the request exactly once more, with a fresh token', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const node = cybersourceNode('Authorize', authorizeParameters(), credential);
		expect((await runCybersource(helper, [node])).error).toBeUndefined();
		sandbox.revokeAllTokens();
		sandbox.resetStats();
		const before = sandbox.stats().transactions;
		const result = await runCybersource(helper, [node]);
		expect(result.error).toBeUndefined();
		expect(result.output('Authorize')[0].status).toBe('AUTHORIZED');
		expect(sandbox.stats()).toMatchObject({ tokenRequests: 1, apiRequests: 2, apiUnauthorized: 1, transactions: before + 1 });
	});

	it('gives up after that one retry when the fresh token is refused too', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const node = cybersourceNode('Authorize', authorizeParameters(), credential);
		expect((await runCybersource(helper, [node])).error).toBeUndefined();
		sandbox.revokeMerchant();
		sandbox.resetStats();
		const before = sandbox.stats().transactions;
		const result = await runCybersource(helper, [node]);
		expect(sandbox.stats().apiRequests).toBe(1);
		expect(sandbox.stats().transactions).toBe(before);
		expect(result.error?.message).toMatch(/refused the token request \(HTTP 500, access_denied/);
		expect(result.error?.message).toMatch(/Send the merchant through the authorization URL again/);
	});

	it('never resends a payment whose connection was cut after it was sent', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const node = cybersourceNode('Authorize', authorizeParameters(), credential);
		expect((await runCybersource(helper, [node])).error).toBeUndefined();
		sandbox.resetStats();
		const before = sandbox.stats().transactions;
		sandbox.dropNextApiAnswers(1);
		const result = await runCybersource(helper, [node]);
		expect(result.error?.message).toMatch(/^The connection to Cybersource closed before its answer arrived\. The request was sent and may have been processed\. Merchant Transaction ID: n8n[0-9a-f]{27}\.$/);
		expect(result.error?.description).toMatch(/it was not sent again\. Look it up first \(Transaction > Search by your client reference code/);
		expect(`${result.error?.message} ${result.error?.description}`).not.toMatch(/retry the request immediately|4111111111111111/);
		// Processed once, sent once, no new token: n8n's own resend-after-any-error stayed off.
		expect(sandbox.stats()).toMatchObject({ apiRequests: 1, tokenRequests: 0, transactions: before + 1 });
	});

	it("through n8n's HTTP Request node (the legacy helper, which retries after any failure), a payment whose connection was cut is sent once, with no token request", async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const body = {
			clientReferenceInformation: { code: 'HTTP-NODE-1' },
			paymentInformation: { card: { number: '4111111111111111', expirationMonth: '12', expirationYear: FUTURE_YEAR, securityCode: '123' } },
			orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } },
		};
		const payment = { helper, credential, urls: [`${sandbox.url}/pts/v2/payments`], httpHelper: 'requestWithAuthentication' as const, method: 'POST' as const, body };
		expect((await callApi(payment)).error).toBeUndefined();
		sandbox.resetStats();
		const before = sandbox.stats().transactions;
		sandbox.dropNextApiAnswers(1);
		const cut = await callApi(payment);
		expect(cut.error).toBeDefined();
		expect(sandbox.stats()).toMatchObject({ apiRequests: 1, tokenRequests: 0, transactions: before + 1 });
		// The token was dropped (it may have been refused): the next request fetches one, once.
		expect((await callApi(payment)).error).toBeUndefined();
		expect(sandbox.stats()).toMatchObject({ apiRequests: 2, tokenRequests: 1 });
	});

	it('gives up on a silent Cybersource after the node\'s Timeout, says so, and does not resend', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const node = cybersourceNode('Authorize', authorizeParameters({ timeout: 1 }), credential);
		expect((await runCybersource(helper, [node])).error).toBeUndefined();
		sandbox.resetStats();
		sandbox.hangNextApiAnswers(1);
		const started = Date.now();
		const result = await runCybersource(helper, [node]);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(result.error?.message).toMatch(/^Cybersource did not answer within 1 s \(the node's Timeout\)\. The request was sent and may have been processed\. Merchant Transaction ID: n8n[0-9a-f]{27}\.$/);
		expect(sandbox.stats()).toMatchObject({ apiRequests: 1, tokenRequests: 0 });
	});

	it('a lookup that got no answer says it can simply be run again', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const authorized = await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)]);
		sandbox.dropNextApiAnswers(1);
		const result = await runCybersource(helper, [cybersourceNode('Get', { resource: 'transaction', operation: 'get', transactionId: authorized.output('Authorize')[0].id as string }, credential)]);
		expect(result.error?.message).toMatch(/^The connection to Cybersource closed before its answer arrived\. This request changes nothing at Cybersource/);
	});

	it('a refused connection says nothing was sent', async () => {
		const oidc = globalOidcServer();
		const credential = { id: 'generic', name: 'Generic', type: 'oAuth2ClientCredentialsApi', data: { tokenUrl: oidc.tokenUrl, clientId: POST_CLIENT.clientId, clientSecret: POST_CLIENT.clientSecret } };
		const closed = await startCybersourceSandbox();
		const baseUrl = closed.url;
		await closed.close();
		const node = cybersourceNode('Authorize', authorizeParameters({ baseUrl }), credential);
		const result = await runCybersource(credentialsHelper([credential]), [node]);
		expect(result.error?.message).toBe('Could not connect to Cybersource; nothing was sent.');
	});

	it('never resends a payment that got a server error', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const result = await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)], [{ amount: '5020.00' }]);
		expect(result.error?.message).toMatch(/Cybersource answered HTTP 502 SYSTEM_ERROR/);
		expect(sandbox.stats().byOperation['payments.authorize']).toBe(1);
	});
});

describe('the partner authorization flow', () => {
	async function authorizationUrl() {
		const credential = cybersourceCredential(sandbox, { refreshToken: '' });
		const helper = credentialsHelper([credential]);
		const result = await runCybersource(helper, [cybersourceNode('Authorization URL', { resource: 'oauth', operation: 'getAuthorizationUrl' }, credential)]);
		expect(result.error?.message).toBeUndefined();
		return { credential, helper, ...(result.output('Authorization URL')[0] as { authorizationUrl: string; state: string }) };
	}

	it('builds the authorization URL with sub=oauth, client_id, redirect_url and a random state', async () => {
		const first = await authorizationUrl();
		const second = await authorizationUrl();
		const url = new URL(first.authorizationUrl);
		expect(`${url.origin}${url.pathname}`).toBe(`${sandbox.url}/ebc2/oauth/authorize`);
		expect(url.searchParams.get('sub')).toBe('oauth');
		expect(url.searchParams.get('client_id')).toBe(sandbox.clientId);
		expect(url.searchParams.get('redirect_url')).toBe('https://partner.example.test/cybersource/callback');
		expect(url.searchParams.get('state')).toBe(first.state);
		expect(first.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(second.state).not.toBe(first.state);
	});

	it('exchanges the code when the state matches, and the refresh token it returns works', async () => {
		const { credential, helper, state } = await authorizationUrl();
		const code = sandbox.issueAuthorizationCode();
		const redirect = `https://partner.example.test/cybersource/callback?code=${code}&state=${state}`;
		const exchange = await runCybersource(helper, [
			cybersourceNode('Exchange', { resource: 'oauth', operation: 'exchangeAuthorizationCode', redirect, expectedState: state }, credential),
		]);
		expect(exchange.error).toBeUndefined();
		const output = exchange.output('Exchange')[0];
		expect(output).toMatchObject({ authorized: true, accessTokenExpiresIn: 899, clientStatus: 'active' });
		expect(output).not.toHaveProperty('accessToken');
		expect(sandbox.lastTokenRequest()?.body).toContain('grant_type=authorization_code');
		helper.setStoredData(credential.id, { ...credential.data, refreshToken: output.refreshToken as string });
		const payment = await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)]);
		expect(payment.error).toBeUndefined();
		expect(payment.output('Authorize')[0].status).toBe('AUTHORIZED');
	});

	it('refuses a mismatched state as a possible CSRF attack, without using the code', async () => {
		const { credential, helper } = await authorizationUrl();
		const code = sandbox.issueAuthorizationCode();
		const result = await runCybersource(helper, [
			cybersourceNode(
				'Exchange',
				{ resource: 'oauth', operation: 'exchangeAuthorizationCode', redirect: `https://partner.example.test/cb?code=${code}&state=forged`, expectedState: 'the-real-state' },
				credential,
			),
		]);
		expect(result.error?.message).toMatch(/does not match the expected state.*cross-site request forgery/);
		expect(sandbox.stats().tokenRequests).toBe(0);
	});

	it("treats a redirect without parameters as the merchant's denial, not a failure", async () => {
		const { credential, helper, state } = await authorizationUrl();
		const result = await runCybersource(helper, [
			cybersourceNode('Exchange', { resource: 'oauth', operation: 'exchangeAuthorizationCode', redirect: 'https://partner.example.test/cybersource/callback', expectedState: state }, credential),
		]);
		expect(result.error).toBeUndefined();
		expect(result.output('Exchange')[0]).toMatchObject({ authorized: false });
		expect(sandbox.stats().tokenRequests).toBe(0);
	});

	it('refreshes on demand, stores the new refresh token in the credential, and hands it out', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const result = await runCybersource(helper, [cybersourceNode('Refresh', { resource: 'oauth', operation: 'refreshAccessToken' }, credential)]);
		expect(result.error).toBeUndefined();
		const output = result.output('Refresh')[0];
		expect(output).toMatchObject({ refreshed: true, accessTokenExpiresIn: 899 });
		expect(output.refreshToken).not.toBe(credential.data.refreshToken);
		expect(output).not.toHaveProperty('accessToken');
		expect(sandbox.stats()).toMatchObject({ byGrant: { refresh_token: 1 }, apiRequests: 0 });
		// Stored by n8n before the execution ended: a restart continues with exactly this token.
		expect(helper.getStoredData(credential.id)).toMatchObject({ refreshToken: output.refreshToken, accessToken: '' });
		replaceSharedTokenCache(new TokenCache());
		expect((await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)])).error).toBeUndefined();
		expect(sandbox.lastTokenRequest()?.body).toContain(`refresh_token=${encodeURIComponent(output.refreshToken as string)}`);
		expect(sandbox.stats()).toMatchObject({ tokenRequests: 2, tokenFailures: 0 });
	});

	it('a forced refresh that fails reports the token error and stores nothing', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		sandbox.failNextTokenRequests('server_error');
		const result = await runCybersource(helper, [cybersourceNode('Refresh', { resource: 'oauth', operation: 'refreshAccessToken' }, credential)]);
		expect(result.error?.message).toMatch(/server_error/);
		expect(sandbox.stats().tokenRequests).toBe(1);
		expect(helper.getStoredData(credential.id)).toEqual(credential.data);
	});
});
