/**
 * Message-level encryption (lib/cybersource/messageEncryption.ts) against the sandbox's own JWE
 * code (test/servers/cybersource/mle.ts), and a JWT-signed, encrypted payment through the sandbox
 * over HTTP: the request opened there, the answer encrypted to the merchant's Response MLE key.
 */
import { createPrivateKey } from 'node:crypto';

import {
	decryptedAnswer,
	encryptedRequestBody,
	encryptJwe,
	requestEncryptionKey,
	responseDecryptionKey,
} from '../../packages/n8n-nodes-cybersource/lib/cybersource/messageEncryption';
import { merchantJwtHeaders } from '../../packages/n8n-nodes-cybersource/lib/cybersource/merchantSignature';
import { encryptedAnswer, openRequestJwe } from '../servers/cybersource/mle';
import { getSandboxPki } from '../servers/cybersource/pki';
import { startCybersourceSandbox, type Sandbox } from '../servers/cybersource/server';
import { MLE_CERT_SERIAL, RESPONSE_MLE_KEY_ID } from '../servers/cybersource/testValues';

const pki = getSandboxPki();
const now = () => Math.floor(Date.now() / 1000);
const FIELD = 'Response MLE Private Key';
const payment = { clientReferenceInformation: { code: 'mle-1' }, orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } } };

describe('request encryption', () => {
	const key = requestEncryptionKey(pki.mleCert, 'MLE Certificate');

	it("takes the JWE kid from the certificate subject's serialNumber", () => {
		expect(key.kid).toBe(MLE_CERT_SERIAL);
	});

	it('is opened by the sandbox, header RSA-OAEP-256 / A256GCM / JWT / kid / iat', () => {
		const jwe = encryptJwe(JSON.stringify(payment), key, 1_800_000_000);
		expect(JSON.parse(Buffer.from(jwe.split('.')[0], 'base64url').toString())).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: MLE_CERT_SERIAL, iat: 1_800_000_000 });
		const opened = openRequestJwe(jwe, createPrivateKey(pki.mleKey), MLE_CERT_SERIAL, 1_800_000_000);
		expect(opened).toEqual({ ok: true, plaintext: JSON.stringify(payment) });
		// Random key and IV: the same body never encrypts the same way twice.
		expect(encryptJwe(JSON.stringify(payment), key)).not.toBe(encryptJwe(JSON.stringify(payment), key));
	});

	it('an altered ciphertext, another kid or an old iat is refused by the sandbox', () => {
		const jwe = encryptJwe(JSON.stringify(payment), key).split('.');
		const flipped = Buffer.from(jwe[3], 'base64url');
		flipped[0] ^= 1;
		const altered = [...jwe.slice(0, 3), flipped.toString('base64url'), jwe[4]].join('.');
		expect(openRequestJwe(altered, createPrivateKey(pki.mleKey), MLE_CERT_SERIAL, now())).toMatchObject({ ok: false });
		expect(openRequestJwe(jwe.join('.'), createPrivateKey(pki.mleKey), 'another-kid', now())).toMatchObject({ ok: false, message: expect.stringContaining('kid') });
		expect(openRequestJwe(jwe.join('.'), createPrivateKey(pki.mleKey), MLE_CERT_SERIAL, now() + 3600)).toMatchObject({ ok: false, message: expect.stringContaining('iat') });
	});

	it('refuses what is not the MLE certificate, naming the field', () => {
		expect(() => requestEncryptionKey('not a certificate', 'MLE Certificate')).toThrow(/^MLE Certificate: is not a PEM certificate/);
		expect(() => requestEncryptionKey(pki.clientCert, 'MLE Certificate')).toThrow(/^MLE Certificate: has no serialNumber in its subject/);
		// The merchant's own certificate (from the same .p12) has a serialNumber, but is not Cybersource's.
		expect(() => requestEncryptionKey(pki.merchantCert, 'MLE Certificate')).toThrow(/^MLE Certificate: is the certificate of "n8n_sandbox_merchant", not Cybersource's MLE certificate \(CyberSource_SJC_US\)/);
	});
});

