import fc from 'fast-check';

import { basicAuthorization, clientSecretBasic, clientSecretPost, OAuth2Error } from '../../packages/n8n-nodes-cybersource/lib/oauth2';

/** What a conformant server does with the header: base64-decode, split at ":", form-decode each part. */
function decodeBasic(header: string): [string, string] {
	const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
	return [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
}

describe('client_secret_basic encoding (RFC 6749 §2.3.1)', () => {
	it('form-encodes id and secret before base64, so the server gets back exactly what was entered', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1 }), (id, secret) => {
				expect(decodeBasic(basicAuthorization(id, secret))).toEqual([id, secret]);
			}),
		);
	});

	it('encodes the characters that break a naive client', () => {
		// "a b:+%/=" form-encodes to "a+b%3A%2B%25%2F%3D"
		expect(basicAuthorization('my client', 'a b:+%/=')).toBe(`Basic ${Buffer.from('my+client:a+b%3A%2B%25%2F%3D').toString('base64')}`);
	});

	it('never puts a raw colon from the id into the decoded pair, so the split is unambiguous', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (id, secret) => {
				const decoded = Buffer.from(basicAuthorization(id, secret).slice(6), 'base64').toString('utf8');
				expect(decoded.split(':')).toHaveLength(2);
			}),
		);
	});
});

describe('client authentication strategies', () => {
	it('basic sets only the Authorization header; post sets only body parameters', async () => {
		const draft = { tokenUrl: 'https://as.example.test/token', headers: {} as Record<string, string>, body: [] as Array<[string, string]> };
		await clientSecretBasic('id', 'secret').apply(draft);
		expect(draft.body).toEqual([]);
		expect(draft.headers.Authorization).toBe(basicAuthorization('id', 'secret'));

		const postDraft = { tokenUrl: draft.tokenUrl, headers: {} as Record<string, string>, body: [] as Array<[string, string]> };
		await clientSecretPost('id', 'secret').apply(postDraft);
		expect(postDraft.headers).toEqual({});
		expect(postDraft.body).toEqual([
			['client_id', 'id'],
			['client_secret', 'secret'],
		]);
	});

	it.each([
		['Client ID', () => clientSecretPost('  ', 'secret')],
		['Client Secret', () => clientSecretBasic('id', '')],
	])('names the empty field %s', (field, make) => {
		expect(make).toThrow(OAuth2Error);
		expect(make).toThrow(new RegExp(`^${field}: is empty`));
	});
});
