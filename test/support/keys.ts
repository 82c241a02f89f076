import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Key pairs for tests, generated per run; nothing is committed. */
export interface TestKey {
	privateKey: KeyObject;
	publicKey: KeyObject;
	pkcs8: string;
}

export function rsaKey(bits = 2048): TestKey & { pkcs1: string } {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
	return {
		privateKey,
		publicKey,
		pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
	};
}

export function ecKey(namedCurve: 'prime256v1' | 'secp384r1' | 'secp521r1'): TestKey & { sec1: string } {
	const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
	return {
		privateKey,
		publicKey,
		pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		sec1: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
	};
}

export function encryptedPkcs8(key: KeyObject, passphrase: string): string {
	return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

/** A self-signed certificate for the key, made with the openssl command-line tool. */
export function selfSignedCertificate(keyPem: string, subject = '/CN=n8n-nodes-cybersource test'): string {
	const dir = mkdtempSync(join(tmpdir(), 'cert-'));
	try {
		writeFileSync(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
		execFileSync('openssl', ['req', '-new', '-x509', '-key', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', subject], {
			stdio: 'ignore',
		});
		return readFileSync(join(dir, 'cert.pem'), 'utf8');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
