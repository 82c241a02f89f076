/**
 * merchantSigning: what signing one request with a merchant key costs, for a 1 KB JSON body, as
 * the credential's `authenticate` does it for every request: a fresh decrypted copy of the
 * credential (n8n hands one per request), the signer found by its raw fields (the secret decoded
 * and the key parsed once), the body serialized, digest and signature computed. Also the first
 * request of a credential (signer built: base64 decoding, PEM and certificate parsing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { httpSignatureHeaders } from '../../packages/n8n-nodes-cybersource/lib/cybersource/merchantSignature';
import { merchantAuthenticate, merchantSigner } from '../../packages/n8n-nodes-cybersource/lib/n8n/merchantAuth';
import { getSandboxPki } from '../../test/servers/cybersource/pki';
import { DEFAULT_MERCHANT_ID, DEFAULT_MERCHANT_KEY_ID, DEFAULT_MERCHANT_SECRET } from '../../test/servers/cybersource/testValues';
import { CLI_CACHE } from '../n8n/cli';
import { check, measureAsync, round, type Scenario } from './common';

export const SDK_VERSION = '0.0.83';

type SdkScheme = 'httpSignature' | 'jwtRs256' | 'jwtHs256';

/** The SDK installed into the cache folder; the folder of its `src/authentication`, or undefined. */
export function sdkAuthentication(): { folder: string; authentication: string } | undefined {
	const folder = join(CLI_CACHE, `cybersource-rest-client-${SDK_VERSION}`);
	const authentication = join(folder, 'node_modules', 'cybersource-rest-client', 'src', 'authentication');
	if (!existsSync(authentication)) {
		mkdirSync(folder, { recursive: true });
		writeFileSync(join(folder, 'package.json'), '{"private":true}\n');
		const installed = spawnSync('npm', ['install', `cybersource-rest-client@${SDK_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder, stdio: 'ignore', timeout: 180_000 });
		if (installed.status !== 0) return undefined;
	}
	return { folder, authentication };
}

/**
 * The merchant's .p12 as the Business Center hands it out (alias and password: the merchant ID),
 * made with `openssl pkcs12` from the sandbox's PEMs, with the algorithms node-forge (the SDK's
 * PKCS#12 reader) understands. Returns the folder it is in.
 */
function merchantP12(folder: string, pki: { merchantCert: string; merchantKey: string }): string | undefined {
	const keys = join(folder, 'keys');
	mkdirSync(keys, { recursive: true });
	writeFileSync(join(keys, 'merchant.pem'), pki.merchantCert);
	writeFileSync(join(keys, 'merchant.key'), pki.merchantKey, { mode: 0o600 });
	const made = spawnSync('openssl', ['pkcs12', '-export', '-in', 'merchant.pem', '-inkey', 'merchant.key', '-name', `CN=${DEFAULT_MERCHANT_ID}`, '-passout', `pass:${DEFAULT_MERCHANT_ID}`, '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-out', `${DEFAULT_MERCHANT_ID}.p12`], { cwd: keys, stdio: 'ignore' });
	return made.status === 0 ? keys : undefined;
}

/**
 * Cybersource's own Node SDK (cybersource-rest-client), installed for the benchmark only into the
 * cache folder of the real-n8n suite (never a dependency of the package): its signer for one
 * scheme, fed what its ApiClient feeds it per request (MerchantConfig + Authorization.getToken).
 */
function sdkSigner(scheme: SdkScheme, pki: { merchantCert: string; merchantKey: string }): { signature: (body: unknown) => string; headers: (body: unknown) => Record<string, unknown> } | undefined {
	const sdk = sdkAuthentication();
	if (sdk === undefined) return undefined;
	/* eslint-disable @typescript-eslint/no-require-imports */
	const MerchantConfig = require(join(sdk.authentication, 'core', 'MerchantConfig')) as new (settings: object) => {
		setRequestType(type: string): void;
		setRequestTarget(target: string): void;
		setRequestJsonData(json: string): void;
	};
	const Authorization = require(join(sdk.authentication, 'core', 'Authorization')) as { getToken(config: object, mle: boolean, logger: object): string };
	/* eslint-enable @typescript-eslint/no-require-imports */
	const common = { runEnvironment: 'apitest.cybersource.com', merchantID: DEFAULT_MERCHANT_ID, logConfiguration: { enableLog: false } };
	let settings: object;
	if (scheme === 'jwtRs256') {
		const keysDirectory = merchantP12(sdk.folder, pki);
		if (keysDirectory === undefined) return undefined;
		settings = { ...common, authenticationType: 'jwt', keysDirectory, keyFileName: DEFAULT_MERCHANT_ID, keyAlias: DEFAULT_MERCHANT_ID, keyPass: DEFAULT_MERCHANT_ID };
	} else {
		settings = { ...common, authenticationType: scheme === 'jwtHs256' ? 'jwt' : 'http_signature', jwtKeyType: 'SHARED_SECRET', merchantKeyId: DEFAULT_MERCHANT_KEY_ID, merchantsecretKey: DEFAULT_MERCHANT_SECRET };
	}
	const config = new MerchantConfig(settings);
	const quiet = { info() {}, debug() {}, warn() {}, error() {} };
	const signature = (body: unknown) => {
		config.setRequestType('POST');
		config.setRequestTarget('/pts/v2/payments');
		config.setRequestJsonData(JSON.stringify(body));
		return Authorization.getToken(config, false, quiet);
	};
	// What the SDK's ApiClient does per request to authenticate it (callApi: the body serialized,
	// then callAuthenticationHeader: every auth header, the digest header included), with its own
	// logger configured as above (logging off): the counterpart of the credential's `authenticate`.
	/* eslint-disable-next-line @typescript-eslint/no-require-imports */
	const ApiClient = require(join(sdk.authentication, '..', 'ApiClient')) as new () => {
		setConfiguration(settings: object): void;
		callAuthenticationHeader(method: string, target: string, body: string, headers: Record<string, unknown>, mle: boolean): Record<string, unknown>;
	};
	const client = new ApiClient();
	client.setConfiguration(settings);
	const headers = (body: unknown) => client.callAuthenticationHeader('POST', '/pts/v2/payments', JSON.stringify(body, null, 0), {}, false);
	return { signature, headers };
}

/** A payment body of about 1 KB. */
export function paymentBody(): Record<string, unknown> {
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
			result[`usPerRequest_${type}`] = round((await measureAsync(batches, sign)) / 1000, 2);
			result[`usFirstRequest_${type}`] = round((await measureAsync(Math.max(5, batches / 10), async () => merchantSigner({ ...data }))) / 1000, 1);
		}
		// Side by side in this run: the bare HTTP Signature of the package (serialize, digest, sign)
		// and Cybersource's SDK doing the same for the same body.
		const key = { merchantId: DEFAULT_MERCHANT_ID, keyId: DEFAULT_MERCHANT_KEY_ID, secret: Buffer.from(DEFAULT_MERCHANT_SECRET, 'base64') };
		const ours = async () => httpSignatureHeaders(key, { method: 'POST', host: 'apitest.cybersource.com', pathWithQuery: '/pts/v2/payments', body: JSON.stringify(body) });
		result.usPerRequest_httpSignatureCore = round((await measureAsync(batches, ours)) / 1000, 2);
		// The SDK signing the same body, scheme by scheme, in the same run.
		const sdkSchemes: string[] = [];
		const sdkChecks: ReturnType<typeof check>[] = [];
		for (const scheme of ['httpSignature', 'jwtRs256', 'jwtHs256'] as const) {
			const sdk = sdkSigner(scheme, pki);
			if (sdk === undefined) continue;
			sdkSchemes.push(scheme);
			const sdkBatches = scheme === 'jwtRs256' ? Math.max(5, batches / 10) : batches;
			for (let i = 0; i < 200; i++) sdk.signature(body);
			result[`usPerRequest_${scheme}Sdk`] = round((await measureAsync(sdkBatches, async () => sdk.signature(body))) / 1000, 2);
			const sample = sdk.headers(body);
			sdkChecks.push(check(`the SDK's ${scheme} headers carry a signature`, typeof sample[scheme === 'httpSignature' ? 'signature' : 'Authorization'] === 'string'));
			for (let i = 0; i < 200; i++) sdk.headers(body);
			result[`usPerRequest_${scheme}SdkHeaders`] = round((await measureAsync(sdkBatches, async () => sdk.headers(body))) / 1000, 2);
			result[`${scheme}CostVsSdk`] = round(result[`usPerRequest_${scheme}`] / result[`usPerRequest_${scheme}SdkHeaders`], 2);
		}
		return {
			result: { scenario: 'merchantSigning', bodyBytes, ...result, quick },
			checks: sdkChecks,
			notes: [
				sdkSchemes.length === 0
					? 'cybersource-rest-client could not be installed: no SDK figures'
					: `SDK: cybersource-rest-client ${SDK_VERSION}, same body, for ${sdkSchemes.join(', ')}; JWT RS256 from a .p12 made from the same PEMs. Sdk: Authorization.getToken alone (the signature); SdkHeaders: ApiClient.callAuthenticationHeader (every auth header, what the SDK does per request); CostVsSdk: the whole authenticate against SdkHeaders`,
				'per request: a fresh credential copy, the cached signer, JSON serialization, SHA-256 digest, HMAC-SHA256 or RS256', 'first request: the signer built (base64 decode; PEM key and certificate parsed for RS256)',
			],
		};
	},
};
