/**
 * Merchant-key authentication ("Cybersource API" credential) through n8n's engine against the
 * sandbox's REST host, which checks HTTP Signature and JWT with its own code: every operation's
 * requests, the HTTP Request node's, the credential test, and bad input refused before sending.
 */
import { createPrivateKey } from 'node:crypto';

import { CybersourceApi } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceApi.credentials';
import { testCredential } from '../harness/credential-test';
import { startCybersourceSandbox, type Sandbox } from '../servers/cybersource/server';
import { RESPONSE_MLE_KEY_ID } from '../servers/cybersource/testValues';
import { callApi } from '../support/engineRun';
import { authorizeParameters, credentialsHelper, cybersourceNode, merchantCredential, runCybersource } from '../support/cybersource';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startCybersourceSandbox();
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(() => sandbox.reset());

const capture = { resource: 'payment', operation: 'capture', paymentId: '={{ $json.id }}', amount: '={{ $json.orderInformation.amountDetails.authorizedAmount }}', currency: 'USD' };
const lookUp = { resource: 'transaction', operation: 'get', transactionId: '={{ $json.id }}' };

describe.each([['httpSignature'], ['jwtRs256'], ['jwtHs256']] as const)('the Cybersource node with a merchant key (%s)', (type) => {
	it('authorizes, captures and looks up payments; each request signed and accepted, no token involved', async () => {
		const credential = merchantCredential(sandbox, type);
		const helper = credentialsHelper([credential]);
		const items = Array.from({ length: 5 }, (_, i) => ({ reference: `M-${i}`, amount: `${20 + i}.00` }));
		const result = await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential), cybersourceNode('Capture', capture, credential), cybersourceNode('Get', lookUp, credential)], items);
		expect(result.error).toBeUndefined();
		expect(result.output('Authorize').map((item) => item.status)).toEqual(Array(5).fill('AUTHORIZED'));
		expect(result.output('Capture').map((item) => item.status)).toEqual(Array(5).fill('PENDING'));
		expect(result.output('Get')).toHaveLength(5);
		expect(sandbox.stats()).toMatchObject({ apiRequests: 15, merchantRequests: 15, apiUnauthorized: 0, tokenRequests: 0 });
	});
});

