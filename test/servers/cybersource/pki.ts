import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_MERCHANT_CERT_SERIAL, DEFAULT_MERCHANT_ID, MLE_CERT_SERIAL, RESPONSE_MLE_KEY_ID } from './testValues';

/**
 * The certificates of the local Cybersource sandbox, generated at run time (no key file is ever
 * committed). Cybersource's mutual-auth host `api-ma[test].cybersource.com` only accepts partners
 * presenting a client certificate it trusts (seed 001, "Enabling Mutual Authentication"; DESIGN §4):
 * here one test CA plays Entrust and signs both the server and the partner's client certificate.
 * A second, unrelated CA signs a "foreign" client certificate the sandbox must refuse.
 * All values are PEM strings.
 */
export interface SandboxPki {
	/** The test CA: trust anchor for the server certificate (client side) and client certificates (server side). */
	ca: string;
	/** Server certificate for 127.0.0.1 / localhost (subjectAltName IP:127.0.0.1, DNS:localhost). */
	serverCert: string;
	serverKey: string;
	/** The partner's client certificate (EC P-256, extendedKeyUsage clientAuth), signed by `ca`. */
	clientCert: string;
	/** Its private key, unencrypted PKCS#8 (`BEGIN PRIVATE KEY`). */
	clientKey: string;
	/** The same key as encrypted PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`, AES-256-CBC). */
	clientKeyEncrypted: string;
	clientKeyPassphrase: string;
	/** Subject common name of `clientCert` (Cybersource whitelists the partner certificate by CN). */
	clientCommonName: string;
	/** An unrelated CA and a client certificate it signed: valid X.509, but not trusted by the sandbox. */
	foreignCa: string;
	foreignClientCert: string;
	foreignClientKey: string;
	/** The merchant's certificate and RSA key, as Cybersource's .p12 holds them after `openssl pkcs12` (subject serialNumber: the JWT `kid`). */
	merchantCert: string;
	merchantKey: string;
	/** Another RSA key of the same size (belongs to no certificate). */
	foreignMerchantKey: string;
	/** Cybersource's MLE certificate (subject CN=CyberSource_SJC_US, serialNumber = its JWE `kid`) and the key only Cybersource holds. */
	mleCert: string;
	mleKey: string;
	/** The merchant's "REST - API Response MLE" key: certificate (subject serialNumber = its key ID) and private key. */
	responseMleCert: string;
	responseMleKey: string;
}

export const SANDBOX_CLIENT_COMMON_NAME = 'n8n-cybersource-partner.sandbox.test';

const VALIDITY_DAYS = '30';

// Minimal OpenSSL configuration so the result never depends on the machine's openssl.cnf.
const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
[dn]
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

// EC P-256 everywhere: generation is instant (an RSA 2048 key costs 0.25-0.8 s), and TLS does not care.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

let cached: SandboxPki | undefined;

/** The sandbox PKI, generated once per process (nine `openssl` runs, about 0.1 s). */
export function getSandboxPki(): SandboxPki {
	cached ??= generateSandboxPki();
	return cached;
}

/** Generates a fresh PKI with the `openssl` command-line tool (node:crypto cannot sign X.509). */
export function generateSandboxPki(): SandboxPki {
	const dir = mkdtempSync(join(tmpdir(), 'cybs-sandbox-pki-'));
	try {
		const file = (name: string) => join(dir, name);
		const config = file('openssl.cnf');
		writeFileSync(config, OPENSSL_CONFIG);
		const openssl = (args: string[]) => {
			try {
				// No shell: arguments go to openssl as they are.
				execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OPENSSL_CONF: config } });
			} catch (error) {
				const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
				throw new Error(`openssl ${args[0]} failed while generating the sandbox PKI: ${stderr || (error as Error).message}`);
			}
		};
		const selfSignedCa = (name: string, commonName: string) =>
			openssl(['req', '-x509', '-new', ...EC_KEY, '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`),
				'-days', VALIDITY_DAYS, '-subj', `/O=n8n-nodes-cybersource tests/CN=${commonName}`, '-config', config, '-extensions', 'v3_ca']);
		const issued = (name: string, ca: string, keyArgs: string[], subject: string, extensions: string) => {
			openssl(['req', '-new', ...keyArgs, '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject, '-config', config]);
			openssl(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${ca}.pem`), '-CAkey', file(`${ca}.key`),
				'-set_serial', `0x${randomBytes(12).toString('hex')}`, '-days', VALIDITY_DAYS, '-out', file(`${name}.pem`),
				'-extfile', config, '-extensions', extensions]);
		};

		selfSignedCa('ca', 'Cybersource Sandbox Test CA');
		issued('server', 'ca', EC_KEY, '/O=n8n-nodes-cybersource tests/CN=127.0.0.1', 'server_ext');
		issued('client', 'ca', EC_KEY, `/O=n8n-nodes-cybersource tests/CN=${SANDBOX_CLIENT_COMMON_NAME}`, 'client_ext');
		selfSignedCa('foreign-ca', 'Unrelated Test CA');
		issued('foreign-client', 'foreign-ca', EC_KEY, `/O=Someone else/CN=${SANDBOX_CLIENT_COMMON_NAME}`, 'client_ext');

		for (const name of ['merchant', 'foreign-merchant']) {
			openssl(['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`), '-days', VALIDITY_DAYS,
				'-subj', `/CN=${DEFAULT_MERCHANT_ID}/serialNumber=${DEFAULT_MERCHANT_CERT_SERIAL}`, '-config', config]);
		}

		openssl(['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('mle.key'), '-out', file('mle.pem'), '-days', VALIDITY_DAYS,
			'-subj', `/O=CyberSource/CN=CyberSource_SJC_US/serialNumber=${MLE_CERT_SERIAL}`, '-config', config]);
		openssl(['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('response-mle.key'), '-out', file('response-mle.pem'), '-days', VALIDITY_DAYS,
			'-subj', `/CN=${DEFAULT_MERCHANT_ID}/serialNumber=${RESPONSE_MLE_KEY_ID}`, '-config', config]);

		const passphrase = `sandbox-${randomBytes(9).toString('base64url')}`;
		writeFileSync(file('passphrase.txt'), passphrase);
		openssl(['pkcs8', '-topk8', '-in', file('client.key'), '-v2', 'aes-256-cbc', '-passout', `file:${file('passphrase.txt')}`, '-out', file('client-encrypted.key')]);

		const read = (name: string) => readFileSync(file(name), 'utf8');
		return {
			ca: read('ca.pem'),
			serverCert: read('server.pem'),
			serverKey: read('server.key'),
			clientCert: read('client.pem'),
			clientKey: read('client.key'),
			clientKeyEncrypted: read('client-encrypted.key'),
			clientKeyPassphrase: passphrase,
			clientCommonName: SANDBOX_CLIENT_COMMON_NAME,
			foreignCa: read('foreign-ca.pem'),
			foreignClientCert: read('foreign-client.pem'),
			foreignClientKey: read('foreign-client.key'),
			merchantCert: read('merchant.pem'),
			merchantKey: read('merchant.key'),
			foreignMerchantKey: read('foreign-merchant.key'),
			mleCert: read('mle.pem'),
			mleKey: read('mle.key'),
			responseMleCert: read('response-mle.pem'),
			responseMleKey: read('response-mle.key'),
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
