import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { clientSecretBasic, clientSecretPost, type ClientAuthentication } from '../oauth2/clientAuthentication';
import { validateCustomParameters } from '../oauth2/customParameters';
import { fieldError } from '../oauth2/errors';
import { fingerprint } from '../oauth2/fingerprint';
import { ASSERTION_RESERVED_KEYS, jwtClientAssertion } from '../oauth2/jwtAssertion';
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
export const JWT_CLIENT_ASSERTION_TYPE = 'oAuth2JwtClientAssertionApi';

/** Applies a built token request to n8n request options (a request to the token endpoint). */
async function asTokenRequest(options: TokenRequestOptions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
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
 * A client credentials grant (RFC 6749 §4.4) read from a credential. The cache key is a
 * fingerprint of the raw fields, so a cache hit costs one hash; the client authentication
 * (which may parse a private key) is built only when a token is requested. Cheap checks (URL,
 * resource, custom parameters) run at once, so a wrong field is named before any request.
 */
function clientCredentialsGrant(
	type: string,
	credentials: ICredentialDataDecryptedObject,
	authenticationFields: Record<string, unknown>,
	makeClientAuthentication: (tokenUrl: string) => ClientAuthentication,
	reservedKeys: readonly string[] = [],
): TokenSource {
	const tokenUrl = validateTokenUrl(text(credentials, 'tokenUrl')).toString();
	const customParameters = customParametersOf(credentials);
	validateCustomParameters(customParameters, reservedKeys);
	const request = {
		tokenUrl,
		grantType: 'client_credentials',
		parameters: clientCredentialsParameters({
			scope: text(credentials, 'scope'),
			resource: text(credentials, 'resource'),
			audience: text(credentials, 'audience'),
		}),
		contentType: contentTypeOf(credentials),
		customParameters,
		reservedKeys,
	};
	const options = (): TokenRequestOptions => ({ ...request, clientAuthentication: makeClientAuthentication(tokenUrl) });
	return {
		key: `${type}:${fingerprint({ request, authenticationFields })}`,
		tokenUrl,
		fetch: async (send) => await requestToken(options(), send),
		authenticateTokenRequest: async (requestOptions) => await asTokenRequest(options(), requestOptions),
	};
}

/** "OAuth2 Client Credentials API": client_secret_post or client_secret_basic. */
export function clientCredentialsSource(credentials: ICredentialDataDecryptedObject): TokenSource {
	const fields = {
		clientId: text(credentials, 'clientId'),
		clientSecret: text(credentials, 'clientSecret'),
		inHeader: text(credentials, 'clientAuthentication') === 'header',
	};
	// Built at once: checks that id and secret are there, and costs nothing.
	const authentication = fields.inHeader
		? clientSecretBasic(fields.clientId, fields.clientSecret)
		: clientSecretPost(fields.clientId, fields.clientSecret);
	return clientCredentialsGrant(CLIENT_CREDENTIALS_TYPE, credentials, fields, () => authentication);
}

/** "OAuth2 JWT Client Assertion API": private_key_jwt or client_secret_jwt (RFC 7523 §2.2). */
export function jwtClientAssertionSource(credentials: ICredentialDataDecryptedObject): TokenSource {
	const fields = {
		clientId: text(credentials, 'clientId'),
		algorithm: text(credentials, 'algorithm') || 'RS256',
		privateKey: text(credentials, 'privateKey'),
		privateKeyPassphrase: text(credentials, 'privateKeyPassphrase'),
		clientSecret: text(credentials, 'clientSecret'),
		keyId: text(credentials, 'keyId'),
		certificate: text(credentials, 'certificate'),
		includeX5t: credentials.includeX5t === true,
		assertionAudience: text(credentials, 'assertionAudience') || 'tokenUrl',
		issuer: text(credentials, 'issuer'),
		customAudience: text(credentials, 'customAudience'),
		assertionLifetime: credentials.assertionLifetime === undefined ? 300 : Number(credentials.assertionLifetime),
	};
	let authentication: ClientAuthentication | undefined;
	const makeAuthentication = (tokenUrl: string): ClientAuthentication => {
		authentication ??= jwtClientAssertion({
			clientId: fields.clientId,
			algorithm: fields.algorithm,
			privateKey: fields.privateKey,
			privateKeyPassphrase: fields.privateKeyPassphrase,
			clientSecret: fields.clientSecret,
			keyId: fields.keyId,
			certificate: fields.certificate,
			includeX5t: fields.includeX5t,
			audience: assertionAudience(fields, tokenUrl),
			lifetimeSeconds: fields.assertionLifetime,
		});
		return authentication;
	};
	// The key is parsed and checked when a token is requested (before anything is sent), not on
	// every cache hit.
	return clientCredentialsGrant(JWT_CLIENT_ASSERTION_TYPE, credentials, fields, makeAuthentication, ASSERTION_RESERVED_KEYS);
}

function assertionAudience(fields: { assertionAudience: string; issuer: string; customAudience: string }, tokenUrl: string): string {
	if (fields.assertionAudience === 'issuer') {
		if (fields.issuer.trim() === '') throw audienceMissing('Issuer', 'the issuer URL of the authorization server');
		return fields.issuer;
	}
	if (fields.assertionAudience === 'custom') {
		if (fields.customAudience.trim() === '') throw audienceMissing('Custom Audience', 'the audience the server expects');
		return fields.customAudience;
	}
	return tokenUrl;
}

function audienceMissing(field: string, what: string) {
	return fieldError(field, `is empty; with this Assertion Audience, enter ${what}.`);
}
