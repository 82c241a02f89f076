import { constants, createHash, createHmac, verify, X509Certificate, type KeyObject } from 'node:crypto';

import fc from 'fast-check';

import {
	CLIENT_ASSERTION_TYPE,
	jwtClientAssertion,
	loadPrivateKey,
	OAuth2Error,
	type JwtAlgorithm,
	type JwtAssertionOptions,
} from '../../packages/n8n-nodes-cybersource/lib/oauth2';
import { ecKey, encryptedPkcs8, rsaKey, selfSignedCertificate } from '../support/keys';

const rsa = rsaKey();
const rsa1024 = rsaKey(1024);
const p256 = ecKey('prime256v1');
const p384 = ecKey('secp384r1');
const p521 = ecKey('secp521r1');
const HMAC_SECRET = 'a-client-secret-of-more-than-64-bytes-for-hs512-0123456789abcdefghijklmnop';
const TOKEN_URL = 'https://as.example.test/oauth/token';
const NOW = 1_760_000_000_000;

function assertionFrom(options: Partial<JwtAssertionOptions>): { header: Record<string, unknown>; claims: Record<string, unknown>; jwt: string; body: Map<string, string> } {
	const auth = jwtClientAssertion({ clientId: 'client-1', algorithm: 'RS256', privateKey: rsa.pkcs8, audience: TOKEN_URL, now: () => NOW, ...options });
	const draft = { tokenUrl: TOKEN_URL, headers: {}, body: [] as Array<[string, string]> };
	void auth.apply(draft);
	const body = new Map(draft.body);
	const jwt = body.get('client_assertion')!;
	const [h, c] = jwt.split('.');
	return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), claims: JSON.parse(Buffer.from(c, 'base64url').toString()), jwt, body };
}

/** Independent verification: node:crypto verify with the public key, per RFC 7518 §3. */
function verifies(jwt: string, algorithm: JwtAlgorithm, key: KeyObject | string): boolean {
	const [h, c, s] = jwt.split('.');
	const input = Buffer.from(`${h}.${c}`);
	const signature = Buffer.from(s, 'base64url');
	const hash = `sha${algorithm.slice(2)}`;
	if (algorithm.startsWith('HS')) return createHmac(hash, key as string).update(input).digest().equals(signature);
	if (algorithm.startsWith('PS'))
		return verify(hash, input, { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
	if (algorithm.startsWith('ES')) return verify(hash, input, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }, signature);
	return verify(hash, input, key as KeyObject, signature);
}

const errorOf = (options: Partial<JwtAssertionOptions>): OAuth2Error => {
	try {
		assertionFrom(options);
	} catch (error) {
		return error as OAuth2Error;
	}
	throw new Error('expected an error');
};

describe('JWT client assertion (RFC 7523 §2.2)', () => {
	const cases: Array<[JwtAlgorithm, string, KeyObject | string]> = [
		['RS256', rsa.pkcs8, rsa.publicKey],
		['RS384', rsa.pkcs8, rsa.publicKey],
		['RS512', rsa.pkcs8, rsa.publicKey],
		['PS256', rsa.pkcs8, rsa.publicKey],
		['PS384', rsa.pkcs8, rsa.publicKey],
		['PS512', rsa.pkcs8, rsa.publicKey],
		['ES256', p256.pkcs8, p256.publicKey],
		['ES384', p384.pkcs8, p384.publicKey],
		['ES512', p521.pkcs8, p521.publicKey],
		['HS256', '', HMAC_SECRET],
		['HS384', '', HMAC_SECRET],
		['HS512', '', HMAC_SECRET],
	];

	it.each(cases)('%s signs an assertion that verifies independently and carries exactly the required claims', (algorithm, privateKey, verifyKey) => {
		const { header, claims, jwt, body } = assertionFrom({ algorithm, privateKey, clientSecret: HMAC_SECRET, keyId: 'key-7' });
		expect(verifies(jwt, algorithm, verifyKey)).toBe(true);
		expect(header).toEqual({ alg: algorithm, typ: 'JWT', kid: 'key-7' });
		expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
		expect(claims).toMatchObject({ iss: 'client-1', sub: 'client-1', aud: TOKEN_URL, iat: NOW / 1000, exp: NOW / 1000 + 300 });
		expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
		expect([...body.keys()]).toEqual(['client_id', 'client_assertion_type', 'client_assertion']);
		expect(body.get('client_assertion_type')).toBe(CLIENT_ASSERTION_TYPE);
	});

	it('signs a fresh jti on every attempt', () => {
		const auth = jwtClientAssertion({ clientId: 'c', algorithm: 'ES256', privateKey: p256.pkcs8, audience: TOKEN_URL });
		const jtis = new Set<unknown>();
		for (let attempt = 0; attempt < 50; attempt++) {
			const draft = { tokenUrl: TOKEN_URL, headers: {}, body: [] as Array<[string, string]> };
			void auth.apply(draft);
			const jwt = new Map(draft.body).get('client_assertion')!;
			jtis.add(JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).jti);
		}
		expect(jtis.size).toBe(50);
	});

	it('adds x5t#S256 (and x5t on request) from the certificate', () => {
		const certificate = selfSignedCertificate(rsa.pkcs8);
		const der = new X509Certificate(certificate).raw;
		const { header } = assertionFrom({ certificate, includeX5t: true });
		expect(header['x5t#S256']).toBe(createHash('sha256').update(der).digest('base64url'));
		expect(header.x5t).toBe(createHash('sha1').update(der).digest('base64url'));
		expect(assertionFrom({ certificate }).header.x5t).toBeUndefined();
	});

	it('reads PKCS#1, SEC1 and encrypted PKCS#8 keys', () => {
		expect(verifies(assertionFrom({ privateKey: rsa.pkcs1 }).jwt, 'RS256', rsa.publicKey)).toBe(true);
		expect(verifies(assertionFrom({ algorithm: 'ES256', privateKey: p256.sec1 }).jwt, 'ES256', p256.publicKey)).toBe(true);
		const encrypted = encryptedPkcs8(rsa.privateKey, 'open sesame');
		expect(verifies(assertionFrom({ privateKey: encrypted, privateKeyPassphrase: 'open sesame' }).jwt, 'RS256', rsa.publicKey)).toBe(true);
	});

	it('signs the same way whatever the PEM formatting (escaped \\n, CRLF, one line, indentation, PKCS#1 or PKCS#8)', () => {
		const reference = rsa.privateKey.export({ format: 'jwk' });
		const variants = fc.constantFrom(rsa.pkcs8, rsa.pkcs1);
		const formats = fc.constantFrom<(pem: string) => string>(
			(pem) => pem.replace(/\n/g, '\\n'),
			(pem) => pem.replace(/\n/g, '\r\n'),
			(pem) => pem.replace(/\n/g, ' '),
			(pem) => pem.split('\n').map((line) => `   ${line}`).join('\n'),
			(pem) => `\n\n${pem}\n\n`,
			(pem) => pem.trim(),
		);
		fc.assert(
			fc.property(variants, fc.array(formats, { minLength: 1, maxLength: 3 }), (pem, steps) => {
				const pasted = steps.reduce((text, step) => step(text), pem);
				expect(loadPrivateKey(pasted).export({ format: 'jwk' })).toEqual(reference);
				expect(verifies(assertionFrom({ privateKey: pasted }).jwt, 'RS256', rsa.publicKey)).toBe(true);
			}),
			{ numRuns: 60 },
		);
	});
});

