import { TokenCache } from '../oauth2/tokenCache';

/**
 * The one token cache of the process. n8n loads every credential and node of this package from
 * the same dist/ folder, so this module (and this cache) exists once: every node, item and
 * execution of the process shares it.
 */
let shared = new TokenCache();

export function sharedTokenCache(): TokenCache {
	return shared;
}

/** Replaces the shared cache (tests inject a clock or a small bound). Returns the old one. */
export function replaceSharedTokenCache(cache: TokenCache): TokenCache {
	const previous = shared;
	shared = cache;
	return previous;
}
