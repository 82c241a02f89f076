import { createHmac, createVerify, generateKeyPairSync } from 'node:crypto';

import { bodyDigest, httpSignatureHeaders, merchantJwtHeaders } from '../../packages/n8n-nodes-cybersource/lib/cybersource/merchantSignature';

// The worked vector of ../shared/DESIGN.md §4, from Cybersource's own SDK code.
const VECTOR = {
	secret: 'yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=',
	keyId: '08c94330-f618-42a3-b09d-e1e43be5efda',
	merchantId: 'testrest',
	host: 'apitest.cybersource.com',
	date: 'Thu, 18 Jul 2019 00:18:03 GMT',
	body: '{"clientReferenceInformation":{"code":"TC50171_3"},"orderInformation":{"amountDetails":{"totalAmount":"102.21","currency":"USD"}}}',
};
const key = { merchantId: VECTOR.merchantId, keyId: VECTOR.keyId, secret: Buffer.from(VECTOR.secret, 'base64') };

describe('HTTP Signature', () => {
	it('reproduces the SDK\'s worked vector: digest and signature', () => {
		expect(bodyDigest(VECTOR.body)).toBe('SHA-256=rF9mfJHA9pS+FDJOW9yznnHnEgzwY9seZwrgVmnhcZ8=');
		const headers = httpSignatureHeaders(key, { method: 'POST', host: VECTOR.host, pathWithQuery: '/pts/v2/payments', body: VECTOR.body }, VECTOR.date);
		expect(headers).toEqual({
			'v-c-merchant-id': 'testrest',
			date: VECTOR.date,
			host: VECTOR.host,
			digest: 'SHA-256=rF9mfJHA9pS+FDJOW9yznnHnEgzwY9seZwrgVmnhcZ8=',
			signature: `keyid="${VECTOR.keyId}", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="QIR32JRDTfeYEy9u7UJckQrfNYyORqDb5YzXc9aYalw="`,
		});
	});

	it('signs a GET without digest, with the query in the request target', () => {
		const headers = httpSignatureHeaders(key, { method: 'GET', host: VECTOR.host, pathWithQuery: '/tss/v2/transactions/123?x=1' }, VECTOR.date);
		expect(headers).not.toHaveProperty('digest');
		expect(headers.signature).toContain('headers="host date request-target v-c-merchant-id"');
		const expected = createHmac('sha256', key.secret)
			.update(`host: ${VECTOR.host}\ndate: ${VECTOR.date}\nrequest-target: get /tss/v2/transactions/123?x=1\nv-c-merchant-id: testrest`)
			.digest('base64');
		expect(headers.signature).toContain(`signature="${expected}"`);
	});
});

describe('merchant JWT (SDK v2)', () => {
	it('RS256: kid, the v2 claims, a digest of the exact body, and a signature the public key verifies', () => {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const headers = merchantJwtHeaders(
			{ merchantId: 'testrest', algorithm: 'RS256', privateKey, keyId: '1234567890' },
			{ method: 'POST', host: VECTOR.host, pathWithQuery: '/pts/v2/payments?x=1', body: VECTOR.body },
			1_700_000_000,
		);
		const [header, claims, signature] = headers.Authorization.slice('Bearer '.length).split('.');
		expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ kid: '1234567890', typ: 'JWT', alg: 'RS256' });
		expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toMatchObject({
			iat: 1_700_000_000,
			exp: 1_700_000_120,
			iss: 'testrest',
			'v-c-merchant-id': 'testrest',
			'v-c-jwt-version': '2',
			'request-host': VECTOR.host,
			// With the query, as sent (the newest Node and Python SDKs).
			'request-resource-path': '/pts/v2/payments?x=1',
			'request-method': 'post',
			digest: 'rF9mfJHA9pS+FDJOW9yznnHnEgzwY9seZwrgVmnhcZ8=',
			'digest-algorithm': 'SHA-256',
		});
		expect(createVerify('sha256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
	});

	it('HS256 with the decoded shared secret; no digest for a GET', () => {
		const headers = merchantJwtHeaders({ merchantId: 'testrest', algorithm: 'HS256', secret: key.secret, keyId: VECTOR.keyId }, { method: 'GET', host: VECTOR.host, pathWithQuery: '/tss/v2/transactions/1' });
		const [header, claims, signature] = headers.Authorization.slice('Bearer '.length).split('.');
		expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).not.toHaveProperty('digest');
		expect(createHmac('sha256', key.secret).update(`${header}.${claims}`).digest('base64url')).toBe(signature);
	});
});
