import { randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { authorizationUrl, interpretRedirect, newState } from '../cybersource/oauthFlow';
import { OAuth2Error } from '../oauth2/errors';
import type { TokenSet } from '../oauth2/tokenResponse';
import { refreshThroughN8n } from './bearerAuth';
import { cybersourceConnection, cybersourceSource, cybersourceTokenRequest } from './cybersourceSource';
import { sendWithHelpers, sendWithLegacyRequest, type LegacyRequest } from './httpSender';

/**
 * The partner flow's steps as the Cybersource node runs them (../shared/seeds/001, 002).
 * Access tokens never leave the cache; a refresh token is handed out only where the user must
 * store it (after the authorization-code exchange and an explicit refresh).
 */
export function startAuthorization(credentials: ICredentialDataDecryptedObject, state?: string) {
	const connection = cybersourceConnection(credentials);
	const chosenState = state?.trim() ? state.trim() : newState();
	return {
		authorizationUrl: authorizationUrl({
			authorizationBaseUrl: connection.endpoints.authorizationBaseUrl,
			clientId: connection.clientId,
			redirectUrl: connection.redirectUrl,
			state: chosenState,
		}),
		state: chosenState,
		redirectUrl: connection.redirectUrl,
	};
}

function grantSummary(token: TokenSet): IDataObject {
	return {
		refreshToken: token.refreshToken,
		refreshTokenExpiresIn: token.extra.refresh_token_expires_in as number | undefined,
		accessTokenExpiresIn: token.expiresIn,
		scope: token.scope,
		clientStatus: token.extra.client_status as string | undefined,
	};
}

export async function exchangeAuthorizationCode(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
	redirect: string,
	expectedState: string,
): Promise<IDataObject> {
	const outcome = interpretRedirect(redirect, expectedState);
	if (outcome.kind === 'denied') {
		return {
			authorized: false,
			message:
				'The merchant denied access (or signed in without the rights to allow it): the redirect carried no authorization code. This is not an error; the merchant can authorize again later.',
		};
	}
	const connection = cybersourceConnection(credentials);
	const token = await cybersourceTokenRequest(
		connection,
		{ grantType: 'authorization_code', parameters: [['code', outcome.code]] },
		sendWithHelpers(helpers, connection.tls),
	);
	return {
		authorized: true,
		...grantSummary(token),
		message: "Store the refresh token in the Cybersource OAuth2 API credential's Refresh Token field for this merchant.",
	};
}

/**
 * Forces a refresh through n8n's auth layer, so that n8n stores the rotated refresh token in the
 * credential before the execution ends; the next API call uses the new access token.
 * `viaN8n` hands the credentials object to n8n's `httpRequestWithAuthentication`.
 */
export async function refreshNow(credentials: ICredentialDataDecryptedObject, viaN8n: () => Promise<unknown>): Promise<IDataObject> {
	const token = await refreshThroughN8n(cybersourceSource, credentials, viaN8n);
	return { refreshed: true, ...grantSummary(token) };
}

/** Token errors that mean Cybersource did not accept the partner application (seed 001). */
const CLIENT_REFUSED = new Set(['invalid_client', 'client_not_found', 'invalid_client_type', 'client_not_active', 'unauthorized_client']);

/**
 * The credential test. It must not use the refresh token: Cybersource replaces it on every use,
 * and a credential test (unlike a workflow) has no way to have n8n store the new one, so the
 * stored token would be dead after a restart. It checks every field locally, then makes a token
 * request that cannot change anything (an authorization code that does not exist) over mutual
 * TLS with the legacy helper, which carries the client certificate on n8n 1.x and 2.x, like the
 * workflows' requests: Cybersource authenticates the client before it looks at the code, so
 * any answer but a client error means certificate, Client ID and Client Secret are accepted.
 */
export async function testCybersourceCredential(request: LegacyRequest, credentials: ICredentialDataDecryptedObject): Promise<string> {
	cybersourceSource(credentials); // checks the Refresh Token field too, without using it
	const connection = cybersourceConnection(credentials);
	const refusal = await cybersourceTokenRequest(
		connection,
		{ grantType: 'authorization_code', parameters: [['code', `n8n-credential-test-${randomUUID()}`]] },
		sendWithLegacyRequest(request, connection.tls),
	).then(
		() => undefined,
		(error: unknown) => ({ error }),
	);
	if (refusal !== undefined) {
		const { error } = refusal;
		const clientAccepted = error instanceof OAuth2Error && error.kind === 'oauth' && !CLIENT_REFUSED.has(error.oauthError ?? '');
		if (!clientAccepted) throw error;
	}
	return 'Connected: Cybersource accepted the client certificate, Client ID and Client Secret. The refresh token was not used (Cybersource replaces it on every use, and n8n stores the new one only while a workflow runs); the first Cybersource call, or OAuth > Refresh Access Token, uses it.';
}
