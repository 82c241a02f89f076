import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { WEBHOOK_PRODUCTS, type WebhookProduct } from '../../lib/cybersource/webhookProducts';
import { CYBERSOURCE_TYPE } from '../../lib/n8n/cybersourceSource';
import { CLIENT_CREDENTIALS_TYPE, JWT_CLIENT_ASSERTION_TYPE } from '../../lib/n8n/grantSources';
import { MERCHANT_TYPE } from '../../lib/n8n/merchantAuth';
import { checkWebhookKeys } from '../../lib/n8n/webhookKeys';
import { apiCredentialTests, authenticationProperties } from '../Cybersource/authentication';
import { notificationScopeField, organizationIdField } from '../Cybersource/actions/webhook/shared';
import { cybersourceApiRequest } from '../Cybersource/transport';
import { receive } from './receive';
import { createSubscription, deleteSubscription, subscriptionExists } from './subscription';

/** Products from the organization's live list, or Cybersource's published table when that call fails. */
async function loadProducts(context: ILoadOptionsFunctions): Promise<{ products: WebhookProduct[]; live: boolean }> {
	const organizationId = String(context.getCurrentNodeParameter('organizationId') ?? '').trim();
	if (organizationId === '') return { products: [...WEBHOOK_PRODUCTS], live: false };
	try {
		const body = (await cybersourceApiRequest.call(context, 0, { method: 'GET', path: `/notification-subscriptions/v2/products/${encodeURIComponent(organizationId)}` })).body;
		const list = (Array.isArray(body) ? body : ((body as IDataObject).products ?? [])) as IDataObject[];
		const products = list
			.filter((entry) => typeof entry.productId === 'string')
			.map((entry) => ({
				productId: entry.productId as string,
				productName: typeof entry.productName === 'string' ? entry.productName : (entry.productId as string),
				eventTypes: (Array.isArray(entry.eventTypes) ? entry.eventTypes : [])
					.map((event) => (typeof event === 'string' ? event : (event as IDataObject)?.eventName))
					.filter((event): event is string => typeof event === 'string'),
			}));
		return { products, live: true };
	} catch (error) {
		context.logger.warn(`Cybersource Trigger: could not load the products (${error instanceof Error ? error.message : String(error)}); showing Cybersource's published list`);
		return { products: [...WEBHOOK_PRODUCTS], live: false };
	}
}

export class CybersourceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cybersource Trigger',
		name: 'cybersourceTrigger',
		icon: { light: 'file:cybersource.svg', dark: 'file:cybersource.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["productId"]}}',
		description: "Starts the workflow on Cybersource's signed webhook notifications",
		defaults: { name: 'Cybersource Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'cybersourceWebhookApi', required: true, testedBy: 'cybersourceWebhookKeysTest' },
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
		// `setup` first: n8n registers webhooks in this order and runs `create` with the `default`
		// one, so the health check and token URL already answer when Cybersource calls them.
		webhooks: [
			{ name: 'setup', httpMethod: 'GET,POST', responseMode: 'onReceived', path: 'setup', ndvHideUrl: true },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'notifications' },
		],
		properties: [
			{
				displayName:
					'On activation the trigger subscribes its production URL with Cybersource; Cybersource takes 5 to 10 minutes to activate a new subscription, longer than n8n listens for a test event (120 s). "Listen for test event" therefore changes nothing at Cybersource. To see a real notification: activate the workflow, send a sample with the Cybersource node (Webhook > Test), and open the run under Executions.',
				name: 'testNotice',
				type: 'notice',
				default: '',
			},
			...authenticationProperties(MERCHANT_TYPE),
			organizationIdField,
			{
				displayName: 'Product Name or ID',
				name: 'productId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getProducts', loadOptionsDependsOn: ['organizationId'] },
				default: '',
				required: true,
				description:
					'The product whose events to receive. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Event Type Names or IDs',
				name: 'eventTypes',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getEventTypes', loadOptionsDependsOn: ['organizationId', 'productId'] },
				default: [],
				required: true,
				description:
					'The events that start the workflow. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
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
		loadOptions: {
			async getProducts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const { products, live } = await loadProducts(this);
				return products.map((product) => ({
					name: product.productName,
					value: product.productId,
					description: live ? product.productId : `${product.productId} (from Cybersource's published list: the live list could not be loaded)`,
				}));
			},
			async getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const productId = String(this.getCurrentNodeParameter('productId') ?? '');
				const { products } = await loadProducts(this);
				const product = products.find((entry) => entry.productId === productId);
				return (product?.eventTypes ?? []).map((eventType) => ({ name: eventType, value: eventType }));
			},
		},
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
