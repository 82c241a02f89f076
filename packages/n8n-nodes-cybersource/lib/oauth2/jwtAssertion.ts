import {
	constants,
	createHash,
	createHmac,
	createPrivateKey,
	randomUUID,
	sign,
	X509Certificate,
	type KeyObject,
} from 'node:crypto';

import type { ClientAuthentication } from './clientAuthentication';
import { fieldError, OAuth2Error } from './errors';
import { pemBlocks } from './pem';

/**
 * Client authentication with a signed JWT (RFC 7523 §2.2, OpenID Connect Core §9):
 * `private_key_jwt` (RS*, PS*, ES*) and `client_secret_jwt` (HS*). Signing uses node:crypto only.
 */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ASSERTION_RESERVED_KEYS: readonly string[] = ['client_assertion', 'client_assertion_type'];

export const JWT_ALGORITHMS = [
	'RS256', 'RS384', 'RS512',
	'PS256', 'PS384', 'PS512',
	'ES256', 'ES384', 'ES512',
	'HS256', 'HS384', 'HS512',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export const MAX_ASSERTION_LIFETIME_SECONDS = 3600;
export const MIN_RSA_BITS = 2048;

const FIELDS = {
	algorithm: 'Algorithm',
	privateKey: 'Private Key',
	passphrase: 'Private Key Passphrase',
	secret: 'Client Secret',
	certificate: 'Certificate',
	lifetime: 'Assertion Lifetime',
	audience: 'Assertion Audience',
};

const HASH_BITS = (algorithm: JwtAlgorithm) => Number(algorithm.slice(2));
const CURVES: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };
const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1' };

export function isSymmetric(algorithm: JwtAlgorithm): boolean {
	return algorithm.startsWith('HS');
}

export function validateAlgorithm(algorithm: string): JwtAlgorithm {
	if (!(JWT_ALGORITHMS as readonly string[]).includes(algorithm)) {
		throw fieldError(FIELDS.algorithm, `"${algorithm}" is not supported; choose one of ${JWT_ALGORITHMS.join(', ')}.`);
	}
	return algorithm as JwtAlgorithm;
}

const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE', 'TRUSTED CERTIFICATE', 'CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];
const PRIVATE_LABELS = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

function opensslReason(error: unknown): string {
	const code = (error as { code?: unknown }).code;
	return typeof code === 'string' ? code : 'unreadable';
}

/**
 * Reads a private key: PKCS#8 (plain or encrypted), PKCS#1 (`BEGIN RSA PRIVATE KEY`) or SEC1
 * (`BEGIN EC PRIVATE KEY`), in any of the pasted forms `pemBlocks` accepts. Errors name the field
 * and never quote the key.
 */
export function loadPrivateKey(
	text: string,
	passphrase?: string,
	fields: { key: string; passphrase: string } = { key: FIELDS.privateKey, passphrase: FIELDS.passphrase },
): KeyObject {
	if (typeof text !== 'string' || text.trim() === '') {
		throw fieldError(fields.key, 'is empty. Paste the PEM private key, including its BEGIN and END lines.');
	}
	const blocks = pemBlocks(text);
	const block = blocks.find((b) => PRIVATE_LABELS.includes(b.label));
	if (block === undefined) {
		const other = blocks.find((b) => PUBLIC_LABELS.includes(b.label));
		if (other !== undefined) {
			throw fieldError(
				fields.key,
				`holds a ${other.label.toLowerCase()}, not a private key. Paste the private key (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY).`,
			);
		}
		throw fieldError(
			fields.key,
			'is not a PEM private key. Paste it including the "-----BEGIN PRIVATE KEY-----" and "-----END PRIVATE KEY-----" lines.',
		);
	}
	const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || block.headers.some((h) => /^Proc-Type:.*ENCRYPTED/i.test(h));
	const hasPassphrase = typeof passphrase === 'string' && passphrase !== '';
	if (encrypted && !hasPassphrase) {
		throw fieldError(fields.passphrase, 'is empty, but the private key is encrypted. Enter the passphrase it was encrypted with.');
	}
	try {
		return createPrivateKey(encrypted ? { key: block.pem, format: 'pem', passphrase } : { key: block.pem, format: 'pem' });
	} catch (error) {
		if (encrypted) {
			throw fieldError(fields.passphrase, 'does not decrypt the private key. Check the passphrase.');
		}
		throw fieldError(
			fields.key,
			`could not be read: its text between the BEGIN and END lines is damaged or incomplete (OpenSSL: ${opensslReason(error)}). Paste the whole key again, exactly as exported.`,
		);
	}
}

