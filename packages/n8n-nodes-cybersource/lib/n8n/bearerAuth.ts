import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import type { SendHttpRequest } from '../oauth2/http';
import type { TokenSet } from '../oauth2/tokenResponse';
import type { ClientTlsMaterial } from '../oauth2/mutualTls';
import { sendWithHelpers, type HttpRequestHelpers } from './httpSender';
import { requireClientCertificateSupport } from './n8nLine';
import { sharedTokenCache } from './sharedTokenCache';

/**
 * Riding n8n's auth layer without losing proactive renewal (../shared/DESIGN.md §6).
 *
 * n8n calls a credential's `preAuthentication` only while its hidden expirable field is empty,
 * or again after a failed request with the same credentials object; it stores the result only
 * when it contains the expirable key. So:
 * - `preAuthentication` makes sure the shared cache holds a fresh token (a hit costs nothing).
 *   It returns the expirable key only together with a refresh token that Cybersource has just
 *   issued to this very call, the newest of its grant: n8n stores that, and nothing else ever.
 *   The field stays empty in the database, so n8n asks again next time, which lets the cache
 *   renew tokens before they expire.
 * - `authenticate` sends the cached token, remembers it per credentials object, and marks the
 *   object's expirable field as in use. n8n reuses one object for several requests in places
 *   (declarative nodes); with the mark it skips `preAuthentication` for them, so when it does
 *   call it for an object we marked, it is retrying a request that failed. The token sent is
 *   dropped (compare-and-delete). Then it depends on n8n's helper: `httpRequestWithAuthentication`
 *   asks only after a 401, a request the server refused, and resends once whatever we return,
 *   so a new token is fetched for it. n8n's deprecated legacy helper (which the HTTP Request
 *   node still uses; this package never calls it) asks after a failure of any kind, a
 *   connection reset after a payment went out included: nothing is returned, so n8n resends
 *   nothing, and the next request gets a new token. The Cybersource node's transport resends after a 401 itself
 *   (`dropSentToken`); n8n never asks there.
 */
export const ACCESS_TOKEN_FIELD = 'accessToken';
const IN_USE = 'managed by the token cache';

/** The hidden expirable field every token credential of this package declares. */
export const accessTokenProperty: INodeProperties = {
	displayName: 'Access Token',
	name: ACCESS_TOKEN_FIELD,
	type: 'hidden',
	typeOptions: { expirable: true, password: true },
	default: '',
};

