import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { authorizationUrl, interpretRedirect, newState } from '../cybersource/oauthFlow';
import type { TokenSet } from '../oauth2/tokenResponse';
import { freshToken } from './bearerAuth';
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

/** Forces a refresh through the shared cache: the next API call uses the new access token. */
export async function refreshNow(helpers: IHttpRequestHelper['helpers'], credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
	const source = cybersourceSource(credentials);
	const token = await freshToken(source, sendWithHelpers(helpers, source.tls));
	return { refreshed: true, ...grantSummary(token) };
}

/** The credential test: a real refresh (with the legacy helper a credential test gets). */
export async function testCybersourceCredential(request: LegacyRequest, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const source = cybersourceSource(credentials);
	const token = await freshToken(source, sendWithLegacyRequest(request, source.tls));
	const minutes = token.expiresIn !== undefined ? `, valid for ${Math.round(token.expiresIn / 60)} minutes` : '';
	return `Connected: Cybersource issued an access token${minutes}${token.extra.client_status ? ` (partner status: ${String(token.extra.client_status)})` : ''}.`;
}
