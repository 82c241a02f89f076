/**
 * merchantSigning: what signing one request with a merchant key costs, for a 1 KB JSON body, as
 * the credential's `authenticate` does it for every request: a fresh decrypted copy of the
 * credential (n8n hands one per request), the signer found by its raw fields (the secret decoded
 * and the key parsed once), the body serialized, digest and signature computed. Also the first
 * request of a credential (signer built: base64 decoding, PEM and certificate parsing).
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { merchantAuthenticate, merchantSigner } from '../../lib/n8n/merchantAuth';
import { getSandboxPki } from '../../test/servers/cybersource/pki';
import { DEFAULT_MERCHANT_ID, DEFAULT_MERCHANT_KEY_ID, DEFAULT_MERCHANT_SECRET } from '../../test/servers/cybersource/testValues';
import { median, round, type Scenario } from './common';

const BATCH = 100;

/** A payment body of about 1 KB. */
function paymentBody(): Record<string, unknown> {
	return {
		clientReferenceInformation: { code: 'BENCH-0001', comments: 'x'.repeat(420) },
		processingInformation: { capture: false, commerceIndicator: 'internet' },
		paymentInformation: { card: { number: '4111111111111111', expirationMonth: '12', expirationYear: '2031', securityCode: '123' } },
		orderInformation: {
			amountDetails: { totalAmount: '102.21', currency: 'USD' },
			billTo: { firstName: 'Ada', lastName: 'Lovelace', address1: '1 Market St', locality: 'San Francisco', administrativeArea: 'CA', postalCode: '94105', country: 'US', email: 'ada@example.com', phoneNumber: '4158880000' },
		},
	};
}

async function perCall(batches: number, work: () => Promise<unknown>): Promise<number> {
	const samples: number[] = [];
	for (let b = 0; b < batches; b++) {
		const started = process.hrtime.bigint();
		for (let i = 0; i < BATCH; i++) await work();
		samples.push(Number(process.hrtime.bigint() - started) / BATCH);
	}
	return median(samples);
}

export const merchantSigning: Scenario = {
	name: 'merchantSigning',
	label: ({ quick }) => `merchantSigning: a 1 KB JSON request signed ${quick ? '5k' : '50k'} times per scheme`,
	async run({ quick }) {
		const batches = quick ? 50 : 500;
		const pki = getSandboxPki();
		const base: ICredentialDataDecryptedObject = {
			environment: 'test',
			merchantId: DEFAULT_MERCHANT_ID,
			keyId: DEFAULT_MERCHANT_KEY_ID,
			sharedSecretKey: DEFAULT_MERCHANT_SECRET,
			certificate: pki.merchantCert,
			privateKey: pki.merchantKey,
		};
		const body = paymentBody();
		const bodyBytes = JSON.stringify(body).length;
		const result: Record<string, number> = {};
		for (const type of ['httpSignature', 'jwtRs256', 'jwtHs256']) {
			const data = { ...base, authenticationType: type };
			const sign = async () => {
				const options: IHttpRequestOptions = { method: 'POST', url: 'https://apitest.cybersource.com/pts/v2/payments', json: true, body };
				return await merchantAuthenticate({ ...data }, options);
			};
			for (let i = 0; i < 200; i++) await sign(); // warm up
			result[`usPerRequest_${type}`] = round((await perCall(batches, sign)) / 1000, 2);
			result[`usFirstRequest_${type}`] = round((await perCall(Math.max(5, batches / 10), async () => merchantSigner({ ...data }))) / 1000, 1);
		}
		return {
			result: { scenario: 'merchantSigning', bodyBytes, ...result, quick },
			checks: [],
			notes: ['per request: a fresh credential copy, the cached signer, JSON serialization, SHA-256 digest, HMAC-SHA256 or RS256', 'first request: the signer built (base64 decode; PEM key and certificate parsed for RS256)'],
		};
	},
};
