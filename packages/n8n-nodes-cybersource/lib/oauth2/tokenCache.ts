import type { TokenSet } from './tokenResponse';

/**
 * The token cache (../shared/DESIGN.md §6):
 * - keyed by credential type + a fingerprint of every token-shaping field (for Cybersource OAuth2,
 *   the merchant grant in place of the refresh token, lib/cybersource/refreshLedger.ts);
 * - a token is reused until `expiresAt - skew` (skew 60 s, at most a fifth of the lifetime, so a
 *   short-lived token is not renewed twice as often as it expires);
 * - one fetch per key at a time: concurrent callers await the same promise;
 * - failures are never cached; a 401 drops the entry (compare-and-delete on the token);
 * - a renewal that fails while the cached token is still valid serves that token on (an outage
 *   of the token endpoint in the last minute of a token's life does not fail runs);
 * - bounded by LRU eviction, timer-free, with an injectable clock.
 */
export interface CachedToken extends TokenSet {
	/** Epoch ms when the server said the token expires. */
	expiresAt: number;
	/** Epoch ms from which the cache fetches a new token instead of handing this one out. */
	renewAt: number;
}

export interface TokenCacheOptions {
	/** Most entries kept; the least recently used goes first. Default 1000. */
	maxEntries?: number;
	/** Renew this long before expiry. Default 60 s; never more than a fifth of the lifetime. */
	skewMs?: number;
	/** Lifetime assumed when the server sends no `expires_in`. Default 1 hour. */
	defaultLifetimeMs?: number;
	now?: () => number;
}

export interface CacheStats {
	hits: number;
	fetches: number;
	evictions: number;
	/** Renewals that failed while the cached token was still valid (it was served on). */
	renewalFailures: number;
}

export const DEFAULT_MAX_ENTRIES = 1000;
export const DEFAULT_SKEW_MS = 60_000;
export const DEFAULT_LIFETIME_MS = 3_600_000;
/** The skew never exceeds this share of a token's lifetime (DESIGN §6 allows up to half). */
export const MAX_SKEW_SHARE = 0.2;

export class TokenCache {
	private readonly entries = new Map<string, CachedToken>();
	private readonly inFlight = new Map<string, Promise<CachedToken>>();
	private readonly maxEntries: number;
	private readonly skewMs: number;
	private readonly defaultLifetimeMs: number;
	private readonly now: () => number;
	readonly stats: CacheStats = { hits: 0, fetches: 0, evictions: 0, renewalFailures: 0 };

	constructor(options: TokenCacheOptions = {}) {
		this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
		this.skewMs = Math.max(0, options.skewMs ?? DEFAULT_SKEW_MS);
		this.defaultLifetimeMs = options.defaultLifetimeMs ?? DEFAULT_LIFETIME_MS;
		this.now = options.now ?? Date.now;
	}

	get size(): number {
		return this.entries.size;
	}

	/**
	 * A token for `key`: the cached one while it is fresh, otherwise the result of `fetch`,
	 * shared with every caller that asks while it runs. `fetch` failures reach every waiting
	 * caller and leave nothing behind.
	 */
	async get(key: string, fetch: () => Promise<TokenSet>): Promise<CachedToken> {
		const fresh = this.peek(key);
		if (fresh !== undefined) return fresh;
		const stillValid = this.peekUnexpired(key);
		if (stillValid === undefined) return await this.fetchOnce(key, fetch);
		// In the renewal window: when the renewal fails (the token endpoint is down), the token the
		// server still accepts serves on, and the next call tries the renewal again.
		return await this.fetchOnce(key, fetch).then(
			(renewed) => renewed,
			() => {
				this.stats.renewalFailures++;
				return stillValid;
			},
		);
	}

	/** The cached token while it is fresh (before `renewAt`); marks it recently used. */
	peek(key: string): CachedToken | undefined {
		const entry = this.entries.get(key);
		if (entry === undefined) return undefined;
		if (this.now() >= entry.renewAt) return undefined;
		// Map keeps insertion order: re-inserting makes this the most recently used entry.
		this.entries.delete(key);
		this.entries.set(key, entry);
		this.stats.hits++;
		return entry;
	}

	/** The cached token while the server still accepts it (before `expiresAt`), fresh or not. */
	peekUnexpired(key: string): CachedToken | undefined {
		const entry = this.entries.get(key);
		return entry !== undefined && this.now() < entry.expiresAt ? entry : undefined;
	}

	/**
	 * Drops the entry for `key` if it still holds `accessToken` (or any token when none is
	 * given). Comparing first means many requests failing with the same old token cause one
	 * new fetch, not one each.
	 */
	invalidate(key: string, accessToken?: string): boolean {
		const entry = this.entries.get(key);
		if (entry === undefined || (accessToken !== undefined && entry.accessToken !== accessToken)) return false;
		return this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}

	private fetchOnce(key: string, fetch: () => Promise<TokenSet>): Promise<CachedToken> {
		const running = this.inFlight.get(key);
		if (running !== undefined) return running;
		const promise = this.fetchAndStore(key, fetch).finally(() => {
			if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
		});
		this.inFlight.set(key, promise);
		return promise;
	}

	private async fetchAndStore(key: string, fetch: () => Promise<TokenSet>): Promise<CachedToken> {
		this.stats.fetches++;
		// Lifetimes count from when the request was sent, so network time never makes us late.
		const issuedAt = this.now();
		const cached = this.toCached(await fetch(), issuedAt);
		this.store(key, cached);
		return cached;
	}

	private toCached(token: TokenSet, issuedAt: number): CachedToken {
		const lifetime = token.expiresIn !== undefined ? token.expiresIn * 1000 : this.defaultLifetimeMs;
		const skew = Math.min(this.skewMs, lifetime * MAX_SKEW_SHARE);
		return { ...token, expiresAt: issuedAt + lifetime, renewAt: issuedAt + lifetime - skew };
	}

	private store(key: string, token: CachedToken): void {
		this.entries.delete(key);
		this.entries.set(key, token);
		while (this.entries.size > this.maxEntries) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
			this.stats.evictions++;
		}
	}
}
