import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { authorizationUrl, interpretRedirect, newState } from '../cybersource/oauthFlow';
import type { TokenSet } from '../oauth2/tokenResponse';
import { refreshThroughN8n } from './bearerAuth';
import { checkCybersourceCredential, cybersourceConnection, cybersourceSource, cybersourceTokenRequest } from './cybersourceSource';
import { sendWithHelpers } from './httpSender';
import { requireClientCertificateSupport } from './n8nLine';

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

/**
 * The credential test, without a request. n8n offers two kinds of test, and neither can make
 * this credential's token request: a test function gets only n8n's deprecated `request` helper
 * (`ICredentialTestFunctions` in n8n-workflow 2.41), and a declarative `test` request first runs
 * the credential's `preAuthentication`, which would spend the refresh token: Cybersource replaces
 * it on every use, and n8n stores the new one only for a workflow's request. So the test checks
 * everything that can be checked here and says what it did not check.
 */
export function testCybersourceCredential(credentials: ICredentialDataDecryptedObject): string {
	requireClientCertificateSupport();
	checkCybersourceCredential(credentials);
	return 'Checked without contacting Cybersource: the environment and URLs, Client ID and Client Secret are filled in, the client certificate is readable, not expired and matches its private key (and passphrase), and a refresh token is present. n8n cannot send a client certificate from a credential test, and a test must not spend the refresh token (Cybersource replaces it on every use), so whether Cybersource accepts them shows on the first Cybersource request, or with OAuth > Refresh Access Token in the Cybersource node.';
}
