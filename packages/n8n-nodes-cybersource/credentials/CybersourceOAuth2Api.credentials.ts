import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { accessTokenProperty, bearerAuthenticate, bearerPreAuthentication } from '../lib/n8n/bearerAuth';
import { cybersourceSource } from '../lib/n8n/cybersourceSource';

/**
 * Cybersource's OAuth for technology partners (../shared/seeds/001): the merchant authorizes
 * the partner's application once; the partner then refreshes 15-minute access tokens with the
 * merchant's refresh token, over mutual TLS, and calls the API on the merchant's behalf.
 * Tested without a request (a test must not spend the refresh token): see lib/n8n/cybersourceOAuth.ts.
 */
export class CybersourceOAuth2Api implements ICredentialType {
	name = 'cybersourceOAuth2Api';

	displayName = 'Cybersource OAuth2 API';

	icon: Icon = { light: 'file:icons/cybersource.svg', dark: 'file:icons/cybersource.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cybersource/n8n-nodes-cybersource/tree/main/packages/n8n-nodes-cybersource#cybersource-oauth2';

	properties: INodeProperties[] = [
		{
			displayName:
				'For registered Cybersource technology partners; merchants use the Cybersource API credential with their own key. Saving checks these fields without contacting Cybersource (n8n cannot send a client certificate from a credential test, and a test must not spend the refresh token), so "Connection tested successfully" means complete and well-formed; the first request, or OAuth > Refresh Access Token in the Cybersource node, proves them.',
			name: 'partnerNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Test', value: 'test', description: 'api-matest.cybersource.com and businesscentertest.cybersource.com' },
				{ name: 'Production', value: 'production', description: 'api-ma.cybersource.com and businesscenter.cybersource.com' },
				{ name: 'Custom', value: 'custom', description: 'Other hosts, e.g. a local sandbox' },
			],
			default: 'test',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api-matest.cybersource.com',
			description: 'The mutual-TLS host that serves both the token endpoint (/oauth2/v3/token) and the API',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Authorization Base URL',
			name: 'authorizationBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://businesscentertest.cybersource.com',
			description: 'The Business Center host where merchants grant access; defaults to the API Base URL',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From Account Management > Authorized Applications in the Business Center',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"The merchant's refresh token, from the Cybersource node's OAuth > Exchange Authorization Code. Cybersource replaces it on every refresh; n8n stores the new one here automatically.",
		},
		{
			// Digests, not secrets: which merchant grant the refresh token belongs to, so that every
			// n8n process shares one cached access token per grant (lib/cybersource/refreshLedger).
			displayName: 'Grant Lineage',
			name: 'grantLineage',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Client Certificate',
			name: 'clientCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'PEM certificate for mutual TLS (issued by Entrust, common name registered with Cybersource)',
		},
		{
			displayName: 'Client Private Key',
			name: 'clientPrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'PEM private key of the client certificate',
		},
		{
			displayName: 'Client Private Key Passphrase',
			name: 'clientPrivateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key',
		},
		{
			displayName: 'CA Certificate',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description: "Optional PEM CA certificate(s) to trust for the server's certificate instead of the usual CAs",
		},
		{
			displayName: 'Redirect URL',
			name: 'redirectUrl',
			type: 'string',
			default: '',
			placeholder: 'https://partner.example.com/cybersource/callback',
			description: 'The redirect URL registered for your application, character for character',
		},
		{
			displayName: 'Send Correlation ID',
			name: 'sendCorrelationId',
			type: 'boolean',
			default: true,
			description: 'Whether to send a unique v-c-client-correlation-id header with every token request, as Cybersource recommends',
		},
		accessTokenProperty,
	];

	preAuthentication = bearerPreAuthentication(cybersourceSource);

	authenticate = bearerAuthenticate(cybersourceSource);
}
