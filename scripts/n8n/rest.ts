/**
 * The credential test button, the way the editor presses it: `n8n start`, the owner account set
 * up and signed in through the REST API, then POST /rest/credentials/test with the credential's
 * id and data (what the editor sends when a credential is saved or retested).
 */
import { strict as assert } from 'node:assert';

import { freePort, type N8nInstance, type StoredCredentialFile } from './cli';

export interface CredentialTestCase {
	credential: StoredCredentialFile;
	/** What the message must say. */
	expect: RegExp;
	/** The test must fail (status Error); it must pass otherwise. */
	failure?: boolean;
}

const OWNER = { email: 'owner@n8n-nodes-cybersource.test', firstName: 'Suite', lastName: 'Owner', password: 'Suite-password-42' };
const BROWSER_ID = 'n8n-nodes-cybersource-suite';

/** Runs the cases in one `n8n start`; returns one line per case. */
export async function credentialTest(n8n: N8nInstance, cases: CredentialTestCase[]): Promise<string> {
	const port = await freePort();
	const server = await n8n.start(port);
	const base = `http://127.0.0.1:${port}/rest`;
	try {
		const setup = await fetch(`${base}/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify(OWNER),
		});
		assert.equal(setup.status, 200, `owner setup answered ${setup.status}: ${await setup.text()}`);
		const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0];
		assert.match(cookie, /^n8n-auth=/, 'no session cookie after the owner setup');
		const lines: string[] = [];
		for (const { credential, expect, failure } of cases) {
			const response = await fetch(`${base}/credentials/test`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie, 'browser-id': BROWSER_ID },
				body: JSON.stringify({ credentials: { id: credential.id, name: credential.name, type: credential.type, data: credential.data } }),
			});
			const text = await response.text();
			assert.equal(response.status, 200, `credentials/test answered ${response.status}: ${text.slice(0, 300)}`);
			const { data } = JSON.parse(text) as { data: { status: string; message: string } };
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
