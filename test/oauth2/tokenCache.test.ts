import { TokenCache, type TokenSet } from '../../packages/n8n-nodes-cybersource/lib/oauth2';

const token = (accessToken: string, expiresIn?: number): TokenSet => ({ accessToken, tokenType: 'bearer', expiresIn, extra: {} });

function clock(start = 1_000_000) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A fetcher that counts calls and resolves when released, to hold a fetch in flight. */
function deferredFetcher(result: () => TokenSet | Error) {
	let calls = 0;
	const releases: Array<() => void> = [];
	const fetch = () => {
		calls++;
		return new Promise<TokenSet>((resolve, reject) => {
			releases.push(() => {
				const value = result();
				if (value instanceof Error) reject(value);
				else resolve(value);
			});
		});
	};
	return { fetch, calls: () => calls, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

describe('token cache', () => {
	it('makes one fetch for many concurrent callers of the same key, and all get the same token', async () => {
		const cache = new TokenCache();
		const fetcher = deferredFetcher(() => token('t1', 900));
		const callers = Array.from({ length: 500 }, () => cache.get('k', fetcher.fetch));
		fetcher.releaseAll();
		const tokens = await Promise.all(callers);
		expect(fetcher.calls()).toBe(1);
		expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['t1']));
	});

	it('serves the still-valid token while its renewal fails, retries the renewal on the next call, and fails only once it has expired', async () => {
		const time = clock();
		const cache = new TokenCache({ now: time.now });
		let down = false;
		let n = 0;
		const fetch = async () => {
			n++;
			if (down) throw new Error('token endpoint down');
			return token(`t${n}`, 900);
		};
		expect((await cache.get('k', fetch)).accessToken).toBe('t1');
		down = true;
		time.advance(850_000); // in the renewal window (the last 60 s), 50 s of validity left
		expect((await cache.get('k', fetch)).accessToken).toBe('t1');
		expect((await cache.get('k', fetch)).accessToken).toBe('t1');
		expect(n).toBe(3); // each call tried to renew
		expect(cache.stats.renewalFailures).toBe(2);
		time.advance(50_000); // expired now
		await expect(cache.get('k', fetch)).rejects.toThrow('token endpoint down');
		down = false;
		expect((await cache.get('k', fetch)).accessToken).toBe('t5');
	});

	it('a failing renewal in the window is still one fetch for many concurrent callers', async () => {
		const time = clock();
		const cache = new TokenCache({ now: time.now });
		await cache.get('k', async () => token('t1', 900));
		time.advance(850_000);
		const fetcher = deferredFetcher(() => new Error('down'));
		const callers = Array.from({ length: 50 }, () => cache.get('k', fetcher.fetch));
		fetcher.releaseAll();
		expect(new Set((await Promise.all(callers)).map((t) => t.accessToken))).toEqual(new Set(['t1']));
		expect(fetcher.calls()).toBe(1);
	});

	it('keeps different keys apart', async () => {
		const cache = new TokenCache();
		const a = await cache.get('a', async () => token('ta', 900));
		const b = await cache.get('b', async () => token('tb', 900));
		expect([a.accessToken, b.accessToken]).toEqual(['ta', 'tb']);
	});

	it('reuses a token until expiry minus 60 s, then fetches a new one', async () => {
		const time = clock();
		const cache = new TokenCache({ now: time.now });
		let n = 0;
		const fetch = async () => token(`t${++n}`, 900);
		expect((await cache.get('k', fetch)).accessToken).toBe('t1');
		time.advance(839_999);
		expect((await cache.get('k', fetch)).accessToken).toBe('t1');
		time.advance(1);
		expect((await cache.get('k', fetch)).accessToken).toBe('t2');
	});

	it('renews short-lived tokens a fifth of their lifetime before expiry, not 60 s before', async () => {
		const time = clock();
		const cache = new TokenCache({ now: time.now });
		let n = 0;
		const fetch = async () => token(`t${++n}`, 2);
		await cache.get('k', fetch);
		time.advance(1599);
		expect((await cache.get('k', fetch)).accessToken).toBe('t1');
		time.advance(1);
		expect((await cache.get('k', fetch)).accessToken).toBe('t2');
	});

	it('uses the default lifetime when the server gave none', async () => {
		const time = clock();
		const cache = new TokenCache({ now: time.now, defaultLifetimeMs: 600_000 });
		const entry = await cache.get('k', async () => token('t'));
		expect(entry.expiresAt - time.now()).toBe(600_000);
		expect(entry.renewAt - time.now()).toBe(540_000);
		// 60 s is less than a fifth of 10 minutes, so the default skew applies.
	});

	it('never caches a failure: every waiting caller gets it, and the next call fetches again', async () => {
		const cache = new TokenCache();
		let fail = true;
		const fetcher = deferredFetcher(() => (fail ? new Error('boom') : token('ok', 900)));
		const waiting = [cache.get('k', fetcher.fetch), cache.get('k', fetcher.fetch)];
		fetcher.releaseAll();
		await expect(Promise.all(waiting)).rejects.toThrow('boom');
		expect(cache.size).toBe(0);
		fail = false;
		const next = cache.get('k', fetcher.fetch);
		fetcher.releaseAll();
		expect((await next).accessToken).toBe('ok');
		expect(fetcher.calls()).toBe(2);
	});

	it('drops a token on invalidate only while it is still the cached one', async () => {
		const cache = new TokenCache();
		await cache.get('k', async () => token('old', 900));
		expect(cache.invalidate('k', 'other')).toBe(false);
		expect(cache.peek('k')?.accessToken).toBe('old');
		expect(cache.invalidate('k', 'old')).toBe(true);
		expect(cache.peek('k')).toBeUndefined();
	});

	it('is bounded: the least recently used entry goes first', async () => {
		const cache = new TokenCache({ maxEntries: 3 });
		for (const key of ['a', 'b', 'c']) await cache.get(key, async () => token(key, 900));
		cache.peek('a');
		await cache.get('d', async () => token('d', 900));
		expect(cache.size).toBe(3);
		expect(cache.peek('b')).toBeUndefined();
		expect(cache.peek('a')?.accessToken).toBe('a');
		expect(cache.stats.evictions).toBe(1);
	});

	it('hands out a token past its renewal time only through peekUnexpired, and none after expiry', async () => {
		const time = clock();
		const cache = new TokenCache({ now: time.now });
		await cache.get('k', async () => token('t', 100));
		time.advance(80_000);
		expect(cache.peek('k')).toBeUndefined();
		expect(cache.peekUnexpired('k')?.accessToken).toBe('t');
		time.advance(20_000);
		expect(cache.peekUnexpired('k')).toBeUndefined();
	});

	it('survives a fetcher that throws synchronously', async () => {
		const cache = new TokenCache();
		const throwing = (() => {
			throw new Error('sync');
		}) as unknown as () => Promise<TokenSet>;
		await expect(cache.get('k', throwing)).rejects.toThrow('sync');
		expect((await cache.get('k', async () => token('after', 900))).accessToken).toBe('after');
	});
});
