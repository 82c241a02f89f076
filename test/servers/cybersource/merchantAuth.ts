import { createHash, createHmac, createVerify, timingSafeEqual, X509Certificate } from 'node:crypto';

/**
 * The sandbox's own check of merchant-key authentication (DESIGN §4; what Cybersource's REST
 * hosts do with the SDKs' requests). Written from the documented rules, independent of the
 * package's signer: HTTP Signature (HmacSHA256 over `host date request-target [digest]
 * v-c-merchant-id`) and JWT v2 (RS256 with the certificate whose subject serialNumber is the
 * `kid`, or HS256 with a shared secret whose key ID is the `kid`).
 */
export interface MerchantKey {
	merchantId: string;
	keyId: string;
	/** base64, as the Business Center shows it. */
	secret: string;
}

export interface MerchantCertificate {
	merchantId: string;
	/** PEM; its subject's serialNumber is the JWT `kid`. */
	certificate: string;
}

export interface ReceivedRequest {
	method: string;
	/** Path with query, as received. */
	url: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
}

export type MerchantCheck =
	| {
			ok: true;
			merchantId: string;
			scheme: 'signature' | 'jwt';
			/** JWT claim `v-c-response-mle-kid`: encrypt the answer to this Response MLE key. */
			responseMleKid?: string;
	  }
	| { ok: false; message: string };

/** The longest a request JWT may live (`exp - iat`, CYBERSOURCE-MLE.md §1). */
export const MAX_JWT_LIFETIME_SECONDS = 120;
/** jti values remembered against replay (each until its JWT expires). */
const MAX_REMEMBERED_JTIS = 10_000;

