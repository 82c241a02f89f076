import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { bearerAuthenticate, bearerPreAuthentication } from '../lib/n8n/bearerAuth';
import { grantProperties, tokenEndpointTest, tokenUrlProperty } from '../lib/n8n/credentialFields';
import { jwtClientAssertionSource } from '../lib/n8n/grantSources';

const HMAC = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/**
 * OAuth2 client credentials grant where the client proves itself with a JWT it signs
 * (RFC 7523 §2.2): private_key_jwt with an RSA or EC key, or client_secret_jwt with HMAC.
 * For SAP Credential Store (oauth:key), Entra ID, Okta, Keycloak and FAPI servers.
 */
export class JwtClientAssertionOAuth2Api implements ICredentialType {
	name = 'oAuth2JwtClientAssertionApi';

	displayName = 'OAuth2 JWT Client Assertion (Cybersource Package) API';

	icon: Icon = { light: 'file:icons/oauth2.svg', dark: 'file:icons/oauth2.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cybersource/n8n-nodes-cybersource/tree/main/packages/n8n-nodes-cybersource#oauth2-jwt-client-assertion';

	properties: INodeProperties[] = [
		tokenUrlProperty,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Sent as client_id and used as the iss and sub claims of the assertion',
		},
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: 'ES256 (EC P-256 Key)', value: 'ES256' },
				{ name: 'ES384 (EC P-384 Key)', value: 'ES384' },
				{ name: 'ES512 (EC P-521 Key)', value: 'ES512' },
				{ name: 'HS256 (Client Secret)', value: 'HS256' },
				{ name: 'HS384 (Client Secret)', value: 'HS384' },
				{ name: 'HS512 (Client Secret)', value: 'HS512' },
				{ name: 'PS256 (RSA Key, PSS)', value: 'PS256' },
				{ name: 'PS384 (RSA Key, PSS)', value: 'PS384' },
				{ name: 'PS512 (RSA Key, PSS)', value: 'PS512' },
				{ name: 'RS256 (RSA Key)', value: 'RS256' },
				{ name: 'RS384 (RSA Key)', value: 'RS384' },
				{ name: 'RS512 (RSA Key)', value: 'RS512' },
			],
			default: 'RS256',
			description: 'How the assertion is signed: RS/PS/ES with a private key (private_key_jwt), HS with the client secret (client_secret_jwt)',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC; encrypted keys need the passphrase). Line breaks may be pasted as \\n.',
			displayOptions: { show: { algorithm: ASYMMETRIC } },
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'privateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key',
			displayOptions: { show: { algorithm: ASYMMETRIC } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Signs the assertion with HMAC; at least as long as the hash (32 bytes for HS256)',
			displayOptions: { show: { algorithm: HMAC } },
		},
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			description: 'Optional "kid" header: the ID under which the server knows the key',
		},
		{
			displayName: 'Certificate',
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'Optional PEM certificate of the key; adds its SHA-256 thumbprint as "x5t#S256" (Microsoft Entra ID wants it)',
			displayOptions: { show: { algorithm: ASYMMETRIC } },
		},
		{
			displayName: 'Also Send SHA-1 Thumbprint (X5t)',
			name: 'includeX5t',
			type: 'boolean',
			default: false,
			description: 'Whether to add the certificate\'s SHA-1 thumbprint as "x5t" too, for servers that only know that one',
			displayOptions: { show: { algorithm: ASYMMETRIC } },
		},
		{
			displayName: 'Assertion Audience',
			name: 'assertionAudience',
			type: 'options',
			options: [
				{ name: 'Token URL', value: 'tokenUrl', description: 'The token endpoint URL (OpenID Connect default, Okta, SAP)' },
				{ name: 'Issuer', value: 'issuer', description: "The authorization server's issuer identifier (FAPI 2, newer servers)" },
				{ name: 'Custom', value: 'custom', description: 'Any other value the server documents' },
			],
			default: 'tokenUrl',
			description: 'The "aud" claim of the assertion: what the server expects differs between servers',
		},
		{
			displayName: 'Issuer',
			name: 'issuer',
			type: 'string',
			default: '',
			placeholder: 'https://auth.example.com',
			description: "The authorization server's issuer identifier, exactly as in its metadata",
			displayOptions: { show: { assertionAudience: ['issuer'] } },
		},
		{
			displayName: 'Custom Audience',
			name: 'customAudience',
			type: 'string',
			default: '',
			displayOptions: { show: { assertionAudience: ['custom'] } },
		},
		{
			displayName: 'Assertion Lifetime (Seconds)',
			name: 'assertionLifetime',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 300,
			description: 'How long each signed assertion is valid (1 to 3600). Short is safer.',
		},
		...grantProperties(),
	];

	preAuthentication = bearerPreAuthentication(jwtClientAssertionSource);

	authenticate = bearerAuthenticate(jwtClientAssertionSource);

	test: ICredentialTestRequest = tokenEndpointTest();
}
