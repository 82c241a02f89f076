/**
 * messageEncryption: what a merchant-key request costs with Cybersource's 2026 rules, JWT HS256
 * with message-level encryption both ways, for a 1 KB payment: the credential's `authenticate`
 * (body encrypted to the MLE certificate, then digested and signed) and the node's reading of a
 * 1 KB encrypted answer. Beside it in the same run, Cybersource's newest Node SDK doing the same
 * with the same body and keys: MLEUtility.encryptRequestPayload, ApiClient.callAuthenticationHeader
 * and MLEUtility.checkAndDecryptEncryptedResponse.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { merchantAnswer, merchantAuthenticate } from '../../packages/n8n-nodes-cybersource/lib/n8n/merchantAuth';
import { encryptedAnswer } from '../../test/servers/cybersource/mle';
import { getSandboxPki } from '../../test/servers/cybersource/pki';
import { DEFAULT_MERCHANT_ID, DEFAULT_MERCHANT_KEY_ID, DEFAULT_MERCHANT_SECRET, RESPONSE_MLE_KEY_ID } from '../../test/servers/cybersource/testValues';
import { check, measureAsync, round, type Scenario } from './common';
import { paymentBody, sdkAuthentication, SDK_VERSION } from './merchantSigning';

/** A payment answer of about 1 KB, as Cybersource sends it before encryption. */
function paymentAnswer(): Record<string, unknown> {
	return {
		id: '7174158480136574304951',
		submitTimeUtc: '2026-12-06T08:00:00Z',
		status: 'AUTHORIZED',
		reconciliationId: '74158480136574304951',
		clientReferenceInformation: { code: 'BENCH-0001', transactionId: 'n8n0123456789abcdef0123456789a' },
		orderInformation: { amountDetails: { authorizedAmount: '102.21', currency: 'USD' } },
		paymentAccountInformation: { card: { type: '001' } },
		paymentInformation: { card: { type: '001', suffix: '1111' }, tokenizedCard: { type: '001' } },
		processorInformation: { approvalCode: '888888', responseCode: '100', avs: { code: 'X', codeRaw: 'I1' }, transactionId: '74158480136574304951', networkTransactionId: '123456789619999' },
		_links: { self: { href: '/pts/v2/payments/7174158480136574304951', method: 'GET' }, capture: { href: '/pts/v2/payments/7174158480136574304951/captures', method: 'POST' } },
		notes: 'x'.repeat(300),
	};
}

type Sdk = { request(body: unknown): Promise<Record<string, unknown>>; answer(encrypted: unknown): Promise<unknown> };

/** The SDK's MLE path, configured as a shared-secret JWT merchant with MLE both ways (the same keys). */
function sdkMle(pki: { mleCert: string; responseMleKey: string }): Sdk | undefined {
	const sdk = sdkAuthentication();
	if (sdk === undefined) return undefined;
	const certificatePath = join(sdk.folder, 'mle-request-cert.pem');
	writeFileSync(certificatePath, pki.mleCert);
	const privateKeyPath = join(sdk.folder, 'response-mle-key.pem');
	writeFileSync(privateKeyPath, pki.responseMleKey, { mode: 0o600 });
	const settings = {
		runEnvironment: 'apitest.cybersource.com',
		merchantID: DEFAULT_MERCHANT_ID,
		logConfiguration: { enableLog: false },
		authenticationType: 'jwt',
		jwtKeyType: 'SHARED_SECRET',
		merchantKeyId: DEFAULT_MERCHANT_KEY_ID,
		merchantsecretKey: DEFAULT_MERCHANT_SECRET,
		mleForRequestPublicCertPath: certificatePath,
		enableRequestMLEForOptionalApisGlobally: true,
		enableResponseMleGlobally: true,
		responseMleKID: RESPONSE_MLE_KEY_ID,
		responseMlePrivateKeyFilePath: privateKeyPath,
	};
	/* eslint-disable @typescript-eslint/no-require-imports */
	const MerchantConfig = require(join(sdk.authentication, 'core', 'MerchantConfig')) as new (settings: object) => object;
	const MLEUtility = require(join(sdk.authentication, 'util', 'MLEUtility')) as {
		encryptRequestPayload(config: object, body: unknown): Promise<unknown>;
		checkAndDecryptEncryptedResponse(body: unknown, config: object): Promise<unknown>;
	};
	const ApiClient = require(join(sdk.authentication, '..', 'ApiClient')) as new () => {
		setConfiguration(settings: object): void;
		callAuthenticationHeader(method: string, target: string, body: string, headers: Record<string, unknown>, responseMle: boolean): Record<string, unknown>;
	};
	/* eslint-enable @typescript-eslint/no-require-imports */
	const config = new MerchantConfig(settings);
	const client = new ApiClient();
	client.setConfiguration(settings);
	return {
		// What the SDK's PaymentsApi and ApiClient do per request: encrypt, serialize, then every auth header over the envelope.
		request: async (body) => {
			const envelope = await MLEUtility.encryptRequestPayload(config, body);
			const headers = client.callAuthenticationHeader('POST', '/pts/v2/payments', JSON.stringify(envelope, null, 0), {}, true);
			return { envelope, headers };
		},
		answer: async (encrypted) => await MLEUtility.checkAndDecryptEncryptedResponse(encrypted, config),
	};
}

