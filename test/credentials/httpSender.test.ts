/**
 * The token-request sender over n8n's real `httpRequest` helper, against hostile token
 * endpoints: the answer is read as a stream, up to 256 KB, within the request's time limit, and
 * a cut-off answer is named as such.
 */
import * as n8nWorkflow from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { sendWithHelpers } from '../../packages/n8n-nodes-cybersource/lib/n8n/httpSender';
import { helpersCarryClientCertificates, requireClientCertificateSupport } from '../../packages/n8n-nodes-cybersource/lib/n8n/n8nLine';
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
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const send = sendWithHelpers({ httpRequest: this.helpers.httpRequest });
		const started = Date.now();
		try {
			const response = await send({ method: 'POST', url, headers: {}, body: 'grant_type=client_credentials', timeoutMs: 1500, maxAnswerBytes: MAX_TOKEN_ANSWER_BYTES });
			return [[{ json: { status: response.status, body: String(response.body), ms: Date.now() - started } }]];
		} catch (error) {
			const { code, httpStatus, oauthError } = error as { code?: unknown; httpStatus?: unknown; oauthError?: unknown };
			return [[{ json: { code: String(code), httpStatus: httpStatus as number, oauthError: oauthError as string, ms: Date.now() - started } }]];
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

async function send(path: string) {
	const run = await runWorkflow({
		nodeTypes: { [SEND_NODE_TYPE]: new SendNode() },
		nodes: [{ id: 'send', name: 'Send', type: SEND_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: { url: faults.url(path) } }],
		credentialsHelper: new TestCredentialsHelper([]),
	});
	return outputOf(run, 'Send')[0];
}

describe("token answers through n8n's httpRequest", () => {
	it('an ordinary answer arrives whole, as text', async () => {
		const result = await send('/echo-token');
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body as string)).toMatchObject({ access_token: 'echo-token' });
	});

	it('stops reading a 20 MB answer at 256 KB', async () => {
		expect(await send('/huge-token')).toMatchObject({ code: 'ANSWER_TOO_LARGE', httpStatus: 200 });
	});

	it('keeps the status and the OAuth error code of a 20 MB error answer, read from its first bytes', async () => {
		expect(await send('/huge-oauth-error')).toMatchObject({ code: 'ANSWER_TOO_LARGE', httpStatus: 400, oauthError: 'invalid_grant' });
		expect(await send('/huge-html-500')).toMatchObject({ code: 'ANSWER_TOO_LARGE', httpStatus: 500 });
		expect((await send('/huge-html-500')).oauthError).toBeUndefined();
	});

	it('names an answer cut off midway', async () => {
		expect(await send('/cut-mid-answer')).toMatchObject({ code: 'ANSWER_CUT_OFF' });
	});

	it('bounds the whole request, not only the silences: a dripping answer ends at the time limit', async () => {
		const result = await send('/drip-token');
		expect(result.code).toBe('ETIMEDOUT');
		// 1.5 s limit, a byte every 0.3 s: over by at most one drip (the server would take 12 s).
		expect(result.ms).toBeLessThan(3000);
	});
});

describe('which n8n line carries a client certificate', () => {
	it("n8n-workflow 2.41, n8n's own copy in these tests, is a line whose httpRequest sends it", () => {
		expect(helpersCarryClientCertificates()).toBe(true);
		expect(() => requireClientCertificateSupport()).not.toThrow();
	});

	it('an n8n-workflow without the nodes API version (n8n 1.x) is not', () => {
		const { N8N_NODES_API_VERSION: _version, ...withoutVersion } = n8nWorkflow;
		expect(helpersCarryClientCertificates(withoutVersion)).toBe(false);
	});
});
