import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { testCybersourceCredential } from '../../lib/n8n/cybersourceOAuth';
import { CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE } from '../../lib/n8n/merchantAuth';
import { nodeProperties } from './actions/resources';
import { route } from './actions/router';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from './transport';

export class Cybersource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybersource',
		name: 'cybersource',
		icon: { light: 'file:cybersource.svg', dark: 'file:cybersource.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Authorize, capture, refund and look up payments and manage webhooks with Cybersource',
		defaults: { name: 'Cybersource' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'cybersourceOAuth2Api',
				required: true,
				testedBy: 'cybersourceOAuth2ApiTest',
				displayOptions: { show: { authentication: [CYBERSOURCE_TYPE] } },
			},
			{ name: 'cybersourceApi', required: true, displayOptions: { show: { authentication: [MERCHANT_TYPE] } } },
			{ name: 'oAuth2ClientCredentialsApi', required: true, displayOptions: { show: { authentication: [CLIENT_CREDENTIALS_TYPE] } } },
			{ name: 'oAuth2JwtClientAssertionApi', required: true, displayOptions: { show: { authentication: [JWT_CLIENT_ASSERTION_TYPE] } } },
		],
		properties: [
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
				default: CYBERSOURCE_TYPE,
			},
			{
				displayName: 'Base URL',
				name: 'baseUrl',
				type: 'string',
				default: 'https://apitest.cybersource.com',
				description: 'The API host the generic OAuth2 credentials call (the Cybersource credential knows its own)',
				displayOptions: { show: { authentication: [CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE] } },
			},
			...nodeProperties(),
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				default: DEFAULT_TIMEOUT_SECONDS,
				description:
					"How long to wait for Cybersource's answer. A payment that gets no answer in time is not sent again: it may have been processed, so look it up before retrying.",
				displayOptions: { hide: { resource: ['oauth'] } },
			},
		],
	};

	methods = {
		credentialTest: {
			async cybersourceOAuth2ApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				try {
					// A credential test gets only n8n's legacy request helper; the refresh must happen here
					// (not in a test request) so that the rotated refresh token is kept.
					// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
					const message = await testCybersourceCredential(this.helpers.request, credential.data ?? {});
					return { status: 'OK', message };
				} catch (error) {
					return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
