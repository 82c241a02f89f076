import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { bearerAuthenticate, bearerPreAuthentication } from '../lib/n8n/bearerAuth';
import { clientCredentialsSource } from '../lib/n8n/grantSources';
import { grantProperties, tokenEndpointTest, tokenUrlProperty } from '../lib/n8n/credentialFields';

/**
 * OAuth2 client credentials grant (RFC 6749 §4.4) with the options of SAP Cloud Integration's
 * OAuth2 Client Credentials artifact. Tokens come from the process-wide cache, are renewed
 * shortly before they expire and replaced after one 401, also in n8n's HTTP Request node.
 */
export class ClientCredentialsOAuth2Api implements ICredentialType {
	name = 'oAuth2ClientCredentialsApi';

	displayName = 'OAuth2 Client Credentials (Cybersource Package) API';

	icon: Icon = { light: 'file:icons/oauth2.svg', dark: 'file:icons/oauth2.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cybersource/n8n-nodes-cybersource/tree/main/packages/n8n-nodes-cybersource#oauth2-client-credentials';

	properties: INodeProperties[] = [
		tokenUrlProperty,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
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
			displayName: 'Client Authentication',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{
					name: 'Send in Body',
					value: 'body',
					description: 'client_id and client_secret as body parameters (client_secret_post)',
				},
				{
					name: 'Send as Basic Auth Header',
					value: 'header',
					description: 'An Authorization: Basic header, encoded as RFC 6749 §2.3.1 requires (client_secret_basic)',
				},
			],
			default: 'body',
			description: 'How the client ID and secret reach the token endpoint',
		},
		...grantProperties(),
	];

	preAuthentication = bearerPreAuthentication(clientCredentialsSource);

	authenticate = bearerAuthenticate(clientCredentialsSource);

	test: ICredentialTestRequest = tokenEndpointTest();
}
