/**
 * sequential: N items through Authorize → Capture → Transaction Get (one credential, n8n's
 * engine), against the same API requests sent with n8n's own HTTP client and a fixed bearer
 * token. Rounds alternate node path and baseline (the order flips every round); overheadRatio is
 * the median of the per-round ratios.
 */
import { isDeepStrictEqual } from 'node:util';

import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { cybersourceConnection } from '../../packages/n8n-nodes-cybersource/lib/n8n/cybersourceSource';
import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import type { ClientTlsMaterial } from '../../packages/n8n-nodes-cybersource/lib/oauth2/mutualTls';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenCache';
import type { StoredCredential, TestCredentialsHelper } from '../../test/harness/credentials-helper';
import { credentialsHelper, runCybersource } from '../../test/support/cybersource';
import { startCybersourceSandbox, type RecordedApiRequest, type Sandbox } from '../../test/servers/cybersource/server';
import {
	CARD,
	FUTURE_YEAR,
	check,
	GcPauses,
	median,
	n8nHttpRequest,
	orderItems,
	paymentChain,
	round,
	sandboxCredential,
	timed,
	type BenchOptions,
	type Scenario,
	baselineTransactionId,
	idsAside,
} from './common';

interface FullResponse {
	statusCode: number;
	body: IDataObject;
}

/**
 * The node path's requests without the node: the options `cybersourceApiRequest` builds
 * (nodes/Cybersource/transport.ts) plus what the credential's `authenticate` adds (the bearer
 * header and the client certificate as agentOptions), sent in the same order as the engine runs
 * the nodes (all authorizations, then all captures, then all look-ups), one at a time.
 */
class Baseline {
	private readonly send = n8nHttpRequest();

	constructor(
		private readonly sandbox: Sandbox,
		private readonly tls: ClientTlsMaterial,
		private readonly accessToken: string,
	) {}

	private async request(method: IHttpRequestMethods, path: string, abortSignal: AbortSignal, body?: IDataObject): Promise<IDataObject> {
		const options: IHttpRequestOptions = {
			method,
			url: `${this.sandbox.url}${path}`,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
			headers: { Authorization: `Bearer ${this.accessToken}` },
			agentOptions: { ...this.tls },
			abortSignal,
		};
		if (body !== undefined) options.body = body;
		const response = (await this.send(options)) as FullResponse;
		if (response.statusCode >= 300) throw new Error(`baseline: ${method} ${path} answered HTTP ${response.statusCode}`);
		return response.body;
	}

	authorize(item: IDataObject, signal: AbortSignal) {
		return this.request('POST', '/pts/v2/payments', signal, {
			processingInformation: { capture: false },
			paymentInformation: { card: { number: CARD, expirationMonth: '12', expirationYear: FUTURE_YEAR, securityCode: '123' } },
			orderInformation: { amountDetails: { totalAmount: item.amount as string, currency: 'USD' } },
			clientReferenceInformation: { code: item.reference as string, transactionId: baselineTransactionId() },
		});
	}

	capture(authorization: IDataObject, signal: AbortSignal) {
		const amountDetails = (authorization.orderInformation as { amountDetails: { authorizedAmount: string } }).amountDetails;
		return this.request('POST', `/pts/v2/payments/${authorization.id as string}/captures`, signal, {
			orderInformation: { amountDetails: { totalAmount: amountDetails.authorizedAmount, currency: 'USD' } },
			clientReferenceInformation: { transactionId: baselineTransactionId() },
		});
	}

	get(capture: IDataObject, signal: AbortSignal) {
		return this.request('GET', `/tss/v2/transactions/${capture.id as string}`, signal);
	}

	/** The whole chain for `items`, node by node like the engine. */
	async run(items: IDataObject[]): Promise<void> {
		const signal = new AbortController().signal; // n8n passes the execution's cancel signal
		const authorizations: IDataObject[] = [];
		for (const item of items) authorizations.push(await this.authorize(item, signal));
		const captures: IDataObject[] = [];
		for (const authorization of authorizations) captures.push(await this.capture(authorization, signal));
		for (const capture of captures) await this.get(capture, signal);
	}
}

async function runNodePath(helper: TestCredentialsHelper, credential: StoredCredential, items: IDataObject[]): Promise<void> {
	const result = await runCybersource(helper, paymentChain(credential), items);
	if (result.error) throw new Error(`node path failed: ${result.error.message}`);
	const done = result.output('Get').length;
	if (done !== items.length) throw new Error(`node path: ${done} of ${items.length} items reached Transaction Get`);
}

/** What must match between a request of the node path and of the baseline (ids aside: path ids, merchant transaction IDs). */
function shape(request: RecordedApiRequest | undefined) {
	if (request === undefined) throw new Error('the sandbox recorded no API request');
	return {
		method: request.method,
		path: request.path.replace(/\/\d+(?=\/|$)/g, '/:id'),
		query: request.query,
		body: request.body === '' ? undefined : idsAside(JSON.parse(request.body)),
		headers: Object.keys(request.headers)
			.map((name) => name.toLowerCase())
			.sort(),
	};
}

function assertSame(what: string, nodePath: RecordedApiRequest | undefined, baseline: RecordedApiRequest | undefined): void {
	const a = shape(nodePath);
	const b = shape(baseline);
	if (!isDeepStrictEqual(a, b)) {
		throw new Error(`the baseline's ${what} request differs from the node's:\nnode:     ${JSON.stringify(a)}\nbaseline: ${JSON.stringify(b)}`);
	}
}

/**
 * Proves the baseline sends what the node sends: for each of the three requests, method, path
 * (ids aside), query, JSON body and header names as the sandbox received them. Also warms up.
 */
