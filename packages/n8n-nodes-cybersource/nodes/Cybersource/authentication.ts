import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDisplayOptions,
	INodeCredentialTestResult,
	INodeProperties,
} from 'n8n-workflow';

import { testCybersourceCredential } from '../../lib/n8n/cybersourceOAuth';

import { CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE } from '../../lib/n8n/merchantAuth';
import type { Authentication } from './transport';

/** The package's documentation: the README of the package folder in its repository. */
export const DOCUMENTATION = 'https://github.com/n8n-nodes-cybersource/n8n-nodes-cybersource/tree/main/packages/n8n-nodes-cybersource';

/**
 * Authentication and, for the generic OAuth2 credentials, the API host. `show` adds a condition
 * (the node version) so that each version can keep its own default. The merchant's own key comes
 * first: it is what most merchants have; the partner flow needs a partner registration.
 */
export function authenticationProperties(defaultAuthentication: Authentication, show: IDisplayOptions['show'] = {}): INodeProperties[] {
	const versioned = Object.keys(show ?? {}).length > 0 ? { displayOptions: { show } } : {};
	return [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Cybersource API (Merchant Key)', value: MERCHANT_TYPE, description: "The merchant's own REST key: HTTP Signature or JWT" },
				{ name: 'Cybersource OAuth2 (Partner)', value: CYBERSOURCE_TYPE, description: "A merchant's delegated access for a registered partner app, over mutual TLS" },
				{ name: 'OAuth2 Client Credentials', value: CLIENT_CREDENTIALS_TYPE, description: 'A generic OAuth2 client (e.g. an API gateway in front of Cybersource)' },
				{ name: 'OAuth2 JWT Client Assertion', value: JWT_CLIENT_ASSERTION_TYPE, description: 'A generic OAuth2 client that signs a JWT' },
			],
			default: defaultAuthentication,
			...versioned,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://apitest.cybersource.com',
			description: 'The API host the generic OAuth2 credentials call (the Cybersource credentials know their own)',
			displayOptions: { show: { ...show, authentication: [CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE] } },
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