describe('response decryption', () => {
	const privateKey = responseDecryptionKey(pki.responseMleKey, FIELD);

	it("opens the sandbox's encrypted answer; a plain answer or a list passes as it is", () => {
		const answer = { id: '1', status: 'AUTHORIZED' };
		expect(decryptedAnswer(encryptedAnswer(answer, pki.responseMleCert, RESPONSE_MLE_KEY_ID, now()), privateKey, FIELD)).toEqual(answer);
		expect(decryptedAnswer(answer, privateKey, FIELD)).toBe(answer);
		expect(decryptedAnswer([{ encryptedResponse: 'x' }], privateKey, FIELD)).toEqual([{ encryptedResponse: 'x' }]);
		expect(decryptedAnswer({ encryptedResponse: 'x', other: 1 }, privateKey, FIELD)).toEqual({ encryptedResponse: 'x', other: 1 });
	});

	it('another key, a broken JWE or no key at all: an error naming the field, never the key', () => {
		const encrypted = encryptedAnswer({ ok: true }, pki.responseMleCert, RESPONSE_MLE_KEY_ID, now());
		const other = responseDecryptionKey(pki.merchantKey, FIELD);
		const errors = [
			() => decryptedAnswer(encrypted, other, FIELD),
			() => decryptedAnswer({ encryptedResponse: 'a.b.c' }, privateKey, FIELD),
			() => decryptedAnswer({ encryptedResponse: `${encrypted.encryptedResponse.slice(0, -4)}AAAA` }, privateKey, FIELD),
			() => decryptedAnswer(encrypted, undefined, FIELD),
		].map((attempt) => {
			try {
				attempt();
				return 'no error';
			} catch (error) {
				return (error as Error).message;
			}
		});
		expect(errors[0]).toMatch(/^Response MLE Private Key: could not decrypt the answer: it was encrypted to another key/);
		expect(errors[1]).toMatch(/^Response MLE Private Key: could not decrypt the answer: it is not a compact JWE/);
		expect(errors[2]).toMatch(/^Response MLE Private Key: could not decrypt the answer: the encrypted content fails its integrity check/);
		expect(errors[3]).toMatch(/^Response MLE Private Key: is empty, but Cybersource encrypted its answer/);
		for (const message of errors) expect(message).not.toMatch(/PRIVATE KEY|MII/);
		expect(() => responseDecryptionKey('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----', FIELD)).toThrow(/^Response MLE Private Key: is not an unencrypted PEM private key/);
	});
});

describe('an encrypted payment through the sandbox (JWT HS256)', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startCybersourceSandbox();
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	beforeEach(() => sandbox.reset());

	const send = async (body: string, options: { responseMleKid?: string; digestOver?: string } = {}) => {
		const url = new URL('/pts/v2/payments', sandbox.restUrl);
		const key = { merchantId: sandbox.merchantKey.merchantId, algorithm: 'HS256' as const, keyId: sandbox.merchantKey.keyId, secret: Buffer.from(sandbox.merchantKey.secret, 'base64') };
		const headers = merchantJwtHeaders(key, { method: 'POST', host: url.host, pathWithQuery: url.pathname, body: options.digestOver ?? body }, undefined, options.responseMleKid);
		const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
		return { status: response.status, json: (await response.json()) as Record<string, unknown> };
	};
	const card = { paymentInformation: { card: { number: '4111111111111111', expirationMonth: '12', expirationYear: String(new Date().getFullYear() + 2) } } };
	const envelope = () => encryptedRequestBody(JSON.stringify({ ...payment, ...card }), requestEncryptionKey(pki.mleCert, 'MLE Certificate'));

	it('is decrypted there, authorized, and answered encrypted to the Response MLE key', async () => {
		const answer = await send(envelope(), { responseMleKid: RESPONSE_MLE_KEY_ID });
		expect(answer.status).toBe(201);
		expect(Object.keys(answer.json)).toEqual(['encryptedResponse']);
		expect(decryptedAnswer(answer.json, responseDecryptionKey(pki.responseMleKey, FIELD), FIELD)).toMatchObject({ status: 'AUTHORIZED', clientReferenceInformation: { code: 'mle-1' } });
		expect(JSON.parse(sandbox.lastApiRequest()!.decryptedBody!)).toMatchObject(payment);
		expect(sandbox.lastApiRequest()!.body).not.toContain('4111111111111111');
	});

	it('refuses a digest over the plaintext instead of the envelope, a plain request where MLE is required, and an unknown response key', async () => {
		const body = envelope();
		expect((await send(body, { digestOver: JSON.stringify({ ...payment, ...card }) })).status).toBe(401);
		sandbox.requireRequestMle(true);
		const plain = await send(JSON.stringify({ ...payment, ...card }));
		expect(plain).toMatchObject({ status: 400, json: { message: 'Declined - message-level encryption is required for this request' } });
		expect((await send(envelope())).status).toBe(201);
		expect((await send(envelope(), { responseMleKid: 'someone-else' })).status).toBe(400);
		expect(sandbox.transactionsByReference().payment).toEqual({ 'mle-1': 1 });
	});
});
