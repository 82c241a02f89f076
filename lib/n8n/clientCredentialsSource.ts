import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { clientSecretBasic, clientSecretPost } from '../oauth2/clientAuthentication';
import { validateCustomParameters } from '../oauth2/customParameters';
import { fingerprint } from '../oauth2/fingerprint';
import { requestToken } from '../oauth2/tokenEndpoint';
import {
	buildTokenRequest,
	clientCredentialsParameters,
	validateTokenUrl,
	type TokenRequestOptions,
} from '../oauth2/tokenRequest';
import type { TokenSource } from './bearerAuth';
import { contentTypeOf, customParametersOf, text } from './credentialFields';

export const CLIENT_CREDENTIALS_TYPE = 'oAuth2ClientCredentialsApi';

/** Applies a built token request to n8n request options (used for a request to the token endpoint). */
export async function asTokenRequest(
	options: TokenRequestOptions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const request = await buildTokenRequest(options);
	return {
		...requestOptions,
		baseURL: undefined,
		url: request.url,
		method: request.method,
		headers: { ...(requestOptions.headers ?? {}), ...request.headers },
		body: request.body,
		qs: undefined,
	};
}

/**
 * Reads an "OAuth2 Client Credentials API" credential into a token source. Validates the
 * fields that need no network (URL, client id and secret, resource, custom parameters), so a
 * wrong field is reported, by name, before any request.
 */
export function clientCredentialsSource(credentials: ICredentialDataDecryptedObject): TokenSource {
	const tokenUrl = validateTokenUrl(text(credentials, 'tokenUrl')).toString();
	const clientId = text(credentials, 'clientId');
	const clientSecret = text(credentials, 'clientSecret');
	const inHeader = text(credentials, 'clientAuthentication') === 'header';
	const clientAuthentication = inHeader ? clientSecretBasic(clientId, clientSecret) : clientSecretPost(clientId, clientSecret);
	const options: TokenRequestOptions = {
		tokenUrl,
		grantType: 'client_credentials',
		parameters: clientCredentialsParameters({
			scope: text(credentials, 'scope'),
			resource: text(credentials, 'resource'),
			audience: text(credentials, 'audience'),
		}),
		clientAuthentication,
		contentType: contentTypeOf(credentials),
		customParameters: customParametersOf(credentials),
	};
	validateCustomParameters(options.customParameters ?? []);
	return {
		key: `${CLIENT_CREDENTIALS_TYPE}:${fingerprint({ ...options, clientAuthentication: [clientAuthentication.method, clientId, clientSecret] })}`,
		tokenUrl,
		fetch: async (send) => await requestToken(options, send),
		authenticateTokenRequest: async (requestOptions) => await asTokenRequest(options, requestOptions),
	};
}