export const messageEncryption: Scenario = {
	name: 'messageEncryption',
	label: ({ quick }) => `messageEncryption: JWT HS256 + request MLE + response decryption, ${quick ? '2k' : '20k'} requests, beside Cybersource's Node SDK`,
	async run({ quick }) {
		const batches = quick ? 20 : 200;
		const pki = getSandboxPki();
		const data: ICredentialDataDecryptedObject = {
			environment: 'test',
			merchantId: DEFAULT_MERCHANT_ID,
			authenticationType: 'jwtHs256',
			keyId: DEFAULT_MERCHANT_KEY_ID,
			sharedSecretKey: DEFAULT_MERCHANT_SECRET,
			requestEncryption: 'whereAccepted',
			mleCertificate: pki.mleCert,
			responseEncryption: true,
			responseMleKeyId: RESPONSE_MLE_KEY_ID,
			responseMlePrivateKey: pki.responseMleKey,
		};
		const body = paymentBody();
		const answer = paymentAnswer();
		const encrypted = encryptedAnswer(answer, pki.responseMleCert, RESPONSE_MLE_KEY_ID, Math.floor(Date.now() / 1000));
		const request = async () => {
			const options: IHttpRequestOptions = { method: 'POST', url: 'https://apitest.cybersource.com/pts/v2/payments', json: true, body };
			return await merchantAuthenticate({ ...data }, options);
		};
		const read = async () => merchantAnswer({ ...data }, encrypted);
		const both = async () => {
			await request();
			return read();
		};
		const sample = await request();
		const checks = [
			check('the request body sent is an encryptedRequest envelope', Object.keys(JSON.parse(String(sample.body))).join() === 'encryptedRequest'),
			check('the answer decrypts to the payment', JSON.stringify(await read()) === JSON.stringify(answer)),
		];
		for (let i = 0; i < 100; i++) await both();
		const result: Record<string, number> = {
			usPerRequest_encryptAndSign: round((await measureAsync(batches, request)) / 1000, 1),
			usPerAnswer_decrypt: round((await measureAsync(batches, read)) / 1000, 1),
			usPerExchange: round((await measureAsync(batches, both)) / 1000, 1),
		};
		const notes = ['per exchange: a fresh credential copy, the cached signer, JSON serialization, AES-256-GCM + RSA-OAEP-256 (2048-bit) to the MLE certificate, SHA-256 digest of the envelope, HS256 JWT; then RSA-OAEP-256 unwrap and AES-256-GCM decryption of a 1 KB answer'];
		const sdk = sdkMle(pki);
		if (sdk === undefined) notes.push('cybersource-rest-client could not be installed: no SDK figures');
		else {
			const sdkBoth = async () => {
				await sdk.request(body);
				return await sdk.answer(encrypted);
			};
			checks.push(check("the SDK's answer decrypts to the same payment", JSON.stringify(await sdk.answer(encrypted)) === JSON.stringify(answer)));
			for (let i = 0; i < 100; i++) await sdkBoth();
			result.usPerRequest_encryptAndSignSdk = round((await measureAsync(batches, async () => sdk.request(body))) / 1000, 1);
			result.usPerAnswer_decryptSdk = round((await measureAsync(batches, async () => sdk.answer(encrypted))) / 1000, 1);
			result.usPerExchangeSdk = round((await measureAsync(batches, sdkBoth)) / 1000, 1);
			result.exchangeCostVsSdk = round(result.usPerExchange / result.usPerExchangeSdk, 2);
			notes.push(`SDK: cybersource-rest-client ${SDK_VERSION} (jose), the same body, keys and encrypted answer`);
		}
		return { result: { scenario: 'messageEncryption', ...result, quick }, checks, notes };
	},
};
