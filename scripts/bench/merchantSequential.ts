/**
 * merchantSequential: N items through an Authorize node with a merchant key (HTTP Signature),
 * against two baselines sending the same requests (checked: method, path, body, header names):
 *  - in the engine: a bare node that reads the same parameters (the same three expressions) and
 *    sends the payment with n8n's own helper, `httpRequestWithAuthentication`, with the same
 *    credential (n8n reads it and the credential's `authenticate` signs): what the Cybersource
 *    node adds on top of n8n doing the request itself. overheadRatio (the figure);
 *  - outside the engine: the package's signer called directly and n8n's HTTP client, no node, no
 *    credential layer: overheadRatioVsBareHelper, which includes n8n's per-item work too.
 * Rounds alternate the order of the paths; ratios are the median of the per-round ratios. All go
 * to the sandbox's REST host (plain HTTP on 127.0.0.1), so the ratio is about work, not network.
 */
import { isDeepStrictEqual } from 'node:util';

import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { httpSignatureHeaders, type HttpSignatureKey } from '../../packages/n8n-nodes-cybersource/lib/cybersource/merchantSignature';
import { runWorkflow } from '../../test/harness/engine';
import type { RecordedApiRequest, Sandbox } from '../../test/servers/cybersource/server';
import { startCybersourceSandbox } from '../../test/servers/cybersource/server';
import { credentialsHelper, merchantCredential, runCybersource } from '../../test/support/cybersource';
import { authorizeNode, baselineTransactionId, CARD, check, FUTURE_YEAR, idsAside, median, n8nHttpRequest, orderItems, round, timed, type BenchOptions, type Scenario } from './common';

/** The payment body the Authorize node sends for these values (its key order). */
function paymentBody(values: { amount: string; card: string; reference: string }, transactionId = baselineTransactionId()): string {
	return JSON.stringify({
		processingInformation: { capture: false },
		paymentInformation: { card: { number: values.card, expirationMonth: '12', expirationYear: FUTURE_YEAR, securityCode: '123' } },
		orderInformation: { amountDetails: { totalAmount: values.amount, currency: 'USD' } },
		clientReferenceInformation: { code: values.reference, transactionId },
	});
}

const RAW_HELPER_TYPE = 'bench.rawHelperAuthorize';

/** In the engine: the same parameters read per item, the request sent by n8n's own authenticated helper. */
class RawHelperAuthorize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Raw Helper Authorize',
		name: RAW_HELPER_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Benchmark baseline',
		defaults: { name: 'Raw Helper Authorize' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'cybersourceApi', required: true }],
		properties: ['url', 'amount', 'currency', 'cardNumber', 'expirationMonth', 'expirationYear', 'securityCode', 'clientReferenceCode', 'merchantTransactionId'].map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const value = (name: string) => this.getNodeParameter(name, i) as string;
			const body = paymentBody({ amount: value('amount'), card: value('cardNumber'), reference: value('clientReferenceCode') });
			for (const name of ['currency', 'expirationMonth', 'expirationYear', 'securityCode', 'merchantTransactionId']) value(name);
			const options: IHttpRequestOptions = { method: 'POST', url, body, headers: { 'Content-Type': 'application/json' }, json: true, returnFullResponse: true, ignoreHttpStatusErrors: true, timeout: 60_000 };
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'cybersourceApi', options)) as { statusCode: number; body: IDataObject };
			if (response.statusCode !== 201) throw new Error(`raw helper: authorize answered HTTP ${response.statusCode}`);
			out.push({ json: response.body, pairedItem: { item: i } });
		}
		return [out];
	}
}

/** The bare node with the Authorize node's parameters (the same expressions), on the same credential. */
function rawHelperNode(authorize: INode, url: string): INode {
	const { resource: _resource, operation: _operation, authentication: _authentication, ...parameters } = authorize.parameters;
	return { ...authorize, name: 'Raw Helper Authorize', type: RAW_HELPER_TYPE, parameters: { ...parameters, url } };
}

class SignedBaseline {
	private readonly send = n8nHttpRequest();
	private readonly key: HttpSignatureKey;

	constructor(private readonly sandbox: Sandbox) {
		const { merchantId, keyId, secret } = sandbox.merchantKey;
		this.key = { merchantId, keyId, secret: Buffer.from(secret, 'base64') };
	}

