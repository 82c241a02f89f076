import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { fieldError, OAuth2Error } from '../oauth2/errors';
import { PATHS } from './hosts';

/**
 * The merchant-facing half of Cybersource's partner OAuth (../shared/seeds/002): the
 * authorization URL, and interpreting the redirect that comes back.
 */

/** 256 bits from the CSPRNG, URL-safe: the `state` that ties a redirect to its request. */
export function newState(): string {
	return randomBytes(32).toString('base64url');
}

export function authorizationUrl(options: {
	authorizationBaseUrl: string;
	clientId: string;
	redirectUrl: string;
	state: string;
}): string {
	if (options.clientId.trim() === '') throw fieldError('Client ID', 'is empty. Enter the client ID of your registered application.');
	if (options.redirectUrl.trim() === '') {
		throw fieldError('Redirect URL', 'is empty. Enter the redirect URL registered for your application, exactly as registered.');
	}
	const url = new URL(`${options.authorizationBaseUrl}${PATHS.consentPage}`);
	// `redirect_url`, not `redirect_uri`: Cybersource's own name for it.
	url.searchParams.set('sub', 'oauth');
	url.searchParams.set('client_id', options.clientId);
	url.searchParams.set('redirect_url', options.redirectUrl);
	url.searchParams.set('state', options.state);
	return url.toString();
}

export type RedirectOutcome = { kind: 'code'; code: string } | { kind: 'denied' };

/** Compares in constant time (over fixed-length digests, so the length leaks nothing either). */
export function sameSecret(a: string, b: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(a), digest(b));
}

/**
 * Reads the redirect: a full URL, a query string, or just the parameters. No parameters at all
 * means the merchant denied (or lacked the rights to allow) access: not a failure. A `state`
 * that does not match the expected one may be a CSRF attack and is refused.
 */
export function interpretRedirect(redirect: string | { code?: string; state?: string }, expectedState: string): RedirectOutcome {
	let code: string | undefined;
	let state: string | undefined;
	if (typeof redirect === 'string') {
		const text = redirect.trim();
		const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text.includes('=') ? text : '';
		const params = new URLSearchParams(query.split('#')[0]);
		code = params.get('code') ?? undefined;
		state = params.get('state') ?? undefined;
	} else {
		code = redirect.code || undefined;
		state = redirect.state || undefined;
	}
	if (code === undefined && state === undefined) return { kind: 'denied' };
	if (expectedState.trim() === '') {
		throw fieldError('Expected State', 'is empty. Pass the state returned by Get Authorization URL for this merchant.');
	}
	if (state === undefined || !sameSecret(state, expectedState)) {
		throw new OAuth2Error(
			'configuration',
			'The state in the redirect does not match the expected state. This can be a cross-site request forgery (CSRF) attempt, so the authorization code was not used. Start again with Get Authorization URL.',
			{ field: 'State' },
		);
	}
	if (code === undefined) return { kind: 'denied' };
	return { kind: 'code', code };
}
