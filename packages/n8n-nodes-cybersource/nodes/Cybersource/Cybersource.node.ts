import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE } from '../../lib/n8n/merchantAuth';
import { nodeProperties } from './actions/resources';
import { apiCredentialTests, authenticationProperties } from './authentication';
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
			...authenticationProperties(CYBERSOURCE_TYPE),
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
		credentialTest: apiCredentialTests,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
