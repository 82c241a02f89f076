import { X509Certificate } from 'node:crypto';

import { fieldError } from './errors';
import { loadPrivateKey } from './jwtAssertion';
import { pemBlocks } from './pem';

/** A client certificate and key for mutual TLS (RFC 8705), PEMs in canonical form. */
export interface ClientTlsMaterial {
	cert: string;
	key: string;
	passphrase?: string;
	ca?: string;
}

export interface ClientTlsFields {
	certificate: string;
	privateKey: string;
	passphrase: string;
	ca: string;
}

function blocksOf(text: string, labels: string[]): string {
	return pemBlocks(text)
		.filter((block) => labels.includes(block.label))
		.map((block) => block.pem)
		.join('');
}

/**
 * Normalizes pasted PEMs (cheap; runs per request). `checkClientTls` validates them fully and
 * runs before the first request that uses them.
 */
export function clientTls(
	values: { certificate: string; privateKey: string; passphrase?: string; ca?: string },
	fields: ClientTlsFields,
): ClientTlsMaterial {
	const cert = blocksOf(values.certificate, ['CERTIFICATE']);
	if (cert === '') {
		throw fieldError(fields.certificate, 'is empty or not a PEM certificate. Paste the client certificate, including "-----BEGIN CERTIFICATE-----".');
	}
	const key = blocksOf(values.privateKey, ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);
	if (key === '') {
		throw fieldError(fields.privateKey, 'is empty or not a PEM private key. Paste the private key of the client certificate.');
	}
	const material: ClientTlsMaterial = { cert, key };
	if (values.passphrase) material.passphrase = values.passphrase;
	if (values.ca?.trim()) {
		const ca = blocksOf(values.ca, ['CERTIFICATE']);
		if (ca === '') throw fieldError(fields.ca, 'is not a PEM certificate. Paste the CA certificate(s), or leave it empty to trust the usual CAs.');
		material.ca = ca;
	}
	return material;
}

/** Reads the certificate and key (and passphrase) and checks that they belong together. */
export function checkClientTls(material: ClientTlsMaterial, fields: ClientTlsFields): void {
	let certificate: X509Certificate;
	try {
		certificate = new X509Certificate(material.cert);
	} catch {
		throw fieldError(fields.certificate, 'could not be read. Paste the whole PEM certificate.');
	}
	const key = loadPrivateKey(material.key, material.passphrase, { key: fields.privateKey, passphrase: fields.passphrase });
	if (!certificate.checkPrivateKey(key)) {
		throw fieldError(fields.privateKey, `does not belong to the ${fields.certificate}. Paste the key the certificate was issued for.`);
	}
	if (new Date(certificate.validTo).getTime() < Date.now()) {
		throw fieldError(fields.certificate, `expired on ${certificate.validTo}. Renew it and paste the new one.`);
	}
}
