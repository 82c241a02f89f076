import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE } from '../../lib/n8n/merchantAuth';
import { checkWebhookKeys } from '../../lib/n8n/webhookKeys';
import { apiCredentialTests, authenticationProperties, DOCUMENTATION } from '../Cybersource/authentication';
import { eventTypesField, loadOptions, productIdField } from '../Cybersource/actions/webhook/products';
import { notificationScopeField, organizationIdField } from '../Cybersource/actions/webhook/shared';
import { receive } from './receive';
import { createSubscription, deleteSubscription, subscriptionExists } from './subscription';

export class CybersourceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybersource Trigger',
		name: 'cybersourceTrigger',
		icon: { light: 'file:cybersource.svg', dark: 'file:cybersource.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["productId"]}}',
		// n8n shows one app entry for the node and the trigger, headed by this sentence.
		description: 'Payments, transactions and webhooks with Cybersource; starts workflows on its signed event notifications',
		defaults: { name: 'Cybersource Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		documentationUrl: `${DOCUMENTATION}#the-cybersource-trigger`,
		credentials: [
			{
				name: 'cybersourceWebhookApi',
				displayName: 'Webhook Signature Key',
				required: true,
				testedBy: 'cybersourceWebhookKeysTest',
				// n8n's editor takes a credential without display conditions for the node's main one:
				// it would list the API credentials under it and never this type. Any condition that
				// is not on Authentication makes it a selector of its own, on both n8n lines. n8n reads
				// '@version' of a credential as a list of versions: a new version is added here.
				displayOptions: { show: { '@version': [1] } },
			},
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
		// `setup` first: n8n registers webhooks in this order and runs `create` with the `default`
		// one, so the health check and token URL already answer when Cybersource calls them.
		webhooks: [
			{ name: 'setup', httpMethod: 'GET,POST', responseMode: 'onReceived', path: 'setup', ndvHideUrl: true },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'notifications' },
		],
		properties: [
			{
				displayName:
					'Cybersource delivers only to https on port 443 or 8443: set n8n\'s WEBHOOK_URL to its public https address before you activate. On activation the trigger subscribes its production URL; Cybersource takes 5 to 10 minutes to deliver to a new subscription, longer than n8n listens for a test event, so nothing arrives while you listen here. To get a first item: activate the workflow, send a sample with the Cybersource node (Webhook > Test), and open the run under Executions (or pin it as test data).',
				name: 'testNotice',
				type: 'notice',
				default: '',
			},
			...authenticationProperties(MERCHANT_TYPE),
			organizationIdField,
			productIdField,
			eventTypesField,
			notificationScopeField,
			{
				displayName: 'Security',
				name: 'securityType',
				type: 'options',
				options: [
					{ name: 'Signature', value: 'key', description: "Every notification must carry a valid v-c-signature made with the credential's digital signature key" },
					{
						name: 'Signature and OAuth Bearer Token',
						value: 'oAuth',
						description: "Cybersource also fetches a token from this trigger's own token endpoint and sends it with every notification",
					},
				],
				default: 'key',
			},
			{
				displayName: 'If a Subscription Exists',
				name: 'ifSubscriptionExists',
				type: 'options',
				options: [
					{ name: 'Stop With an Error', value: 'error', description: 'Leave the existing subscription alone and say so' },
					{ name: 'Reuse It', value: 'reuse', description: 'Point the existing subscription here (it is deleted when this workflow is deactivated)' },
					{ name: 'Replace It', value: 'replace', description: 'Delete the existing subscription and create a new one' },
				],
				default: 'error',
				description: 'Cybersource allows one subscription per product and organization',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'One Item per Payload Entry',
						name: 'splitPayload',
						type: 'boolean',
						default: false,
						description: 'Whether to output one item per entry of the notification\'s payload list instead of one item per notification',
					},
					{
						displayName: 'Provider (Parent Organization ID)',
						name: 'provider',
						type: 'string',
						default: '',
						description: 'OAuth-protected mode: the provider under which the OAuth client is stored with Cybersource; empty means the Organization ID',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			...apiCredentialTests,
			/** Checked locally: Cybersource has no endpoint that confirms a digital signature key. */
			async cybersourceWebhookKeysTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				try {
					return { status: 'OK', message: checkWebhookKeys(credential.data ?? {}) };
				} catch (error) {
					return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
				}
			},
		},
		loadOptions,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscription.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscription.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receive.call(this);
	}
}