/** Refuses a key that cannot sign with the algorithm, before anything is sent. */
export function checkKeyFitsAlgorithm(key: KeyObject, algorithm: JwtAlgorithm): void {
	const type = key.asymmetricKeyType;
	const details = key.asymmetricKeyDetails ?? {};
	if (algorithm.startsWith('RS') || algorithm.startsWith('PS')) {
		if (type !== 'rsa' && !(type === 'rsa-pss' && algorithm.startsWith('PS'))) {
			throw fieldError(FIELDS.privateKey, `is an ${String(type).toUpperCase()} key, but ${algorithm} needs an RSA key. Choose an ES algorithm for EC keys.`);
		}
		const bits = details.modulusLength ?? 0;
		if (bits < MIN_RSA_BITS) {
			throw fieldError(FIELDS.privateKey, `is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required (RFC 7518 §3.3).`);
		}
		return;
	}
	if (algorithm.startsWith('ES')) {
		if (type !== 'ec') {
			throw fieldError(FIELDS.privateKey, `is an ${String(type).toUpperCase()} key, but ${algorithm} needs an EC key on curve ${CURVE_NAMES[CURVES[algorithm]]}.`);
		}
		if (details.namedCurve !== CURVES[algorithm]) {
			const curve = CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve ?? 'unknown';
			throw fieldError(
				FIELDS.privateKey,
				`is an EC key on curve ${curve}, but ${algorithm} needs ${CURVE_NAMES[CURVES[algorithm]]} (RFC 7518 §3.4). Choose the algorithm that matches the key.`,
			);
		}
	}
}

export function checkHmacSecret(secret: string | undefined, algorithm: JwtAlgorithm): string {
	if (typeof secret !== 'string' || secret === '') {
		throw fieldError(FIELDS.secret, `is empty; ${algorithm} (client_secret_jwt) signs with the client secret.`);
	}
	const minBytes = HASH_BITS(algorithm) / 8;
	if (Buffer.byteLength(secret, 'utf8') < minBytes) {
		throw fieldError(
			FIELDS.secret,
			`is shorter than ${minBytes} bytes; ${algorithm} needs a secret at least as long as its hash (RFC 7518 §3.2).`,
		);
	}
	return secret;
}

export function checkAssertionLifetime(seconds: number): number {
	if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_ASSERTION_LIFETIME_SECONDS) {
		throw fieldError(FIELDS.lifetime, `must be between 1 and ${MAX_ASSERTION_LIFETIME_SECONDS} seconds, not ${seconds}. Keep it short; 300 is usual.`);
	}
	return Math.floor(seconds);
}

export interface CertificateThumbprints {
	'x5t#S256': string;
	x5t: string;
}

/** RFC 7515 §4.1.7/§4.1.8: SHA-256 (and SHA-1) thumbprints of the DER certificate. */
export function certificateThumbprints(text: string, key?: KeyObject): CertificateThumbprints {
	const block = pemBlocks(text).find((b) => b.label === 'CERTIFICATE');
	if (block === undefined) {
		throw fieldError(FIELDS.certificate, 'is not a PEM certificate. Paste it including the "-----BEGIN CERTIFICATE-----" line, or leave it empty.');
	}
	let certificate: X509Certificate;
	try {
		certificate = new X509Certificate(block.pem);
	} catch (error) {
		throw fieldError(
			FIELDS.certificate,
			`could not be read: its text between the BEGIN and END lines is damaged or incomplete (OpenSSL: ${opensslReason(error)}). Paste the whole certificate again.`,
		);
	}
	if (key !== undefined && !certificate.checkPrivateKey(key)) {
		throw fieldError(FIELDS.certificate, 'does not belong to the private key. Paste the certificate issued for this key.');
	}
	return {
		'x5t#S256': createHash('sha256').update(certificate.raw).digest('base64url'),
		x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
	};
}

function signingFailed(algorithm: JwtAlgorithm, cause: unknown): OAuth2Error {
	return new OAuth2Error(
		'configuration',
		`Signing the client assertion with ${algorithm} failed (${opensslReason(cause)}). Check the Private Key and Algorithm.`,
		{ field: FIELDS.privateKey },
	);
}