/** How far the `date` header or the JWT `iat` may be from the sandbox's clock. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const header = (request: ReceivedRequest, name: string) => {
	const value = request.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
};
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const withBody = (method: string) => ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase());
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const fail = (message: string): MerchantCheck => ({ ok: false, message: `Authentication Failed: ${message}` });

export class MerchantAuthority {
	private readonly keys = new Map<string, MerchantKey>();
	private readonly certificates = new Map<string, { merchantId: string; certificate: X509Certificate }>();
	/** jti -> expiry (ms), against replay. */
	private readonly seenJtis = new Map<string, number>();

	constructor(keys: MerchantKey[], certificates: MerchantCertificate[]) {
		for (const key of keys) this.keys.set(key.keyId, key);
		for (const { merchantId, certificate } of certificates) {
			const x509 = new X509Certificate(certificate);
			const serial = /^serialNumber=(.+)$/im.exec(x509.subject)?.[1]?.trim();
			if (serial) this.certificates.set(serial, { merchantId, certificate: x509 });
		}
	}

	/** Whether the request carries merchant-key authentication at all (else: an OAuth bearer, or none). */
	static applies(request: ReceivedRequest): boolean {
		if (header(request, 'signature') !== undefined) return true;
		const authorization = header(request, 'authorization') ?? '';
		return /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(authorization.trim()) && header(request, 'v-c-merchant-id') !== undefined;
	}

	check(request: ReceivedRequest, now: number): MerchantCheck {
		return header(request, 'signature') !== undefined ? this.checkSignature(request, now) : this.checkJwt(request, now);
	}

	private checkSignature(request: ReceivedRequest, now: number): MerchantCheck {
		const parameters = Object.fromEntries([...(header(request, 'signature') ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
		const key = this.keys.get(parameters.keyid ?? '');
		if (key === undefined) return fail('unknown keyid');
		if (parameters.algorithm !== 'HmacSHA256') return fail('algorithm must be HmacSHA256');
		const expected = withBody(request.method) ? 'host date request-target digest v-c-merchant-id' : 'host date request-target v-c-merchant-id';
		if (parameters.headers !== expected) return fail(`headers must be "${expected}"`);
		const values: Record<string, string | undefined> = {
			host: header(request, 'host'),
			date: header(request, 'date'),
			'request-target': `${request.method.toLowerCase()} ${request.url}`,
			digest: header(request, 'digest'),
			'v-c-merchant-id': header(request, 'v-c-merchant-id'),
		};
		for (const name of expected.split(' ')) if (values[name] === undefined) return fail(`missing header ${name}`);
		if (values['v-c-merchant-id'] !== key.merchantId) return fail('v-c-merchant-id does not match the key');
		const date = Date.parse(values.date ?? '');
		if (!Number.isFinite(date) || Math.abs(now - date) > CLOCK_SKEW_MS) return fail('date is missing, malformed or too far from the server time');
		if (withBody(request.method) && values.digest !== `SHA-256=${sha256(request.rawBody)}`) return fail('digest does not match the body');
		const signingString = expected.split(' ').map((name) => `${name}: ${values[name]}`).join('\n');
		const signature = createHmac('sha256', Buffer.from(key.secret, 'base64')).update(signingString, 'utf8').digest('base64');
		return same(signature, parameters.signature ?? '') ? { ok: true, merchantId: key.merchantId, scheme: 'signature' } : fail('signature mismatch');
	}

	private checkJwt(request: ReceivedRequest, now: number): MerchantCheck {
		const token = (header(request, 'authorization') ?? '').trim().slice('bearer '.length);
		const [encodedHeader, encodedClaims, signature] = token.split('.');
		let jwtHeader: { kid?: string; alg?: string };
		let claims: Record<string, unknown>;
		try {
			jwtHeader = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
			claims = JSON.parse(Buffer.from(encodedClaims, 'base64url').toString('utf8'));
		} catch {
			return fail('malformed JWT');
		}
		const input = `${encodedHeader}.${encodedClaims}`;
		let merchantId: string;
		if (jwtHeader.alg === 'RS256') {
			const entry = this.certificates.get(jwtHeader.kid ?? '');
			if (entry === undefined) return fail('unknown kid');
			if (!createVerify('sha256').update(input).verify(entry.certificate.publicKey, Buffer.from(signature ?? '', 'base64url'))) return fail('signature mismatch');
			merchantId = entry.merchantId;
		} else if (jwtHeader.alg === 'HS256') {
			const key = this.keys.get(jwtHeader.kid ?? '');
			if (key === undefined) return fail('unknown kid');
			if (!same(createHmac('sha256', Buffer.from(key.secret, 'base64')).update(input).digest('base64url'), signature ?? '')) return fail('signature mismatch');
			merchantId = key.merchantId;
		} else return fail('alg must be RS256 or HS256');
		const [path] = request.url.split('?');
		const iat = Number(claims.iat) * 1000;
		const exp = Number(claims.exp) * 1000;
		if (claims['v-c-jwt-version'] !== '2') return fail('v-c-jwt-version must be "2"');
		if (!Number.isInteger(claims.iat) || Math.abs(now - iat) > CLOCK_SKEW_MS) return fail('iat is missing, stale or in the future');
		if (!Number.isInteger(claims.exp) || exp <= now || exp - iat > MAX_JWT_LIFETIME_SECONDS * 1000) return fail('exp is missing, past, or more than two minutes after iat');
		// Both SDKs' newest versions sign the path with its query; older Node SDKs (and the guide's example) without.
		const signedPath = claims['request-resource-path'];
		if (claims['request-method'] !== request.method.toLowerCase() || (signedPath !== path && signedPath !== request.url) || claims['request-host'] !== header(request, 'host')) {
			return fail('the JWT was issued for another request');
		}
		if (claims['v-c-merchant-id'] !== merchantId || header(request, 'v-c-merchant-id') !== merchantId || claims.iss !== merchantId) return fail('merchant does not match the key');
		// `digestAlgorithm` (guide, Python SDK) or `digest-algorithm` (Node SDK): both are accepted.
		const algorithm = claims.digestAlgorithm ?? claims['digest-algorithm'];
		if (withBody(request.method) && (claims.digest !== sha256(request.rawBody) || algorithm !== 'SHA-256')) return fail('digest does not match the body');
		if (typeof claims.jti !== 'string' || claims.jti === '') return fail('jti is missing');
		if (this.replayed(claims.jti, exp, now)) return fail('jti was used before (replay)');
		const responseMleKid = typeof claims['v-c-response-mle-kid'] === 'string' ? claims['v-c-response-mle-kid'] : undefined;
		return { ok: true, merchantId, scheme: 'jwt', responseMleKid };
	}

	/** Remembers `jti` until `expiresAt`; true when it was seen before. Bounded. */
	private replayed(jti: string, expiresAt: number, now: number): boolean {
		const seen = this.seenJtis.get(jti);
		if (seen !== undefined && seen > now) return true;
		if (this.seenJtis.size >= MAX_REMEMBERED_JTIS) {
			for (const [key, until] of this.seenJtis) if (until <= now) this.seenJtis.delete(key);
			if (this.seenJtis.size >= MAX_REMEMBERED_JTIS) this.seenJtis.delete(this.seenJtis.keys().next().value as string);
		}
		this.seenJtis.set(jti, expiresAt);
		return false;
	}
}
