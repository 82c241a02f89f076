import * as crypto from 'node:crypto';

/**
 * The sandbox's side of message-level encryption (../shared/CYBERSOURCE-MLE.md §2, §3, §6), written
 * apart from the package's lib/cybersource/messageEncryption.ts so that each checks the other:
 * it opens `{"encryptedRequest":"<JWE>"}` with the key only Cybersource holds, and encrypts answers
 * to a merchant's REST - API Response MLE certificate.
 */

export type Opened = { ok: true; plaintext: string } | { ok: false; message: string };

function part(text: string): Buffer {
	return Buffer.from(text, 'base64url');
}

/** Opens a request JWE: RSA-OAEP-256 and A256GCM only, `kid` = the MLE certificate's subject serialNumber. */
export function openRequestJwe(jwe: string, mleKey: crypto.KeyObject, expectedKid: string, nowSeconds: number): Opened {
	const pieces = jwe.split('.');
	if (pieces.length !== 5) return { ok: false, message: 'encryptedRequest is not a compact JWE' };
	let header: Record<string, unknown>;
	try {
		header = JSON.parse(part(pieces[0]).toString('utf8')) as Record<string, unknown>;
	} catch {
		return { ok: false, message: 'the JWE header is not JSON' };
	}
	if (header.alg !== 'RSA-OAEP-256') return { ok: false, message: `JWE alg ${String(header.alg)} is not accepted (RSA-OAEP-256)` };
	if (header.enc !== 'A256GCM') return { ok: false, message: `JWE enc ${String(header.enc)} is not accepted (A256GCM)` };
	if (header.kid !== expectedKid) return { ok: false, message: `JWE kid ${String(header.kid)} is not the MLE certificate's` };
	if (typeof header.iat !== 'number' || Math.abs(nowSeconds - header.iat) > 300) return { ok: false, message: 'JWE iat is missing or not recent' };
	try {
		const key = crypto.privateDecrypt({ key: mleKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, part(pieces[1]));
		const decipher = crypto.createDecipheriv('aes-256-gcm', key, part(pieces[2]));
		decipher.setAAD(Buffer.from(pieces[0], 'ascii'));
		decipher.setAuthTag(part(pieces[4]));
		return { ok: true, plaintext: Buffer.concat([decipher.update(part(pieces[3])), decipher.final()]).toString('utf8') };
	} catch {
		return { ok: false, message: 'the JWE does not decrypt (wrong key, or altered)' };
	}
}

/** `{"encryptedResponse":"<JWE>"}` of `answer` for the merchant's Response MLE certificate (header as the guide shows it). */
export function encryptedAnswer(answer: unknown, responseCertificatePem: string, kid: string, nowSeconds: number): { encryptedResponse: string } {
	const certificate = new crypto.X509Certificate(responseCertificatePem);
	const protectedHeader = Buffer.from(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid, iat: String(nowSeconds) })).toString('base64url');
	const key = crypto.randomBytes(32);
	const iv = crypto.randomBytes(12);
	const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
	cipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
	const ciphertext = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
	const wrapped = crypto.publicEncrypt({ key: certificate.publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, key);
	const encoded = [protectedHeader, wrapped, iv, ciphertext, cipher.getAuthTag()].map((piece) => (typeof piece === 'string' ? piece : piece.toString('base64url')));
	return { encryptedResponse: encoded.join('.') };
}