export interface TokenSource {
	/** Cache key: credential type + fingerprint of every token-shaping field. */
	key: string;
	/** Client certificate for the token endpoint and the API (mutual TLS). */
	tls?: ClientTlsMaterial;
	/** Requests a new token. */
	fetch(send: SendHttpRequest): Promise<TokenSet>;
	/** The token endpoint; a request to it is authenticated as a token request, not with a token. */
	tokenUrl?: string;
	/** Turns a request to the token endpoint into the token request itself (credential test). */
	authenticateTokenRequest?(requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions>;
	/**
	 * Fields n8n should store after `fetch` returned `token`, e.g. the refresh token Cybersource
	 * just issued (n8n persists what preAuthentication returns with the expirable field). Asked
	 * only of the call that ran the fetch, never of a cache hit: what it returns is the newest.
	 */
	issued?(token: TokenSet): IDataObject | undefined;
}

/** Reads the credential's fields into a TokenSource; throws a field-named error when one is wrong. */
export type DescribeTokenSource = (credentials: ICredentialDataDecryptedObject) => TokenSource;

const sources = new WeakMap<object, TokenSource>();
/** The access token `authenticate` sent with a credentials object (`''` when none was cached). */
const sentTokens = new WeakMap<object, string>();
/**
 * Credentials objects last sent through n8n's deprecated legacy helper by another node (its
 * options carry `uri`, the modern helper's `url`), which retries after any failure, not only a 401.
 */
const sentByLegacyHelper = new WeakSet<object>();
/** Credentials objects whose next `preAuthentication` must fetch a new token (forced refresh). */
const forceRefresh = new WeakSet<object>();
/** Credentials objects whose `preAuthentication` failed: n8n's legacy helper calls it again at once. */
const failedOnce = new WeakSet<object>();
/**
 * The token failure of a credentials object, as thrown, until a token is had again: a sender
 * tells "no token, nothing sent" from "sent, no answer" by it, and `authenticate` refuses to send
 * that object without a token (a caller that reuses it after the failure).
 */
const tokenFailures = new WeakMap<object, unknown>();
/** Credentials objects sent only to have n8n run (and persist) `preAuthentication`, not a request. */
const refreshOnly = new WeakSet<object>();
/**
 * n8n hands every request a freshly decrypted copy of the credential, so describing it (URL and
 * PEM parsing, the SHA-256 fingerprint) would run per request. Sources are kept per describe
 * function, keyed by the raw fields as JSON (which is cheap), bounded like the token cache.
 */
const MAX_DESCRIBED = 1000;
const described = new Map<DescribeTokenSource, Map<string, TokenSource>>();

function rawFields(credentials: ICredentialDataDecryptedObject): string {
	return JSON.stringify(credentials, (key, value: unknown) => (key === ACCESS_TOKEN_FIELD ? undefined : value));
}

function sourceOf(describe: DescribeTokenSource, credentials: ICredentialDataDecryptedObject): TokenSource {
	let source = sources.get(credentials);
	if (source !== undefined) return source;
	let memo = described.get(describe);
	if (memo === undefined) {
		memo = new Map();
		described.set(describe, memo);
	}
	const raw = rawFields(credentials);
	source = memo.get(raw);
	if (source === undefined) {
		source = describe(credentials);
		if (memo.size >= MAX_DESCRIBED) memo.delete(memo.keys().next().value as string);
		memo.set(raw, source);
	}
	sources.set(credentials, source);
	return source;
}

export function bearerPreAuthentication(describe: DescribeTokenSource) {
	return async function preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		// n8n's legacy helper asks again right after we failed: one token request per failure is enough.
		if (failedOnce.delete(credentials)) return {};
		const outcome = await ensureToken(describe, credentials, this.helpers as HttpRequestHelpers).then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) {
			failedOnce.add(credentials);
			tokenFailures.set(credentials, outcome.error);
			throw outcome.error;
		}
		tokenFailures.delete(credentials);
		return outcome.value;
	};
}

/** The work of `preAuthentication`: a fresh token in the cache, and what n8n should store. */
async function ensureToken(describe: DescribeTokenSource, credentials: ICredentialDataDecryptedObject, helpers: HttpRequestHelpers): Promise<IDataObject> {
	const source = sourceOf(describe, credentials);
	if (sentTokens.has(credentials)) {
		// n8n retries a request that went out with this object: its token may be refused.
		const afterAnyFailure = sentByLegacyHelper.has(credentials);
		dropSentToken(credentials);
		// The legacy helper's request may have been processed: no expirable key, so no resend.
		if (afterAnyFailure) return {};
	}
	const cache = sharedTokenCache();
	if (forceRefresh.delete(credentials)) cache.invalidate(source.key);
	let issued: IDataObject | undefined;
	await cache.get(source.key, async () => {
		const token = await source.fetch(sendWithHelpers(helpers, source.tls));
		// Only the call that ran the fetch learns what to store; callers that awaited it store nothing.
		issued = source.issued?.(token);
		return token;
	});
	return issued === undefined ? {} : { ...issued, [ACCESS_TOKEN_FIELD]: '' };
}

/**
 * After a request sent with `credentials` was refused with 401: drops the token it carried from
 * the shared cache, if no other request replaced it yet (compare-and-delete), so that the next
 * `preAuthentication` fetches a new one. The sender resends with a fresh copy of the credential.
 */
export function dropSentToken(credentials: ICredentialDataDecryptedObject): void {
	const source = sources.get(credentials);
	const sent = sentTokens.get(credentials);
	sentTokens.delete(credentials);
	sentByLegacyHelper.delete(credentials);
	if (source !== undefined && sent !== undefined && sent !== '') sharedTokenCache().invalidate(source.key, sent);
}

/** Why `preAuthentication` could not get a token for this credentials object, if it could not. */
export function tokenFailureOf(credentials: ICredentialDataDecryptedObject): unknown {
	return tokenFailures.get(credentials);
}