	async authorize(item: IDataObject): Promise<void> {
		const body = paymentBody({ amount: item.amount as string, card: CARD, reference: item.reference as string });
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
	return { method: request.method, path: request.path, body: idsAside(JSON.parse(request.body)), headers: Object.keys(request.headers).sort() };
}

const itemCount = ({ quick, items }: BenchOptions) => Math.min(items ?? 3000, quick ? 300 : 3000);

export const merchantSequential: Scenario = {
	name: 'merchantSequential',
	label: (options) => `merchantSequential: ${itemCount(options)} items through Authorize with a merchant key vs the same requests through n8n's own helper (in the engine, and bare)`,
	async run(options) {
		const { quick } = options;
		const rounds = quick ? 6 : 12; // a multiple of 3: each of the three paths goes first equally often
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
			const rawNode = [rawHelperNode(node[0], `${sandbox.restUrl}/pts/v2/payments`)];
			const enginePath = async (items: IDataObject[]) => {
				const run = await runWorkflow({ nodeTypes: { [RAW_HELPER_TYPE]: new RawHelperAuthorize() }, nodes: rawNode, credentialsHelper: helper, items });
				if (run.data.resultData.error) throw new Error(`raw helper path failed: ${run.data.resultData.error.message}`);
			};
			const baseline = new SignedBaseline(sandbox);
			// Both baselines must send what the node sends.
			const [item] = orderItems(1, 'check');
			await nodePath([item]);
			const fromNode = shape(sandbox.lastApiRequest());
			await enginePath([item]);
			const fromEngine = shape(sandbox.lastApiRequest());
			await baseline.authorize(item);
			const fromBaseline = shape(sandbox.lastApiRequest());
			for (const [name, other] of [['raw helper', fromEngine], ['bare', fromBaseline]] as const) {
				if (!isDeepStrictEqual(fromNode, other)) throw new Error(`the ${name} baseline's request differs:\nnode:     ${JSON.stringify(fromNode)}\nbaseline: ${JSON.stringify(other)}`);
			}
			const warm = orderItems(quick ? 40 : 200, 'warm');
			await nodePath(warm);
			await enginePath(warm);
			await baseline.run(warm);
			sandbox.resetStats();

			const paths = { node: nodePath, engine: enginePath, bare: (items: IDataObject[]) => baseline.run(items) };
			const names = Object.keys(paths) as Array<keyof typeof paths>;
			const ms: Record<keyof typeof paths, number[]> = { node: [], engine: [], bare: [] };
			const ratios: number[] = [];
			const bareRatios: number[] = [];
			for (let r = 0; r < rounds; r++) {
				const batch = orderItems(perRound, `m${r}`);
				const taken: Partial<Record<keyof typeof paths, number>> = {};
				for (let k = 0; k < names.length; k++) {
					const name = names[(r + k) % names.length]; // each path first in turn
					taken[name] = (await timed(() => paths[name](batch))).ms;
				}
				for (const name of names) ms[name].push(taken[name] as number);
				ratios.push((taken.node as number) / (taken.engine as number));
				bareRatios.push((taken.node as number) / (taken.bare as number));
			}
			const stats = sandbox.stats();
			return {
				result: {
					scenario: 'merchantSequential',
					items: perRound * rounds,
					rounds,
					apiRequests: stats.apiRequests,
					unauthorizedResponses: stats.apiUnauthorized,
					nodeMsPerRequest: round(median(ms.node) / perRound, 3),
					rawHelperMsPerRequest: round(median(ms.engine) / perRound, 3),
					bareHelperMsPerRequest: round(median(ms.bare) / perRound, 3),
					overheadRatio: round(median(ratios), 3),
					overheadRatioOfMedians: round(median(ms.node) / median(ms.engine), 3),
					overheadRatioMin: round(Math.min(...ratios), 3),
					overheadRatioMax: round(Math.max(...ratios), 3),
					overheadRatioVsBareHelper: round(median(bareRatios), 3),
					quick,
				},
				checks: [check('unauthorizedResponses == 0', stats.apiUnauthorized === 0), check('every request reached the sandbox', stats.apiRequests === 3 * perRound * rounds)],
				notes: [
					`per-round ratios to the raw helper in the engine: ${ratios.map((ratio) => ratio.toFixed(3)).join(', ')}`,
					'raw helper: a bare node in the same engine, the same parameters (three expressions), httpRequestWithAuthentication with the same credential',
					'bare helper: no engine; the package signer called directly and n8n\'s HTTP client, same body bytes',
				],
			};
		} finally {
			await sandbox.close();
		}
	},
};
