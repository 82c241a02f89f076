/**
 * Merchant-key authentication ("Cybersource API" credential) through n8n's engine against the
 * sandbox's REST host, which checks HTTP Signature and JWT with its own code: every operation's
 * requests, the HTTP Request node's, the credential test, and bad input refused before sending.
 */
import { createPrivateKey } from 'node:crypto';

import { testCredential } from '../harness/credential-test';
import { startCybersourceSandbox, type Sandbox } from '../servers/cybersource/server';
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
