import {
	constants,
	createCipheriv,
	createDecipheriv,
	createPrivateKey,
	privateDecrypt,
	publicEncrypt,
	randomBytes,
	X509Certificate,
	type KeyObject,
} from 'node:crypto';

import { fieldError } from '../oauth2/errors';

/**
 * Cybersource's message-level encryption (MLE, ../shared/CYBERSOURCE-MLE.md §2-§3), n8n-free.
 *
 * - A request body is sent as `{"encryptedRequest":"<JWE>"}`: compact JWE (RFC 7516) with
 *   RSA-OAEP-256 (SHA-256, MGF1-SHA-256) wrapping a random AES-256-GCM key, encrypted to
 *   Cybersource's MLE certificate (`CyberSource_SJC_US`); the header's `kid` is the
 *   `serialNumber` attribute of that certificate's subject. The JWT's digest is then taken over
 *   the envelope, the bytes actually sent.
 * - An answer `{"encryptedResponse":"<JWE>"}` (exactly that one key) is decrypted with the private
 *   key of the merchant's "REST - API Response MLE" key; any other answer is used as it is.
 */

/** The certificate a request is encrypted to, read once. */
export interface RequestEncryptionKey {
	kid: string;
	publicKey: KeyObject;
}

/** What Cybersource names its MLE certificate (the SDKs find it in a .p12 by this common name). */
export const CYBERSOURCE_MLE_COMMON_NAME = 'CyberSource_SJC_US';

/** The `serialNumber` attribute of a certificate's subject (not the X.509 serial number). */
export function subjectSerialNumber(certificate: X509Certificate): string | undefined {
	return /(?:^|\n)serialNumber=([^\n]+)/.exec(certificate.subject)?.[1]?.trim();
}

/** Reads the MLE certificate; a clear error naming `field` when it is not one. */
export function requestEncryptionKey(certificatePem: string, field: string): RequestEncryptionKey {
	let certificate: X509Certificate;
	try {
		certificate = new X509Certificate(certificatePem.trim());
	} catch {
		throw fieldError(field, 'is not a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----).');
	}
	const kid = subjectSerialNumber(certificate);
	if (kid === undefined) {
		throw fieldError(field, `has no serialNumber in its subject: paste the ${CYBERSOURCE_MLE_COMMON_NAME} certificate from the .p12 (see the README's openssl lines).`);
	}
	const commonName = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1]?.trim() ?? '';
	if (commonName.toLowerCase() !== CYBERSOURCE_MLE_COMMON_NAME.toLowerCase()) {
		// The merchant's own certificate from the same .p12 has a serialNumber too: easy to paste by mistake.
		throw fieldError(field, `is the certificate of "${commonName}", not Cybersource's MLE certificate (${CYBERSOURCE_MLE_COMMON_NAME}); copy the other block from the .p12 (see the README).`);
	}
	if (certificate.publicKey.asymmetricKeyType !== 'rsa') throw fieldError(field, 'must hold an RSA public key, as Cybersource\'s MLE certificate does.');
	return { kid, publicKey: certificate.publicKey };
}

/** Reads the Response MLE private key (PEM); a clear error naming `field`, never the key. */
export function responseDecryptionKey(privateKeyPem: string, field: string): KeyObject {
	let key: KeyObject;
	try {
		key = createPrivateKey(privateKeyPem.trim());
	} catch {
		throw fieldError(field, 'is not an unencrypted PEM private key (openssl pkcs12 ... -nocerts -nodes, see the README).');
	}
	if (key.asymmetricKeyType !== 'rsa') throw fieldError(field, 'must be an RSA private key, as the REST - API Response MLE key is.');
	return key;
}

const b64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

/** The JWE of `plaintext` for `key` (header fields in the order Cybersource's Node SDK sends them). */
export function encryptJwe(plaintext: string, key: RequestEncryptionKey, nowSeconds = Math.floor(Date.now() / 1000)): string {
	const header = b64url(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: key.kid, iat: nowSeconds }));
	const contentKey = randomBytes(32);
	const iv = randomBytes(12);
	const wrappedKey = publicEncrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, contentKey);
	const cipher = createCipheriv('aes-256-gcm', contentKey, iv).setAAD(Buffer.from(header, 'ascii'));
	const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
	return [header, b64url(wrappedKey), b64url(iv), b64url(ciphertext), b64url(cipher.getAuthTag())].join('.');
}

