/**
 * merchantSequential: N items through an Authorize node with a merchant key (HTTP Signature),
 * against the same signed requests sent with n8n's own HTTP client (the package's signer called
 * directly, no node, no engine, no credential layer). Rounds alternate node path and baseline;
 * overheadRatio is the median of the per-round ratios. Both go to the sandbox's REST host
 * (plain HTTP on 127.0.0.1), so the ratio is about the node's own work, not the network.
 */
import { isDeepStrictEqual } from 'node:util';

import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { httpSignatureHeaders, type HttpSignatureKey } from '../../lib/cybersource/merchantSignature';
import type { RecordedApiRequest, Sandbox } from '../../test/servers/cybersource/server';
import { startCybersourceSandbox } from '../../test/servers/cybersource/server';
import { credentialsHelper, merchantCredential, runCybersource } from '../../test/support/cybersource';
import { authorizeNode, CARD, check, FUTURE_YEAR, median, n8nHttpRequest, orderItems, round, timed, type BenchOptions, type Scenario } from './common';

class SignedBaseline {
	private readonly send = n8nHttpRequest();
	private readonly key: HttpSignatureKey;

	constructor(private readonly sandbox: Sandbox) {
		const { merchantId, keyId, secret } = sandbox.merchantKey;
		this.key = { merchantId, keyId, secret: Buffer.from(secret, 'base64') };
	}

	async authorize(item: IDataObject): Promise<void> {
		const body = JSON.stringify({
			processingInformation: { capture: false },
			paymentInformation: { card: { number: CARD, expirationMonth: '12', expirationYear: FUTURE_YEAR, securityCode: '123' } },
			orderInformation: { amountDetails: { totalAmount: item.amount as string, currency: 'USD' } },
			clientReferenceInformation: { code: item.reference as string },
		});
		const url = new URL(`${this.sandbox.restUrl}/pts/v2/payments`);
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: url.toString(),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 60_000,
			body,
			headers: { 'Content-Type': 'application/json', ...httpSignatureHeaders(this.key, { method: 'POST', host: url.host, pathWithQuery: url.pathname, body }) },
		};
		const response = (await this.send(options)) as { statusCode: number };
		if (response.statusCode !== 201) throw new Error(`baseline: authorize answered HTTP ${response.statusCode}`);
	}

	async run(items: IDataObject[]): Promise<void> {
		for (const item of items) await this.authorize(item);
	}
}

/** Method, path, JSON body and header names as the sandbox received them. */
function shape(request: RecordedApiRequest | undefined) {
	if (request === undefined) throw new Error('the sandbox recorded no API request');
	return { method: request.method, path: request.path, body: JSON.parse(request.body) as unknown, headers: Object.keys(request.headers).sort() };
}

const itemCount = ({ quick, items }: BenchOptions) => Math.min(items ?? 3000, quick ? 300 : 3000);

export const merchantSequential: Scenario = {
	name: 'merchantSequential',
	label: (options) => `merchantSequential: ${itemCount(options)} items through Authorize with a merchant key vs the same signed requests through n8n's httpRequest`,
	async run(options) {
		const { quick } = options;
		const rounds = quick ? 6 : 10;
		const perRound = Math.floor(itemCount(options) / rounds);
		const sandbox = await startCybersourceSandbox();
		try {
			const credential = merchantCredential(sandbox, 'httpSignature');
			const helper = credentialsHelper([credential]);
			const node = [authorizeNode(credential)];
			const nodePath = async (items: IDataObject[]) => {
				const result = await runCybersource(helper, node, items);
				if (result.error) throw new Error(`node path failed: ${result.error.message}`);
			};
			const baseline = new SignedBaseline(sandbox);
			// The baseline must send what the node sends.
			const [item] = orderItems(1, 'check');
			await nodePath([item]);
			const fromNode = shape(sandbox.lastApiRequest());
			await baseline.authorize(item);
			const fromBaseline = shape(sandbox.lastApiRequest());
			if (!isDeepStrictEqual(fromNode, fromBaseline)) throw new Error(`the baseline's request differs:\nnode:     ${JSON.stringify(fromNode)}\nbaseline: ${JSON.stringify(fromBaseline)}`);
			const warm = orderItems(quick ? 40 : 200, 'warm');
			await nodePath(warm);
			await baseline.run(warm);
			sandbox.resetStats();

			const ratios: number[] = [];
			const nodeMs: number[] = [];
			const baselineMs: number[] = [];
			for (let r = 0; r < rounds; r++) {
				const batch = orderItems(perRound, `m${r}`);
				const measure = async (work: () => Promise<void>) => (await timed(work)).ms;
				let a: number;
				let b: number;
				if (r % 2 === 0) {
					a = await measure(() => nodePath(batch));
					b = await measure(() => baseline.run(batch));
				} else {
					b = await measure(() => baseline.run(batch));
					a = await measure(() => nodePath(batch));
				}
				nodeMs.push(a);
				baselineMs.push(b);
				ratios.push(a / b);
			}
			const stats = sandbox.stats();
			return {
				result: {
					scenario: 'merchantSequential',
					items: perRound * rounds,
					rounds,
					apiRequests: stats.apiRequests,
					unauthorizedResponses: stats.apiUnauthorized,
					nodeMsPerRequest: round(median(nodeMs) / perRound, 3),
					baselineMsPerRequest: round(median(baselineMs) / perRound, 3),
					overheadRatio: round(median(ratios), 3),
					overheadRatioMin: round(Math.min(...ratios), 3),
					overheadRatioMax: round(Math.max(...ratios), 3),
					quick,
				},
				checks: [check('unauthorizedResponses == 0', stats.apiUnauthorized === 0), check('every request reached the sandbox', stats.apiRequests === 2 * perRound * rounds)],
				notes: [`per-round ratios: ${ratios.map((ratio) => ratio.toFixed(3)).join(', ')}`, 'baseline: OutboundHttp request with headers from the package signer, same body bytes'],
			};
		} finally {
			await sandbox.close();
		}
	},
};
