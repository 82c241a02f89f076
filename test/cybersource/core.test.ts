import fc from 'fast-check';

import { describeApiError, maskCardNumbers } from '../../packages/n8n-nodes-cybersource/lib/cybersource/apiErrors';
import { endpointsFor } from '../../packages/n8n-nodes-cybersource/lib/cybersource/hosts';
import { authorizationUrl, interpretRedirect, newState, sameSecret } from '../../packages/n8n-nodes-cybersource/lib/cybersource/oauthFlow';
import { cardNumber, luhnValid } from '../../packages/n8n-nodes-cybersource/lib/cybersource/paymentInput';
import { RefreshTokenChains } from '../../packages/n8n-nodes-cybersource/lib/cybersource/refreshTokens';

describe('Cybersource hosts', () => {
	it('maps test and production to the mutual-TLS API hosts and the Business Center', () => {
		expect(endpointsFor('test')).toEqual({
			apiBaseUrl: 'https://api-matest.cybersource.com',
			authorizationBaseUrl: 'https://businesscentertest.cybersource.com',
			tokenUrl: 'https://api-matest.cybersource.com/oauth2/v3/token',
		});
		expect(endpointsFor('production').tokenUrl).toBe('https://api-ma.cybersource.com/oauth2/v3/token');
		expect(() => endpointsFor('custom', { apiBaseUrl: '' })).toThrow(/^API Base URL: is empty/);
		expect(() => endpointsFor('custom', { apiBaseUrl: 'https://h.test/?x=1' })).toThrow(/^API Base URL: must not contain a query/);
	});
});

describe('the merchant redirect', () => {
	const state = newState();

	it('reads the code from a full URL, a query string, or bare parameters', () => {
		for (const redirect of [`https://p.test/cb?code=abc&state=${state}`, `?code=abc&state=${state}`, `code=abc&state=${state}`]) {
			expect(interpretRedirect(redirect, state)).toEqual({ kind: 'code', code: 'abc' });
		}
		expect(interpretRedirect({ code: 'abc', state }, state)).toEqual({ kind: 'code', code: 'abc' });
	});

	it('treats a redirect without parameters as a denial', () => {
		expect(interpretRedirect('https://p.test/cb', state)).toEqual({ kind: 'denied' });
		expect(interpretRedirect('', state)).toEqual({ kind: 'denied' });
	});

	it('refuses a missing or different state, whatever the code', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (code, other) => {
				fc.pre(other !== state);
				const query = new URLSearchParams({ code, state: other }).toString();
				expect(() => interpretRedirect(`https://p.test/cb?${query}`, state)).toThrow(/does not match the expected state/);
			}),
		);
		expect(() => interpretRedirect('https://p.test/cb?code=abc', state)).toThrow(/does not match/);
	});

	it('compares states in constant time over digests, so any lengths compare', () => {
		expect(sameSecret('a', 'a')).toBe(true);
		expect(sameSecret('a', 'aa')).toBe(false);
		expect(newState()).not.toBe(newState());
	});

	it('builds the authorization URL with redirect_url (Cybersource\'s name) and refuses an empty redirect URL', () => {
		const url = new URL(authorizationUrl({ authorizationBaseUrl: 'https://businesscentertest.cybersource.com', clientId: 'c', redirectUrl: 'https://p.test/cb', state: 's' }));
		expect([...url.searchParams]).toEqual([
			['sub', 'oauth'],
			['client_id', 'c'],
			['redirect_url', 'https://p.test/cb'],
			['state', 's'],
		]);
		expect(() => authorizationUrl({ authorizationBaseUrl: 'https://b.test', clientId: 'c', redirectUrl: ' ', state: 's' })).toThrow(/^Redirect URL: is empty/);
	});
});

describe('rotating refresh tokens', () => {
	it('keeps one chain per connection and hands out the newest token', () => {
		const chains = new RefreshTokenChains();
		const chain = chains.chain('r0');
		expect(chains.current(chain, 'r0')).toBe('r0');
		chains.rotate(chain, 'r1');
		chains.rotate(chain, 'r2');
		expect(chains.current(chain, 'r0')).toBe('r2');
		// A credential that already stores r2 belongs to the same chain (same cache key).
		expect(chains.chain('r2')).toBe(chain);
		expect(chains.chain('another')).not.toBe(chain);
	});
});

describe('card numbers', () => {
	it('accepts Luhn-valid numbers with spaces or dashes, and rejects every single-digit typo', () => {
		expect(cardNumber('4111 1111-1111 1111')).toBe('4111111111111111');
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
				const digits = [...'4111111111111111'].map(Number);
				digits[position] = (digits[position] + delta) % 10;
				expect(luhnValid(digits.join(''))).toBe(false);
			}),
		);
	});

	it('masks card numbers in any text, keeping the last four digits', () => {
		expect(maskCardNumbers('card 4111111111111111 and 5555 5555 5555 4444 declined')).toBe('card ****1111 and ****4444 declined');
		expect(maskCardNumbers('transaction 1795344478159000000002')).toBe('transaction 1795344478159000000002');
	});

	it('describes Cybersource errors with reason, message and fields, never the card', () => {
		const described = describeApiError(400, {
			status: 'INVALID_REQUEST',
			reason: 'INVALID_DATA',
			message: 'Declined - card 4111111111111111 is invalid',
			details: [{ field: 'paymentInformation.card.number', reason: 'INVALID_DATA' }],
		});
		expect(described.message).toBe(
			'Cybersource answered HTTP 400 INVALID_DATA: Declined - card ****1111 is invalid (paymentInformation.card.number INVALID_DATA).',
		);
	});
});
