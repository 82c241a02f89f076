import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE } from '../../lib/n8n/merchantAuth';
import { nodeProperties, subtitleExpression } from './actions/resources';
import { loadOptions } from './actions/webhook/products';
import { apiCredentialTests, authenticationProperties, DOCUMENTATION } from './authentication';
import { MAX_CONCURRENCY, route } from './actions/router';
import { DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS } from './transport';

const timeoutField: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
	default: DEFAULT_TIMEOUT_SECONDS,
	description:
		"How long to wait for Cybersource's answer. A payment that gets no answer in time is not sent again: it may have been processed, so look it up before retrying.",
};

const concurrencyField: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: 1,
	description:
		'How many items to send at once. 1 sends them one after another. With more, a failure stops new items from starting; those in flight finish, and the error lists every item that was processed. Nothing is ever sent twice.',
};

export class Cybersource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybersource',
		name: 'cybersource',
		icon: { light: 'file:cybersource.svg', dark: 'file:cybersource.dark.svg' },
		group: ['transform'],
		// Version 2: the merchant key is the default authentication, Webhook Key opens on Create
		// Shared Secret Key, the timeout sits under Request Options, and Webhook > Create picks its
		// product and event types from lists. Version 1 keeps its defaults for saved workflows.
		version: [1, 2, 3],
		subtitle: subtitleExpression(),
		documentationUrl: `${DOCUMENTATION}#the-cybersource-node`,
		description: 'Authorize, capture, refund and look up payments and manage webhooks with Cybersource',
		defaults: { name: 'Cybersource' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'cybersourceApi', required: true, displayOptions: { show: { authentication: [MERCHANT_TYPE] } } },
			{
				name: 'cybersourceOAuth2Api',
				required: true,
				testedBy: 'cybersourceOAuth2ApiTest',
				displayOptions: { show: { authentication: [CYBERSOURCE_TYPE] } },
			},
			{ name: 'oAuth2ClientCredentialsApi', required: true, displayOptions: { show: { authentication: [CLIENT_CREDENTIALS_TYPE] } } },
			{ name: 'oAuth2JwtClientAssertionApi', required: true, displayOptions: { show: { authentication: [JWT_CLIENT_ASSERTION_TYPE] } } },
		],
		properties: [
			...authenticationProperties(CYBERSOURCE_TYPE, { '@version': [1] }),
			...authenticationProperties(MERCHANT_TYPE, { '@version': [{ _cnd: { gte: 2 } }] }),
			...nodeProperties(),
			{ ...timeoutField, displayOptions: { show: { '@version': [1] }, hide: { resource: ['oauth'] } } },
			{
				displayName: 'Request Options',
				name: 'requestOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [concurrencyField, timeoutField],
				displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] }, hide: { resource: ['oauth'] } },
			},
		],
	};

	methods = {
		credentialTest: apiCredentialTests,
		loadOptions,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
