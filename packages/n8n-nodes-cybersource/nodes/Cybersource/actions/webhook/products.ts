import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { WEBHOOK_PRODUCTS, type WebhookProduct } from '../../../../lib/cybersource/webhookProducts';
import { cybersourceApiRequest } from '../../transport';

/**
 * The products and event types a webhook can subscribe to, for the lists of Webhook > Create
 * (node version 2) and of the Cybersource Trigger: the organization's live list, or Cybersource's
 * published table with the reason the live one could not be read.
 */
export interface LoadedProducts {
	products: WebhookProduct[];
	/** Why the published table is shown; undefined when the list is the organization's own. */
	fallbackReason?: string;
}

/** Words Cybersource writes as one in its event names. */
const WORDS: Record<string, string> = { casemanagement: 'Case Management', networktoken: 'Network Token', echeck: 'eCheck', pan: 'PAN' };

/** "risk.casemanagement.decision.accept" → "Case Management Decision Accept"; "tms.token.pan_updated" → "Token PAN Updated". */
export function eventTypeName(eventType: string): string {
	const words = eventType
		.split('.')
		.slice(1)
		.flatMap((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2').split(/[\s_-]+/))
		.filter((word) => word !== '')
		.map((word) => WORDS[word.toLowerCase()] ?? word)
		.map((word) => (word === 'eCheck' ? word : word.charAt(0).toUpperCase() + word.slice(1)));
	return words.length > 0 ? words.join(' ') : eventType;
}

interface LiveProduct extends WebhookProduct {
	/** The live list's display names, by event type, when Cybersource gives them. */
	eventNames: Record<string, string>;
}

function readProducts(body: unknown): LiveProduct[] {
	const list = (Array.isArray(body) ? body : ((body as IDataObject)?.products ?? [])) as IDataObject[];
	return list
		.filter((entry) => typeof entry?.productId === 'string')
		.map((entry) => {
			const eventNames: Record<string, string> = {};
			const eventTypes = (Array.isArray(entry.eventTypes) ? entry.eventTypes : []).flatMap((event): string[] => {
				if (typeof event === 'string') return [event];
				const { eventName, displayName } = (event ?? {}) as IDataObject;
				if (typeof eventName !== 'string') return [];
				if (typeof displayName === 'string' && displayName.trim() !== '' && displayName !== eventName) eventNames[eventName] = displayName.trim();
				return [eventName];
			});
			return {
				productId: entry.productId as string,
				productName: typeof entry.productName === 'string' ? entry.productName : (entry.productId as string),
				eventTypes,
				eventNames,
			};
		});
}

/**
 * A field or credential the user must fix is thrown (n8n shows "Could not load the list: ..."):
 * a published list would hide it until activation. Anything Cybersource answered or could not
 * answer falls back to the published table, and the reason travels with it.
 */
export async function loadProducts(context: ILoadOptionsFunctions): Promise<LoadedProducts> {
	const organizationId = String(context.getCurrentNodeParameter('organizationId') ?? '').trim();
	if (organizationId === '') return { products: [...WEBHOOK_PRODUCTS], fallbackReason: 'enter the Organization ID to load its own list' };
	try {
		const path = `/notification-subscriptions/v2/products/${encodeURIComponent(organizationId)}`;
		const body = (await cybersourceApiRequest.call(context, 0, { method: 'GET', path })).body;
		return { products: readProducts(body) };
	} catch (error) {
		if (error instanceof NodeOperationError) throw new NodeOperationError(context.getNode(), error, { description: error.description ?? undefined });
		const reason = error instanceof Error ? error.message : String(error);
		context.logger.warn(`Cybersource: could not load the webhook products (${reason}); showing Cybersource's published list`);
		return { products: [...WEBHOOK_PRODUCTS], fallbackReason: `the live list could not be loaded: ${reason}` };
	}
}

/** The product, chosen from `getProducts` (Webhook > Create, version 2, and the trigger). */
export const productIdField: INodeProperties = {
	displayName: 'Product Name or ID',
	name: 'productId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getProducts', loadOptionsDependsOn: ['organizationId'] },
	default: '',
	required: true,
	description:
		'The product whose events the subscription delivers. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Its event types, chosen from `getEventTypes`. */
export const eventTypesField: INodeProperties = {
	displayName: 'Event Type Names or IDs',
	name: 'eventTypes',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getEventTypes', loadOptionsDependsOn: ['organizationId', 'productId'] },
	default: [],
	required: true,
	description:
		'The events the subscription delivers. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const loadOptions = {
	async getProducts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const { products, fallbackReason } = await loadProducts(this);
		return products.map((product) => ({
			name: product.productName,
			value: product.productId,
			description: fallbackReason === undefined ? product.productId : `${product.productId}. From Cybersource's published list: ${fallbackReason}.`,
		}));
	},
	async getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const productId = String(this.getCurrentNodeParameter('productId') ?? '');
		const { products } = await loadProducts(this);
		const product = products.find((entry) => entry.productId === productId) as LiveProduct | undefined;
		return (product?.eventTypes ?? [])
			.map((eventType) => ({ name: product?.eventNames?.[eventType] ?? eventTypeName(eventType), value: eventType, description: eventType }))
			.sort((a, b) => a.name.localeCompare(b.name));
	},
};