function base64url(value: unknown): string {
	return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Signs `header.claims` with the algorithm (RFC 7515 compact serialization, RFC 7518 §3). */
export function signJwt(
	header: Record<string, unknown>,
	claims: Record<string, unknown>,
	algorithm: JwtAlgorithm,
	key: KeyObject | string | Buffer,
): string {
	const input = `${base64url({ ...header, alg: algorithm })}.${base64url(claims)}`;
	const hash = `sha${HASH_BITS(algorithm)}`;
	let signature: Buffer;
	if (isSymmetric(algorithm)) {
		signature = createHmac(hash, key).update(input).digest();
	} else if (algorithm.startsWith('PS')) {
		signature = sign(hash, Buffer.from(input), {
			key: key as KeyObject,
			padding: constants.RSA_PKCS1_PSS_PADDING,
			saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
		});
	} else if (algorithm.startsWith('ES')) {
		signature = sign(hash, Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
	} else {
		signature = sign(hash, Buffer.from(input), key as KeyObject);
	}
	return `${input}.${signature.toString('base64url')}`;
}

export interface JwtAssertionOptions {
	clientId: string;
	algorithm: string;
	/** PEM; for RS*, PS*, ES*. */
	privateKey?: string;
	privateKeyPassphrase?: string;
	/** For HS* (client_secret_jwt). */
	clientSecret?: string;
	keyId?: string;
	/** PEM; adds `x5t#S256` (and `x5t` when asked) to the header. */
	certificate?: string;
	includeX5t?: boolean;
	/** The `aud` claim: token endpoint URL or issuer, per server. */
	audience: string;
	lifetimeSeconds?: number;
	now?: () => number;
}

/**
 * `private_key_jwt` / `client_secret_jwt` as a ClientAuthentication. All inputs are checked
 * here, once; each `apply` (each attempt, retries included) signs a new assertion with a fresh
 * `jti`, since servers reject a replayed one. No `nbf`: a clock a little behind the server's
 * would make the assertion "not yet valid".
 */
export function jwtClientAssertion(options: JwtAssertionOptions): ClientAuthentication {
	const clientId = options.clientId;
	if (typeof clientId !== 'string' || clientId.trim() === '') {
		throw fieldError('Client ID', 'is empty. Enter the client ID your authorization server issued.');
	}
	const algorithm = validateAlgorithm(options.algorithm);
	const lifetime = checkAssertionLifetime(options.lifetimeSeconds ?? 300);
	if (typeof options.audience !== 'string' || options.audience.trim() === '') {
		throw fieldError(FIELDS.audience, 'is empty. Enter the audience the server expects (its issuer or token endpoint URL).');
	}
	const audience = options.audience.trim();
	let signingKey: KeyObject | string;
	const secrets: string[] = [];
	const header: Record<string, unknown> = { typ: 'JWT' };
	if (isSymmetric(algorithm)) {
		signingKey = checkHmacSecret(options.clientSecret, algorithm);
		secrets.push(signingKey);
	} else {
		const key = loadPrivateKey(options.privateKey ?? '', options.privateKeyPassphrase);
		checkKeyFitsAlgorithm(key, algorithm);
		signingKey = key;
		if (options.privateKeyPassphrase) secrets.push(options.privateKeyPassphrase);
		if (options.certificate !== undefined && options.certificate.trim() !== '') {
			const thumbprints = certificateThumbprints(options.certificate, key);
			header['x5t#S256'] = thumbprints['x5t#S256'];
			if (options.includeX5t) header.x5t = thumbprints.x5t;
		}
	}
	const keyId = options.keyId?.trim();
	if (keyId) header.kid = keyId;
	const now = options.now ?? Date.now;

	return {
		method: isSymmetric(algorithm) ? 'client_secret_jwt' : 'private_key_jwt',
		clientId,
		secrets,
		apply(draft) {
			const iat = Math.floor(now() / 1000);
			const claims = { iss: clientId, sub: clientId, aud: audience, iat, exp: iat + lifetime, jti: randomUUID() };
			let assertion: string;
			try {
				assertion = signJwt(header, claims, algorithm, signingKey);
			} catch (error) {
				throw signingFailed(algorithm, error);
			}
			draft.body.push(['client_id', clientId], ['client_assertion_type', CLIENT_ASSERTION_TYPE], ['client_assertion', assertion]);
		},
	};
}