/** The body sent in place of `body` (its JSON text): `{"encryptedRequest":"<JWE>"}`. */
export function encryptedRequestBody(body: string, key: RequestEncryptionKey, nowSeconds?: number): string {
	return JSON.stringify({ encryptedRequest: encryptJwe(body, key, nowSeconds) });
}

/** Whether a parsed answer is an encrypted one: a JSON object with exactly the key `encryptedResponse`, a string. */
export function isEncryptedResponse(body: unknown): body is { encryptedResponse: string } {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
	const keys = Object.keys(body);
	return keys.length === 1 && keys[0] === 'encryptedResponse' && typeof (body as { encryptedResponse: unknown }).encryptedResponse === 'string';
}

const CONTENT_CIPHERS: Record<string, { cipher: 'aes-256-gcm' | 'aes-128-gcm'; keyBytes: number }> = {
	A256GCM: { cipher: 'aes-256-gcm', keyBytes: 32 },
	A128GCM: { cipher: 'aes-128-gcm', keyBytes: 16 },
};
const KEY_WRAPS: Record<string, 'sha256' | 'sha1'> = { 'RSA-OAEP-256': 'sha256', 'RSA-OAEP': 'sha1' };

/**
 * Decrypts a compact JWE with `privateKey` (RSA-OAEP-256 or RSA-OAEP, A256GCM or A128GCM, what
 * Cybersource's Node SDK accepts). Throws a field error naming `field`, never key material, when
 * the key does not fit or the JWE was altered.
 */
export function decryptJwe(jwe: string, privateKey: KeyObject, field: string): string {
	const parts = jwe.split('.');
	if (parts.length !== 5) throw fieldError(field, 'could not decrypt the answer: it is not a compact JWE (five parts).');
	const [encodedHeader, wrappedKey, iv, ciphertext, tag] = parts;
	let header: { alg?: unknown; enc?: unknown };
	try {
		header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as typeof header;
	} catch {
		throw fieldError(field, 'could not decrypt the answer: its JWE header is not JSON.');
	}
	const wrap = typeof header.alg === 'string' ? KEY_WRAPS[header.alg] : undefined;
	const content = typeof header.enc === 'string' ? CONTENT_CIPHERS[header.enc] : undefined;
	if (wrap === undefined || content === undefined) {
		throw fieldError(field, `could not decrypt the answer: its JWE uses ${String(header.alg)} / ${String(header.enc)}, not RSA-OAEP-256 / A256GCM.`);
	}
	let contentKey: Buffer;
	try {
		contentKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: wrap }, Buffer.from(wrappedKey, 'base64url'));
	} catch {
		throw fieldError(field, 'could not decrypt the answer: it was encrypted to another key. Check that this is the private key of the REST - API Response MLE key whose key ID the credential names.');
	}
	try {
		if (contentKey.length !== content.keyBytes) throw new Error('content key length');
		const decipher = createDecipheriv(content.cipher, contentKey, Buffer.from(iv, 'base64url'));
		decipher.setAAD(Buffer.from(encodedHeader, 'ascii'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
	} catch {
		throw fieldError(field, 'could not decrypt the answer: the encrypted content fails its integrity check (altered or cut off on the way).');
	}
}

/** An answer as the rest of the package reads it: decrypted when it came encrypted, else as it is. */
export function decryptedAnswer(body: unknown, privateKey: KeyObject | undefined, field: string): unknown {
	if (!isEncryptedResponse(body)) return body;
	if (privateKey === undefined) {
		throw fieldError(field, 'is empty, but Cybersource encrypted its answer: add the private key of the REST - API Response MLE key.');
	}
	const plaintext = decryptJwe(body.encryptedResponse, privateKey, field);
	try {
		return JSON.parse(plaintext) as unknown;
	} catch {
		return plaintext;
	}
}
