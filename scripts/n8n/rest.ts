/**
 * n8n's REST API in a real `n8n start`, the way the editor uses it: a signed-in session (the owner
 * set up on the first start, signed in on later ones); the credential test button (POST
 * /rest/credentials/test with the credential's id and data, what the editor sends when a
 * credential is saved or retested); activation; executions and their run data.
 */
import { strict as assert } from 'node:assert';

import { parse as parseFlatted } from 'flatted';

import { freePort, type N8nInstance, type StoredCredentialFile } from './cli';

export interface CredentialTestCase {
	credential: StoredCredentialFile;
	/** What the message must say. */
	expect: RegExp;
	/** The test must fail (status Error); it must pass otherwise. */
	failure?: boolean;
}

export const OWNER = { email: 'owner@n8n-nodes-cybersource.test', firstName: 'Suite', lastName: 'Owner', password: 'Suite-password-42' };
const BROWSER_ID = 'n8n-nodes-cybersource-suite';

/** Runs the cases in one `n8n start`; returns one line per case. */
export async function credentialTest(n8n: N8nInstance, cases: CredentialTestCase[]): Promise<string> {
	const port = await freePort();
	const server = await n8n.start(port);
	try {
		const rest = await RestSession.open(port);
		const lines: string[] = [];
		for (const { credential, expect, failure } of cases) {
			const response = await rest.call('POST', '/credentials/test', { credentials: { id: credential.id, name: credential.name, type: credential.type, data: credential.data } });
			assert.equal(response.status, 200, `credentials/test answered ${response.status}: ${response.text.slice(0, 300)}`);
			const data = response.json().data as { status: string; message: string };
			const label = `${credential.type} ${credential.id}${failure ? ' (bad)' : ''}`;
			assert.equal(data.status, failure ? 'Error' : 'OK', `${label}: ${data.status} ${data.message}`);
			assert.match(data.message, expect, `${label}: ${data.message}`);
			for (const secret of ['clientSecret', 'clientPrivateKey', 'refreshToken', 'privateKey', 'sharedSecretKey']) {
				const value = credential.data[secret];
				if (typeof value === 'string' && value.length > 8) assert.ok(!data.message.includes(value), `${label}: the message shows ${secret}`);
			}
			lines.push(`${label}: ${data.status} "${data.message.slice(0, 110)}${data.message.length > 110 ? '…' : ''}"`);
		}
		return lines.join('\n');
	} finally {
		await n8n.stop(server);
	}
}

/** The `n8n-auth` cookie among the answer's Set-Cookie headers (there may be several). */
function authCookie(headers: Headers): string | undefined {
	return headers
		.getSetCookie()
		.map((entry) => entry.split(';')[0])
		.find((entry) => entry.startsWith('n8n-auth='));
}

/**
 * A signed-in REST session on a running `n8n start`, as the editor holds one: owner set up on the
 * first start, signed in on later ones.
 */
export class RestSession {
	private constructor(
		private readonly base: string,
		private readonly cookie: string,
	) {}

	static async open(port: number): Promise<RestSession> {
		const base = `http://127.0.0.1:${port}/rest`;
		const headers = { 'content-type': 'application/json', 'browser-id': BROWSER_ID };
		const setUp = () => fetch(`${base}/owner/setup`, { method: 'POST', headers, body: JSON.stringify(OWNER) });
		const logIn = () =>
			fetch(`${base}/login`, { method: 'POST', headers, body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password }) });
		const signIn = async () => {
			const first = await setUp();
			return first.status === 200 ? first : await logIn();
		};
		// Seen on n8n 2.x right after /rest/settings answered: 404 for the owner route, or an answer
		// without a session saying "n8n is starting up. Please wait". Ask again for a few seconds
		// (bounded) while n8n says it is not ready.
		let answer = await signIn();
		let text = await answer.text();
		for (let attempt = 0; attempt < 40 && authCookie(answer.headers) === undefined && (answer.status === 404 || /starting up/i.test(text)); attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			answer = await signIn();
			text = await answer.text();
		}
		assert.equal(answer.status, 200, `signing in answered ${answer.status}: ${text.slice(0, 300)}`);
		const cookie = authCookie(answer.headers);
		assert.ok(cookie, `no session cookie after signing in (${answer.headers.getSetCookie().map((entry) => entry.split('=')[0]).join(', ') || 'none'}; ${text.slice(0, 200)})`);
		return new RestSession(base, cookie);
	}

	async call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: () => { data: unknown } }> {
		const answer = await fetch(`${this.base}${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie, 'browser-id': BROWSER_ID },
			...(body !== undefined ? { body: JSON.stringify(body) } : {}),
		});
		const text = await answer.text();
		return { status: answer.status, text, json: () => JSON.parse(text) as { data: unknown } };
	}

	/** The editor's Activate (1.x) / Publish (2.x) button: POST /rest/workflows/:id/activate with the current version. */
	async activate(workflowId: string): Promise<{ status: number; text: string }> {
		const workflow = await this.call('GET', `/workflows/${workflowId}`);
		assert.equal(workflow.status, 200, `GET workflow ${workflowId}: ${workflow.status} ${workflow.text.slice(0, 200)}`);
		const { versionId } = workflow.json().data as { versionId: string };
		return await this.call('POST', `/workflows/${workflowId}/activate`, { versionId });
	}

	async deactivate(workflowId: string): Promise<{ status: number; text: string }> {
		return await this.call('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** The workflow's executions, newest first. */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string; mode: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const answer = await this.call('GET', `/executions?filter=${filter}&limit=1000`);
		assert.equal(answer.status, 200, `GET executions: ${answer.status} ${answer.text.slice(0, 200)}`);
		const data = answer.json().data as { results?: unknown[] } | unknown[];
		return (Array.isArray(data) ? data : (data.results ?? [])) as Array<{ id: string; status: string; mode: string }>;
	}

	/** How many executions the workflow has (n8n's own count). */
	async executionCount(workflowId: string): Promise<number> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const answer = await this.call('GET', `/executions?filter=${filter}&limit=1`);
		assert.equal(answer.status, 200, `GET executions: ${answer.status} ${answer.text.slice(0, 200)}`);
		const data = answer.json().data as { count?: number; results?: unknown[] };
		return typeof data.count === 'number' ? data.count : (data.results ?? []).length;
	}

	/** One execution's run data: the JSON of each node's output items, by node name. */
	async runData(executionId: string): Promise<Record<string, Array<Record<string, unknown>>>> {
		const answer = await this.call('GET', `/executions/${executionId}`);
		assert.equal(answer.status, 200, `GET execution ${executionId}: ${answer.status}`);
		const stored = answer.json().data as { data: string };
		const run = parseFlatted(stored.data) as { resultData: { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } };
		return Object.fromEntries(
			Object.entries(run.resultData.runData).map(([node, runs]) => [node, (runs[0]?.data?.main ?? []).flatMap((output) => (output ?? []).map((item) => item.json))]),
		);
	}
}