/** Thrown by `authenticate` for a refresh-only call: nothing is sent. */
class RefreshOnlyStop extends Error {
	constructor() {
		super('Only the access token was refreshed; no request was sent.');
		this.name = 'RefreshOnlyStop';
	}
}

/**
 * A forced refresh that n8n persists. n8n stores a credential only after `preAuthentication`
 * returns, and runs that only inside its `*WithAuthentication` helpers; so `run` hands the
 * credentials object to such a helper (as `credentialsDecrypted`): `preAuthentication` fetches
 * a new token and n8n stores what changed (Cybersource's rotated refresh token), then
 * `authenticate` stops the request before anything is sent. Resolves with the new token.
 */
export async function refreshThroughN8n(
	describe: DescribeTokenSource,
	credentials: ICredentialDataDecryptedObject,
	run: () => Promise<unknown>,
): Promise<TokenSet> {
	const source = sourceOf(describe, credentials);
	credentials[ACCESS_TOKEN_FIELD] = '';
	forceRefresh.add(credentials);
	refreshOnly.add(credentials);
	const failure = await run().then(
		() => undefined,
		(error: unknown) => ({ error }),
	);
	// Still marked: authenticate was never reached, the refresh itself failed and n8n's error
	// (from preAuthentication) goes on. Unmarked: authenticate stopped the request, as planned.
	const refreshFailed = refreshOnly.has(credentials);
	forceRefresh.delete(credentials);
	refreshOnly.delete(credentials);
	if (failure !== undefined && refreshFailed) throw failure.error;
	const token = sharedTokenCache().peekUnexpired(source.key);
	if (token === undefined) throw new Error('The refresh did not run: n8n did not call the credential\'s preAuthentication.');
	return token;
}

function targetUrl(requestOptions: IHttpRequestOptions): string | undefined {
	try {
		return new URL(requestOptions.url, requestOptions.baseURL).toString();
	} catch {
		return undefined;
	}
}

export function bearerAuthenticate(describe: DescribeTokenSource) {
	return async function authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (refreshOnly.delete(credentials)) throw new RefreshOnlyStop();
		// Reaching authenticate ends a failure episode: the next preAuthentication works normally.
		failedOnce.delete(credentials);
		const source = sourceOf(describe, credentials);
		// n8n 1.x would send the request without the certificate: refused there (the token fetch
		// in preAuthentication already was).
		if (source.tls !== undefined) requireClientCertificateSupport();
		if (source.tokenUrl !== undefined && source.authenticateTokenRequest && targetUrl(requestOptions) === source.tokenUrl) {
			return await source.authenticateTokenRequest(requestOptions);
		}
		const cache = sharedTokenCache();
		// Fresh if possible; a token past its renewal time but not expired is still accepted.
		const token = cache.peek(source.key) ?? cache.peekUnexpired(source.key);
		if (token === undefined && tokenFailures.has(credentials)) {
			// The token request failed and nothing replaced it: the request is not sent at all.
			throw tokenFailures.get(credentials);
		}
		if (token !== undefined) tokenFailures.delete(credentials);
		const headers = { ...(requestOptions.headers ?? {}) };
		if (token !== undefined) headers.Authorization = `Bearer ${token.accessToken}`;
		// With no token (evicted between preAuthentication and now) the request goes out without
		// one: the server answers 401, and the sender's one resend after a 401 gets a new token.
		sentTokens.set(credentials, token?.accessToken ?? '');
		// The modern helper's options name the address `url`; the legacy ones `uri` (or, rarely, `url`
		// as well, then also `uri`-free: counted as modern, whose resend needs no expirable key).
		const legacy = typeof (requestOptions as { uri?: unknown }).uri === 'string' || typeof requestOptions.url !== 'string';
		if (legacy) sentByLegacyHelper.add(credentials);
		else sentByLegacyHelper.delete(credentials);
		credentials[ACCESS_TOKEN_FIELD] = IN_USE;
		const agentOptions = source.tls === undefined ? requestOptions.agentOptions : { ...requestOptions.agentOptions, ...source.tls };
		return { ...requestOptions, headers, agentOptions };
	};
}
