import { createHash } from 'node:crypto';

/**
 * Cybersource rotates refresh tokens: every token answer carries a new one, and only the newest
 * is accepted next (../shared/DESIGN.md §4). Several n8n processes (queue-mode workers, a
 * webhook process, `n8n execute`) share one credential in n8n's database, so this file answers
 * two questions for every process without any of them talking to the others:
 *
 * 1. **Which grant is this?** The merchant's authorization, the same in every process and across
 *    rotations, so that every process keeps one cache entry per grant. The credential carries a
 *    hidden, non-secret *lineage* `<grant>.<of>`, written by n8n together with each new refresh
 *    token: `grant` is the digest of the grant's first refresh token, `of` the digest of the
 *    refresh token it was written with. A copy whose `of` matches its refresh token belongs to
 *    `grant`; any other copy (first use, a token pasted in the editor) starts the grant
 *    `digest(refreshToken)`, which every process computes alike.
 * 2. **Which refresh token to send, and which to store?** Per grant, each process keeps the token
 *    it believes newest (`current`) and the digests of the tokens it knows are used up (`spent`).
 *    A copy's token that is neither was issued to another process after them, so it is newer.
 *    A token is stored by n8n only from the call that received it from Cybersource, the newest
 *    of its grant at that moment: an older token is never written over a newer one.
 */
export const digestOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64url');

/** The grant a credential's refresh token belongs to, from the lineage stored beside it. */
export function grantOf(refreshToken: string, lineage: string): string {
	const separator = lineage.indexOf('.');
	const tokenDigest = digestOf(refreshToken);
	if (separator > 0 && lineage.slice(separator + 1) === tokenDigest) return lineage.slice(0, separator);
	return tokenDigest;
}

/** The lineage to store with a refresh token just issued for `grant`. */
export function lineageOf(grant: string, refreshToken: string): string {
	return `${grant}.${digestOf(refreshToken)}`;
}

/** What this process knows of one grant. */
interface GrantState {
	current: string;
	/** Digests of used-up tokens, oldest first. */
	spent: string[];
}

/** Most used-up tokens remembered per grant: copies older than that are rare and cost one refusal. */
const MAX_SPENT = 16;
/** Most grants remembered; the least recently used is forgotten first. */
const MAX_GRANTS = 10_000;

export class RefreshLedger {
	private readonly grants = new Map<string, GrantState>();

	/**
	 * The refresh token to send for `grant`, given the one in this request's copy of the
	 * credential: this process's newest when the copy is older; the copy's own when another
	 * process stored it (it becomes this process's newest, and the one it replaces is spent).
	 */
	tokenToSend(grant: string, copyToken: string): string {
		const state = this.grants.get(grant);
		if (state === undefined) {
			this.remember(grant, { current: copyToken, spent: [] });
			return copyToken;
		}
		this.touch(grant, state);
		if (copyToken === state.current || state.spent.includes(digestOf(copyToken))) return state.current;
		// Issued to another process after everything this one knows: its predecessor, our current, is used up.
		this.spend(state, state.current);
		state.current = copyToken;
		return copyToken;
	}

	/** Cybersource answered the refresh of `sent` with `issued`. */
	rotated(grant: string, sent: string, issued: string): void {
		this.markSpent(grant, sent).current = issued;
	}

	/** Cybersource refused `sent` as already used: it is never sent again by this process. */
	refused(grant: string, sent: string): void {
		this.markSpent(grant, sent);
	}

	/** `sent` is used up; the grant's state, created (with `sent` as its newest) if new. */
	private markSpent(grant: string, sent: string): GrantState {
		const state = this.grants.get(grant) ?? { current: sent, spent: [] };
		this.spend(state, sent);
		this.remember(grant, state);
		return state;
	}

	/** Whether this process knows `token` of `grant` to be used up. */
	isSpent(grant: string, token: string): boolean {
		return this.grants.get(grant)?.spent.includes(digestOf(token)) ?? false;
	}

	private spend(state: GrantState, token: string): void {
		const tokenDigest = digestOf(token);
		if (state.spent.includes(tokenDigest)) return;
		state.spent.push(tokenDigest);
		if (state.spent.length > MAX_SPENT) state.spent.shift();
	}

	private touch(grant: string, state: GrantState): void {
		this.grants.delete(grant);
		this.grants.set(grant, state);
	}

	private remember(grant: string, state: GrantState): void {
		this.touch(grant, state);
		while (this.grants.size > MAX_GRANTS) this.grants.delete(this.grants.keys().next().value as string);
	}
}