describe('a merchant key saved before JWT was recommended', () => {
	it('has no Authentication Type stored (n8n stores no field left at its default) and keeps signing with HTTP Signature', async () => {
		const credential = merchantCredential(sandbox, 'httpSignature', {}, 'saved-before');
		delete credential.data.authenticationType;
		const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Authorize', authorizeParameters(), credential)]);
		expect(result.error).toBeUndefined();
		expect(sandbox.lastApiRequest()!.headers.signature).toMatch(/^keyid="/);
		expect(sandbox.lastApiRequest()!.headers.authorization).toBeUndefined();
	});

	it('the credential type offers JWT HS256 first and has no default scheme, so a new credential gets one chosen', () => {
		const field = new CybersourceApi().properties.find((property) => property.name === 'authenticationType')!;
		expect(field.default).toBe('');
		expect(field.required).toBe(true);
		expect(field.options?.map((option) => (option as { value: string }).value)).toEqual(['jwtHs256', 'jwtRs256', 'httpSignature']);
	});
});

describe('merchant-key failures', () => {
	it('a wrong shared secret: Cybersource refuses with 401, the error says so, nothing secret in it, nothing resent', async () => {
		const wrong = Buffer.alloc(32, 7).toString('base64');
		const credential = merchantCredential(sandbox, 'httpSignature', { sharedSecretKey: wrong });
		const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Authorize', authorizeParameters(), credential)]);
		expect(result.error?.message).toMatch(/^Cybersource answered HTTP 401: Authentication Failed: signature mismatch/);
		expect(JSON.stringify(result.error)).not.toContain(wrong);
		expect(sandbox.stats()).toMatchObject({ apiRequests: 1, apiUnauthorized: 1, transactions: 0 });
	});

	it.each([
		[{ sharedSecretKey: 'not base64!' }, 'httpSignature', /^Shared Secret Key: is not base64/],
		[{ merchantId: '' }, 'httpSignature', /^Merchant ID: is empty/],
		[{ keyId: '' }, 'jwtHs256', /^Key ID: is empty/],
		[{ privateKey: 'foreign' }, 'jwtRs256', /^Private Key: does not belong to the Certificate/],
		[{ privateKey: 'encrypted', privateKeyPassphrase: 'wrong passphrase' }, 'jwtRs256', /^Private Key Passphrase: does not decrypt the private key/],
		[{ certificate: 'not a certificate' }, 'jwtRs256', /^Certificate: is not a PEM certificate/],
	] as const)('bad input %j (%s) is refused naming the field, before any request', async (data, type, message) => {
		const resolved: Record<string, string> = { ...data };
		if (resolved.privateKey === 'foreign') resolved.privateKey = sandbox.pki.foreignMerchantKey;
		if (resolved.privateKey === 'encrypted') {
			resolved.privateKey = createPrivateKey(sandbox.pki.merchantKey).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right passphrase' }).toString();
		}
		const credential = merchantCredential(sandbox, type, resolved, `bad-${Object.keys(data).join('-')}`);
		const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Authorize', authorizeParameters(), credential)]);
		expect(result.error?.message).toMatch(message);
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('the OAuth operations say they need the partner credential', async () => {
		const credential = merchantCredential(sandbox);
		const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Refresh', { resource: 'oauth', operation: 'refreshAccessToken' }, credential)]);
		expect(result.error?.message).toMatch(/^Authentication: the OAuth operations need the "Cybersource OAuth2 API" credential/);
	});
});

describe('message-level encryption (MLE) with a JWT merchant key', () => {
	const mle = (type: 'jwtHs256' | 'jwtRs256', data: Record<string, unknown>, id = `mle-${type}-${Object.keys(data).join('-')}`) =>
		merchantCredential(sandbox, type, { mleCertificate: sandbox.pki.mleCert, ...data } as Record<string, string>, id);
	const encrypted = { requestEncryption: 'whereAccepted', responseEncryption: true, responseMleKeyId: RESPONSE_MLE_KEY_ID, responseMlePrivateKey: '' };

	it.each([['jwtHs256'], ['jwtRs256']] as const)('%s: every request encrypted, every answer decrypted; where Cybersource requires MLE a plain request is refused', async (type) => {
		sandbox.requireRequestMle(true);
		const credential = mle(type, { ...encrypted, responseMlePrivateKey: sandbox.pki.responseMleKey });
		const helper = credentialsHelper([credential]);
		const result = await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential), cybersourceNode('Capture', capture, credential), cybersourceNode('Get', lookUp, credential)], [{ reference: 'MLE-1', amount: '12.00' }]);
		expect(result.error).toBeUndefined();
		expect(result.output('Authorize')[0]).toMatchObject({ status: 'AUTHORIZED', clientReferenceInformation: { code: 'MLE-1' } });
		expect(result.output('Capture')[0].status).toBe('PENDING');
		expect(result.output('Get')[0].id).toBe(result.output('Capture')[0].id);
		const posts = sandbox.apiRequests().filter((request) => request.method === 'POST');
		expect(posts).toHaveLength(2);
		for (const request of posts) {
			expect(Object.keys(JSON.parse(request.body))).toEqual(['encryptedRequest']);
			expect(request.decryptedBody).toBeDefined();
		}
		expect(posts[0].body).not.toContain('4111111111111111');
		// The same credential without request encryption: refused by the sandbox that requires it.
		const plain = mle(type, { requestEncryption: 'whereRequired' }, `plain-${type}`);
		const refused = await runCybersource(credentialsHelper([plain]), [cybersourceNode('Authorize', authorizeParameters(), plain)]);
		expect(refused.error?.message).toMatch(/HTTP 400 INVALID_DATA: Declined - message-level encryption is required/);
	});

	it('an error answer comes encrypted too and is read decrypted', async () => {
		const credential = mle('jwtHs256', { ...encrypted, responseMlePrivateKey: sandbox.pki.responseMleKey });
		const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Get', { resource: 'transaction', operation: 'get', transactionId: '404404' }, credential)]);
		expect(result.error?.message).toMatch(/^Cybersource answered HTTP 404 NOT_FOUND: The requested transaction 404404 does not exist/);
	});

	it.each([
		[{ authenticationType: 'httpSignature', requestEncryption: 'whereAccepted' }, /^Authentication Type: HTTP Signature cannot carry message-level encryption, which Encrypt Requests \(MLE\) asks for/],
		[{ authenticationType: 'httpSignature', responseEncryption: true, responseMleKeyId: RESPONSE_MLE_KEY_ID, responseMlePrivateKey: 'key' }, /^Authentication Type: HTTP Signature cannot carry message-level encryption, which Encrypted Answers \(Response MLE\) asks for/],
		[{ requestEncryption: 'whereAccepted', mleCertificate: '' }, /^MLE Certificate: is empty, but Encrypt Requests \(MLE\) is Wherever Cybersource Accepts It/],
		[{ mleCertificate: 'not a certificate' }, /^MLE Certificate: is not a PEM certificate/],
		[{ responseEncryption: true, responseMleKeyId: '', responseMlePrivateKey: 'key' }, /^Response MLE Key ID: is empty/],
		[{ responseEncryption: true, responseMleKeyId: RESPONSE_MLE_KEY_ID, responseMlePrivateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, /^Response MLE Private Key: is not an unencrypted PEM private key/],
	] as const)('bad MLE settings %j are refused naming the field, before any request', async (data, message) => {
		const resolved: Record<string, unknown> = { ...data };
		if (resolved.responseMlePrivateKey === 'key') resolved.responseMlePrivateKey = sandbox.pki.responseMleKey;
		const type = (resolved.authenticationType as 'httpSignature' | undefined) ?? 'jwtHs256';
		const credential = mle(type as 'jwtHs256', resolved);
		const result = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Authorize', authorizeParameters(), credential)]);
		expect(result.error?.message).toMatch(message);
		expect(JSON.stringify(result.error)).not.toMatch(/PRIVATE KEY-----\\n[A-Za-z0-9+/]{20}/);
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('a request Cybersource requires encrypted is refused before sending when it cannot be; a wrong response key is named, the key never shown', async () => {
		const httpSignature = merchantCredential(sandbox, 'httpSignature');
		const tokenize = { resource: 'customApiCall', operation: 'call', method: 'POST', path: '/tms/v2/tokenize', body: '{"processingInformation":{"actionList":["TOKEN_CREATE"]}}' };
		const refused = await runCybersource(credentialsHelper([httpSignature]), [cybersourceNode('Tokenize', tokenize, httpSignature)]);
		expect(refused.error?.message).toMatch(/^Encrypt Requests \(MLE\): POST \/tms\/v2\/tokenize must be sent encrypted/);
		expect(sandbox.stats().apiRequests).toBe(0);
		const wrongKey = mle('jwtHs256', { ...encrypted, responseMlePrivateKey: sandbox.pki.merchantKey });
		const unreadable = await runCybersource(credentialsHelper([wrongKey]), [cybersourceNode('Authorize', authorizeParameters(), wrongKey)]);
		expect(unreadable.error?.message).toMatch(/^Response MLE Private Key: could not decrypt the answer: it was encrypted to another key/);
		expect(JSON.stringify(unreadable.error)).not.toContain('BEGIN');
	});

	it("n8n's HTTP Request node: the request is encrypted by the credential; the answer reaches it as Cybersource sent it", async () => {
		const credential = mle('jwtHs256', { ...encrypted, responseMlePrivateKey: sandbox.pki.responseMleKey });
		const post = await callApi({
			helper: credentialsHelper([credential]),
			credential,
			urls: [`${sandbox.restUrl}/pts/v2/payments`],
			method: 'POST',
			httpHelper: 'httpRequestWithAuthentication',
			body: { clientReferenceInformation: { code: 'HTTP-MLE' }, paymentInformation: { card: { number: '4111111111111111', expirationMonth: '12', expirationYear: '2031' } }, orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } } },
		});
		expect(post.error).toBeUndefined();
		expect(Object.keys(post.output()[0])).toEqual(['encryptedResponse']);
		expect(sandbox.transactionsByReference().payment).toEqual({ 'HTTP-MLE': 1 });
		expect(Object.keys(JSON.parse(sandbox.lastApiRequest()!.body))).toEqual(['encryptedRequest']);
	});
});

describe('the merchant key in n8n\'s HTTP Request node (predefined credential type)', () => {
	it.each([['requestWithAuthentication'], ['httpRequestWithAuthentication']] as const)('%s: POST with a JSON body and a query string, and GET, signed as sent', async (httpHelper) => {
		for (const type of ['httpSignature', 'jwtRs256'] as const) {
			const credential = merchantCredential(sandbox, type);
			const helper = credentialsHelper([credential]);
			const post = await callApi({
				helper,
				credential,
				urls: [`${sandbox.restUrl}/pts/v2/payments?source=n8n&n=1`],
				method: 'POST',
				httpHelper,
				body: { clientReferenceInformation: { code: 'HTTP-1' }, paymentInformation: { card: { number: '4111111111111111', expirationMonth: '12', expirationYear: '2031' } }, orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } } },
			});
			expect(post.error).toBeUndefined();
			expect(post.output()[0].status).toBe('AUTHORIZED');
			const get = await callApi({ helper, credential, urls: [`${sandbox.restUrl}/tss/v2/transactions/${String(post.output()[0].id)}`], httpHelper });
			expect(get.error).toBeUndefined();
			expect(get.output()[0].id).toBe(post.output()[0].id);
		}
		expect(sandbox.stats()).toMatchObject({ apiUnauthorized: 0, merchantRequests: 4 });
	});
});

describe('the credential test button', () => {
	it('reports success for a good key and the refusal for a wrong one', async () => {
		for (const type of ['httpSignature', 'jwtRs256', 'jwtHs256'] as const) {
			const credential = merchantCredential(sandbox, type);
			const good = await testCredential(credentialsHelper([credential]), 'cybersourceApi', { id: credential.id, name: credential.name, type: credential.type, data: credential.data });
			expect(good).toMatchObject({ status: 'OK' });
		}
		const wrong = merchantCredential(sandbox, 'httpSignature', { sharedSecretKey: Buffer.alloc(32, 9).toString('base64') });
		const bad = await testCredential(credentialsHelper([wrong]), 'cybersourceApi', { id: wrong.id, name: wrong.name, type: wrong.type, data: wrong.data });
		expect(bad).toEqual({ status: 'Error', message: expect.stringMatching(/^Cybersource refused the signature: check the Merchant ID/) });
		// Three good tests, and the bad one twice: n8n's test path resends a request refused with 401 once (a GET).
		expect(sandbox.stats().merchantRequests).toBe(5);
	});
});
