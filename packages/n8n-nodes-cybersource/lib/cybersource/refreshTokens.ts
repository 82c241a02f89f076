import { createHash } from 'node:crypto';

/**
 * Cybersource rotates refresh tokens: each token response carries a new one and the newest
 * must be used next (../shared/DESIGN.md §4). This remembers, per merchant connection, the
 * newest refresh token seen in this process, and which connection a rotated token belongs to,
 * so a credential whose stored token was updated keeps its cache key.
 */
const MAX_CONNECTIONS = 10_000;

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

export class RefreshTokenChains {
	/** digest(any token of a chain) -> chain id (digest of the first token seen). */
	private readonly chainOf = new Map<string, string>();
	/** chain id -> newest refresh token. */
	private readonly newest = new Map<string, string>();

	/** The chain a refresh token belongs to (a new chain if it was never rotated here). */
	chain(refreshToken: string): string {
		const id = digest(refreshToken);
		return this.chainOf.get(id) ?? id;
	}

	/** The refresh token to use for a chain: the newest known, else the stored one. */
	current(chain: string, stored: string): string {
		return this.newest.get(chain) ?? stored;
	}

	rotate(chain: string, next: string): void {
		this.chainOf.set(digest(next), chain);
		this.newest.set(chain, next);
		// Bounded: forget the oldest connections first (Map keeps insertion order).
		while (this.newest.size > MAX_CONNECTIONS) this.newest.delete(this.newest.keys().next().value as string);
		while (this.chainOf.size > MAX_CONNECTIONS * 4) this.chainOf.delete(this.chainOf.keys().next().value as string);
	}
}