async function verifySameRequests(sandbox: Sandbox, helper: TestCredentialsHelper, credential: StoredCredential, baseline: Baseline): Promise<void> {
	const [item] = orderItems(1, 'check');
	const signal = new AbortController().signal;
	const chain = paymentChain(credential);

	const nodeRun = async (count: number) => {
		const result = await runCybersource(helper, chain.slice(0, count), [item]);
		if (result.error) throw new Error(`node path failed: ${result.error.message}`);
		return sandbox.lastApiRequest();
	};
	const nodeAuthorize = await nodeRun(1);
	const authorization = await baseline.authorize(item, signal);
	assertSame('authorize', nodeAuthorize, sandbox.lastApiRequest());
	const nodeCapture = await nodeRun(2);
	const capture = await baseline.capture(authorization, signal);
	assertSame('capture', nodeCapture, sandbox.lastApiRequest());
	const nodeGet = await nodeRun(3);
	await baseline.get(capture, signal);
	assertSame('transaction get', nodeGet, sandbox.lastApiRequest());
}

const itemCount = ({ quick, items }: BenchOptions) => items ?? (quick ? 300 : 10_000);

export const sequential: Scenario = {
	name: 'sequential',
	label: (options) => `sequential: ${itemCount(options)} items × 3 Cybersource nodes vs the same requests through n8n's httpRequest`,
	async run(options: BenchOptions) {
		const { quick } = options;
		const items = itemCount(options);
		// Many short rounds: the machine's speed drifts (shared CPU); the median ratio is robust to it.
		const rounds = quick ? 6 : 10;
		const perRound = Math.floor(items / rounds);
		const sandbox = await startCybersourceSandbox();
		try {
			replaceSharedTokenCache(new TokenCache());
			const credential = sandboxCredential(sandbox, 'bench-sequential');
			const helper = credentialsHelper([credential]);
			const tls = cybersourceConnection(credential.data).tls;
			const baseline = new Baseline(sandbox, tls, sandbox.issueAccessToken());

			await verifySameRequests(sandbox, helper, credential, baseline);
			// Warm-up (JIT, sandbox maps) for both paths, not measured.
			const warm = orderItems(quick ? 40 : 300, 'warm');
			await runNodePath(helper, credential, warm);
			await baseline.run(warm);

			const nodeMs: number[] = [];
			const baselineMs: number[] = [];
			const ratios: number[] = [];
			const gc = new GcPauses();
			const nodeWindows: Array<[number, number]> = [];
			const baselineWindows: Array<[number, number]> = [];
			let nodeRequests = 0;
			let baselineRequests = 0;
			for (let r = 0; r < rounds; r++) {
				const batch = orderItems(perRound, `r${r}`);
				let nodeRound = 0;
				let baselineRound = 0;
				const measureNode = async () => {
					const before = sandbox.stats().apiRequests;
					const from = gc.now();
					nodeRound = (await timed(() => runNodePath(helper, credential, batch))).ms;
					nodeWindows.push([from, gc.now()]);
					nodeRequests += sandbox.stats().apiRequests - before;
				};
				const measureBaseline = async () => {
					const before = sandbox.stats().apiRequests;
					const from = gc.now();
					baselineRound = (await timed(() => baseline.run(batch))).ms;
					baselineWindows.push([from, gc.now()]);
					baselineRequests += sandbox.stats().apiRequests - before;
				};
				if (r % 2 === 0) {
					await measureNode();
					await measureBaseline();
				} else {
					await measureBaseline();
					await measureNode();
				}
				nodeMs.push(nodeRound);
				baselineMs.push(baselineRound);
				ratios.push(nodeRound / baselineRound);
			}

			const gcMs = async (windows: Array<[number, number]>) => median(await Promise.all(windows.map(([from, to]) => gc.pausedMs(from, to))));
			const nodeGcMs = await gcMs(nodeWindows);
			const baselineGcMs = await gcMs(baselineWindows);
			gc.stop();
			const stats = sandbox.stats();
			const medianNodeMs = median(nodeMs);
			const medianBaselineMs = median(baselineMs);
			const requestsPerRound = 3 * perRound;
			return {
				result: {
					scenario: 'sequential',
					items: perRound * rounds,
					rounds,
					itemsPerRound: perRound,
					tokenRequests: stats.tokenRequests,
					apiRequests: nodeRequests,
					baselineApiRequests: baselineRequests,
					unauthorizedResponses: stats.apiUnauthorized,
					itemsPerSecond: round((perRound * 1000) / medianNodeMs, 1),
					baselineItemsPerSecond: round((perRound * 1000) / medianBaselineMs, 1),
					nodeMsPerRequest: round(medianNodeMs / requestsPerRound, 3),
					baselineMsPerRequest: round(medianBaselineMs / requestsPerRound, 3),
					nodeGcMsPerRequest: round(nodeGcMs / requestsPerRound, 3),
					baselineGcMsPerRequest: round(baselineGcMs / requestsPerRound, 3),
					overheadRatio: round(median(ratios), 3),
					overheadRatioMin: round(Math.min(...ratios), 3),
					overheadRatioMax: round(Math.max(...ratios), 3),
					quick,
				},
				checks: [check('tokenRequests == 1 (whole scenario, warm-up included)', stats.tokenRequests === 1)],
				notes: [
					`node path and baseline alternate over ${rounds} rounds of ${perRound} items (${requestsPerRound} requests each)`,
					'baseline: Container.get(OutboundHttp).requests().request, sandbox.issueAccessToken(), same agentOptions (client cert, key, CA)',
					`per-round ratios: ${ratios.map((ratio) => ratio.toFixed(3)).join(', ')}`,
				],
			};
		} finally {
			await sandbox.close();
		}
	},
};