describe('bad assertion input is refused, naming the field, before anything is sent', () => {
	const certificate = selfSignedCertificate(rsa.pkcs8);
	it.each<[string, Partial<JwtAssertionOptions>, string, RegExp]>([
		['not a PEM', { privateKey: 'hello' }, 'Private Key', /is not a PEM private key/],
		['a public key', { privateKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() }, 'Private Key', /holds a public key, not a private key/],
		['a certificate', { privateKey: certificate }, 'Private Key', /holds a certificate, not a private key/],
		['an EC key with RS256', { privateKey: p256.pkcs8 }, 'Private Key', /is an EC key, but RS256 needs an RSA key/],
		['a P-256 key with ES384', { algorithm: 'ES384', privateKey: p256.pkcs8 }, 'Private Key', /curve P-256, but ES384 needs P-384/],
		['an RSA key with ES256', { algorithm: 'ES256', privateKey: rsa.pkcs8 }, 'Private Key', /is an RSA key, but ES256 needs an EC key/],
		['a 1024-bit RSA key', { privateKey: rsa1024.pkcs8 }, 'Private Key', /1024-bit RSA key; at least 2048 bits/],
		['an encrypted key without passphrase', { privateKey: encryptedPkcs8(rsa.privateKey, 'pw') }, 'Private Key Passphrase', /the private key is encrypted/],
		['a wrong passphrase', { privateKey: encryptedPkcs8(rsa.privateKey, 'pw'), privateKeyPassphrase: 'wrong' }, 'Private Key Passphrase', /does not decrypt/],
		['HS256 without secret', { algorithm: 'HS256' }, 'Client Secret', /is empty; HS256/],
		['HS512 with a 32-byte secret', { algorithm: 'HS512', clientSecret: 'x'.repeat(32) }, 'Client Secret', /shorter than 64 bytes/],
		['lifetime 0', { lifetimeSeconds: 0 }, 'Assertion Lifetime', /between 1 and 3600/],
		['lifetime 3601', { lifetimeSeconds: 3601 }, 'Assertion Lifetime', /between 1 and 3600/],
		['an unknown algorithm', { algorithm: 'none' }, 'Algorithm', /"none" is not supported/],
		['a certificate of another key', { certificate: selfSignedCertificate(rsaKey().pkcs8) }, 'Certificate', /does not belong to the private key/],
		['an empty audience', { audience: ' ' }, 'Assertion Audience', /is empty/],
	])('%s', (_what, options, field, message) => {
		const error = errorOf(options);
		expect(error).toBeInstanceOf(OAuth2Error);
		expect(error.field).toBe(field);
		expect(error.message.startsWith(`${field}: `)).toBe(true);
		expect(error.message).toMatch(message);
		expect(error.message).not.toContain(rsa.pkcs8.split('\n')[1]);
	});
});
