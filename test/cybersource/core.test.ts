import fc from 'fast-check';

import { describeApiError, maskCardNumbers } from '../../packages/n8n-nodes-cybersource/lib/cybersource/apiErrors';
import { endpointsFor } from '../../packages/n8n-nodes-cybersource/lib/cybersource/hosts';
import { authorizationUrl, interpretRedirect, newState, sameSecret } from '../../packages/n8n-nodes-cybersource/lib/cybersource/oauthFlow';
import { cardNumber, luhnValid } from '../../packages/n8n-nodes-cybersource/lib/cybersource/paymentInput';
import { grantOf, lineageOf, RefreshLedger } from '../../packages/n8n-nodes-cybersource/lib/cybersource/refreshLedger';

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

describe('rotating refresh tokens across processes (the refresh ledger)', () => {
	it('names one grant for every rotation of it, in every process, and a new grant for a pasted token', () => {
		const grant = grantOf('r0', '');
		expect(grantOf('r1', lineageOf(grant, 'r1'))).toBe(grant);
		expect(grantOf('r2', lineageOf(grant, 'r2'))).toBe(grant);
		// A token pasted in the editor beside the old lineage, or a lineage without its token.
		expect(grantOf('pasted', lineageOf(grant, 'r2'))).toBe(grantOf('pasted', ''));
		expect(grantOf('pasted', '')).not.toBe(grant);
		expect(grantOf('r2', 'garbage')).toBe(grantOf('r2', ''));
		// Digests only: the lineage never holds a token.
		expect(lineageOf(grant, 'secret-refresh-token')).not.toContain('secret-refresh-token');
	});

	it('sends its own newest token for an older copy, and takes a token another process stored as newer', () => {
		const a = new RefreshLedger();
		const grant = grantOf('r0', '');
		expect(a.tokenToSend(grant, 'r0')).toBe('r0');
		a.rotated(grant, 'r0', 'r1');
		// A copy read before r1 was stored.
		expect(a.tokenToSend(grant, 'r0')).toBe('r1');
		expect(a.isSpent(grant, 'r0')).toBe(true);
		// Another process rotated r1 into r2 and stored it.
		expect(a.tokenToSend(grant, 'r2')).toBe('r2');
		expect(a.isSpent(grant, 'r1')).toBe(true);
		// A late copy with r1 no longer wins.
		expect(a.tokenToSend(grant, 'r1')).toBe('r2');
		a.refused(grant, 'r2');
		expect(a.isSpent(grant, 'r2')).toBe(true);
	});

	/**
	 * A model of n8n's queue mode: processes share one stored credential (n8n's database), read
	 * copies of it that may be stale, refresh with what their ledger says, and hand n8n a token
	 * only when Cybersource just issued it to them (n8n's write may land later); Cybersource
	 * accepts only the newest token.
	 */
	it('never stores an older refresh token over a newer one, and never resends a token it spent', () => {
		const step = fc.record({ process: fc.integer({ min: 0, max: 2 }), age: fc.nat(3), land: fc.boolean() });
		fc.assert(
			fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
				const number = (token: string) => Number(token.slice(1));
				const grant = grantOf('r0', '');
				let newest = 'r0';
				const stored = [{ refreshToken: 'r0', lineage: '' }];
				const ledgers = [new RefreshLedger(), new RefreshLedger(), new RefreshLedger()];
				const sent = ledgers.map(() => new Set<string>());
				const writes: Array<Array<(typeof stored)[number]>> = ledgers.map(() => []);
				const land = (process: number) => {
					for (const write of writes[process].splice(0)) {
						// Never an older token over a newer one.
						expect(number(write.refreshToken)).toBeGreaterThan(number(stored[stored.length - 1].refreshToken));
						stored.push(write);
					}
				};
				for (const { process, age, land: landNow } of steps) {
					const copy = stored[Math.max(0, stored.length - 1 - age)];
					expect(grantOf(copy.refreshToken, copy.lineage)).toBe(grant);
					const ledger = ledgers[process];
					const token = ledger.tokenToSend(grant, copy.refreshToken);
					if (!ledger.isSpent(grant, token)) {
						expect(sent[process].has(token)).toBe(false);
						sent[process].add(token);
						if (token === newest) {
							newest = `r${number(newest) + 1}`;
							ledger.rotated(grant, token, newest);
							writes[process].push({ refreshToken: newest, lineage: lineageOf(grant, newest) });
						} else ledger.refused(grant, token);
					}
					if (landNow) land(process);
				}
				ledgers.forEach((_, process) => land(process));
				expect(stored[stored.length - 1].refreshToken).toBe(newest);
			}),
			{ numRuns: 500 },
		);
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
