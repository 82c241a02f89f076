/**
 * The token-request sender over n8n's real HTTP helpers (the current one and the legacy one,
 * which mutual TLS needs on n8n 1.x), against hostile token endpoints: the answer is read as a
 * stream, up to 256 KB, within the request's time limit, and a cut-off answer is named as such.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { sendWithHelpers, sendWithLegacyRequest, type LegacyRequest } from '../../packages/n8n-nodes-cybersource/lib/n8n/httpSender';
import { MAX_TOKEN_ANSWER_BYTES } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenRequest';
import { TestCredentialsHelper } from '../harness/credentials-helper';
import { outputOf, runWorkflow } from '../harness/engine';
import { startFaultServer, type FaultServer } from '../servers/fault-server';

const SEND_NODE_TYPE = 'test.send';

/** Sends one token-shaped request with the sender under test and reports the outcome. */
class SendNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send',
		name: SEND_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Sends one request with the package sender',
		defaults: { name: 'Send' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Legacy', name: 'legacy', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const legacy = this.getNodeParameter('legacy', 0) as boolean;
		const send = legacy ? sendWithLegacyRequest(this.helpers.request as LegacyRequest) : sendWithHelpers({ httpRequest: this.helpers.httpRequest });
		const started = Date.now();
		try {
			const response = await send({ method: 'POST', url, headers: {}, body: 'grant_type=client_credentials', timeoutMs: 1500, maxAnswerBytes: MAX_TOKEN_ANSWER_BYTES });
			return [[{ json: { status: response.status, body: String(response.body), ms: Date.now() - started } }]];
		} catch (error) {
			return [[{ json: { code: String((error as { code?: unknown }).code), ms: Date.now() - started } }]];
		}
	}
}

let faults: FaultServer;

beforeAll(async () => {
	faults = await startFaultServer();
});

afterAll(async () => {
	await faults?.close();
});

async function send(path: string, legacy: boolean) {
	const run = await runWorkflow({
		nodeTypes: { [SEND_NODE_TYPE]: new SendNode() },
		nodes: [{ id: 'send', name: 'Send', type: SEND_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: { url: faults.url(path), legacy } }],
		credentialsHelper: new TestCredentialsHelper([]),
	});
	return outputOf(run, 'Send')[0];
}

describe.each([
	['httpRequest', false],
	['the legacy request helper', true],
])('token answers through %s', (_name, legacy) => {
	it('an ordinary answer arrives whole, as text', async () => {
		const result = await send('/echo-token', legacy);
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body as string)).toMatchObject({ access_token: 'echo-token' });
	});

	it('stops reading a 20 MB answer at 256 KB', async () => {
		expect(await send('/huge-token', legacy)).toMatchObject({ code: 'ANSWER_TOO_LARGE' });
	});

	it('names an answer cut off midway', async () => {
		expect(await send('/cut-mid-answer', legacy)).toMatchObject({ code: 'ANSWER_CUT_OFF' });
	});

	it('bounds the whole request, not only the silences: a dripping answer ends at the time limit', async () => {
		const result = await send('/drip-token', legacy);
		expect(result.code).toBe('ETIMEDOUT');
		// 1.5 s limit, a byte every 0.3 s: over by at most one drip (the server would take 12 s).
		expect(result.ms).toBeLessThan(3000);
	});
});
