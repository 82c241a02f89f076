import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
	INodeProperties,
} from 'n8n-workflow';

import { testCybersourceCredential } from '../../lib/n8n/cybersourceOAuth';

import { CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE } from '../../lib/n8n/merchantAuth';
import type { Authentication } from './transport';

/** Authentication and, for the generic OAuth2 credentials, the API host. */
export function authenticationProperties(defaultAuthentication: Authentication): INodeProperties[] {
	return [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Cybersource OAuth2 (Partner)', value: CYBERSOURCE_TYPE, description: "A merchant's delegated access, over mutual TLS" },
				{ name: 'Cybersource API (Merchant Key)', value: MERCHANT_TYPE, description: "The merchant's own REST key: HTTP Signature or JWT" },
				{ name: 'OAuth2 Client Credentials', value: CLIENT_CREDENTIALS_TYPE, description: 'A generic OAuth2 client (e.g. an API gateway in front of Cybersource)' },
				{ name: 'OAuth2 JWT Client Assertion', value: JWT_CLIENT_ASSERTION_TYPE, description: 'A generic OAuth2 client that signs a JWT' },
			],
			default: defaultAuthentication,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://apitest.cybersource.com',
			description: 'The API host the generic OAuth2 credentials call (the Cybersource credentials know their own)',
			displayOptions: { show: { authentication: [CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE] } },
		},
	];
}

/** The credential test behind `testedBy: 'cybersourceOAuth2ApiTest'` (both nodes offer it). */
export const apiCredentialTests = {
	async cybersourceOAuth2ApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		try {
			return { status: 'OK', message: testCybersourceCredential(credential.data ?? {}) };
		} catch (error) {
			return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
		}
	},
};
