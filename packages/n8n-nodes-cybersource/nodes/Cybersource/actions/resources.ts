import type { INodeProperties } from 'n8n-workflow';

import { customApiCall } from './customApiCall';
import { customer } from './customer';
import { customerPaymentInstrument } from './customerPaymentInstrument';
import { customerShippingAddress } from './customerShippingAddress';
import { instrumentIdentifier } from './instrumentIdentifier';
import { invoice } from './invoice';
import { oauth } from './oauth';
import { payment } from './payment';
import { paymentInstrument } from './paymentInstrument';
import { paymentLink } from './paymentLink';
import { report } from './report';
import { reportSubscription } from './reportSubscription';
import { transaction } from './transaction';
import type { Operation } from './types';
import { webhook } from './webhook';
import { webhookKey } from './webhookKey';

/**
 * Every resource and its operations. The router dispatches through this table; its type makes
 * the compiler check that each (resource, operation) pair the UI offers has an implementation.
 */
export const resources = {
	payment,
	transaction,
	customer,
	customerPaymentInstrument,
	customerShippingAddress,
	paymentInstrument,
	instrumentIdentifier,
	report,
	reportSubscription,
	invoice,
	paymentLink,
	webhook,
	webhookKey,
	oauth,
	customApiCall,
} satisfies Record<string, Record<string, Operation>>;

export type Resource = keyof typeof resources;
export type OperationOf<R extends Resource> = keyof (typeof resources)[R];

export const RESOURCE_NAMES: Record<Resource, string> = {
	payment: 'Payment',
	transaction: 'Transaction',
	customer: 'Customer',
	customerPaymentInstrument: 'Customer Payment Instrument',
	customerShippingAddress: 'Customer Shipping Address',
	paymentInstrument: 'Payment Instrument',
	instrumentIdentifier: 'Instrument Identifier',
	report: 'Report',
	reportSubscription: 'Report Subscription',
	invoice: 'Invoice',
	paymentLink: 'Payment Link',
	webhook: 'Webhook',
	webhookKey: 'Webhook Key',
	oauth: 'OAuth',
	customApiCall: 'Custom API Call',
};

/**
 * The operation a new node shows for each resource. Version 2 opens Webhook Key on the key the
 * trigger needs; version 1 keeps its first default (n8n does not store a parameter left at its
 * default, so changing it there would change saved workflows).
 */
const DEFAULT_OPERATION: { [R in Resource]: OperationOf<R> } = {
	payment: 'authorize',
	transaction: 'get',
	customer: 'create',
	customerPaymentInstrument: 'getMany',
	customerShippingAddress: 'getMany',
	paymentInstrument: 'get',
	instrumentIdentifier: 'create',
	report: 'download',
	reportSubscription: 'getMany',
	invoice: 'create',
	paymentLink: 'create',
	webhook: 'create',
	webhookKey: 'createSharedSecretKey',
	oauth: 'getAuthorizationUrl',
	customApiCall: 'call',
};
const VERSION_1_DEFAULT_OPERATION: Partial<typeof DEFAULT_OPERATION> = { webhookKey: 'storeOAuthCredentials' };

/**
 * n8n appends its own "Custom API Call" entry, which sends users to the HTTP Request node, to
 * every Resource and Operation list of a node whose credentials can authenticate, unless the
 * list already ends with an entry of that name. Every list here ends with the package's own call,
 * which keeps what the HTTP Request node cannot (mutual TLS, one resend after a 401, never a
 * blind resend, the timeout), so the user sees one Custom API Call, not two.
 */
export const CUSTOM_API_CALL_NAME = 'Custom API Call';
export const CUSTOM_API_CALL_OPERATION = 'customApiCall';

export function operationOf(resource: string, operation: string): Operation | undefined {
	if (operation === CUSTOM_API_CALL_OPERATION) return resources.customApiCall.call;
	const operations = (resources as Record<string, Record<string, Operation>>)[resource];
	return operations?.[operation];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The node version from which payment answers come simplified by default (a changed output needs a new version). */
export const SIMPLIFY_VERSION = 3;

const SIMPLIFY_FIELD: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** The canvas subtitle: "Payment: Authorize" rather than raw values. */
export function subtitleExpression(): string {
	const names: Record<string, string> = {};
	for (const resource of Object.keys(resources) as Resource[]) {
		for (const [operation, op] of Object.entries(resources[resource] as Record<string, Operation>)) {
			names[`${resource}.${operation}`] = resource === 'customApiCall' ? CUSTOM_API_CALL_NAME : `${RESOURCE_NAMES[resource]}: ${op.name}`;
		}
		names[`${resource}.${CUSTOM_API_CALL_OPERATION}`] = CUSTOM_API_CALL_NAME;
	}
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + "." + $parameter["operation"]] }}`;
}

/** The resource picker, each resource's operation picker, and every operation's fields. */
export function nodeProperties(): INodeProperties[] {
	const names = Object.keys(resources) as Resource[];
	const resourceOptions = names
		.filter((r) => r !== 'customApiCall')
		.map((r): { name: string; value: string; description?: string } => ({ name: RESOURCE_NAMES[r], value: r }))
		.sort(byName);
	resourceOptions.push({ name: CUSTOM_API_CALL_NAME, value: 'customApiCall', description: 'Any other Cybersource REST endpoint, authenticated like the operations' });
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resourceOptions,
			default: 'payment',
		},
	];
	const customCall = resources.customApiCall.call;
	for (const resource of names) {
		const operations = resources[resource] as Record<string, Operation>;
		const own = Object.entries(operations).map(([value, op]) => ({ name: resource === 'customApiCall' ? CUSTOM_API_CALL_NAME : op.name, value, action: op.action, description: op.description }));
		const options =
			resource === 'customApiCall'
				? own
				: [...own.sort(byName), { name: CUSTOM_API_CALL_NAME, value: CUSTOM_API_CALL_OPERATION, action: customCall.action, description: customCall.description }];
		const operation = (defaultOperation: string, version?: 'v1' | 'v2'): INodeProperties => ({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: {
				show: {
					resource: [resource],
					...(version === 'v1' ? { '@version': [1] } : version === 'v2' ? { '@version': [{ _cnd: { gte: 2 } }] } : {}),
				},
			},
			options,
			default: defaultOperation,
		});
		const v1Default = VERSION_1_DEFAULT_OPERATION[resource] as string | undefined;
		const defaultOperation: string = DEFAULT_OPERATION[resource];
		if (v1Default === undefined) properties.push(operation(defaultOperation));
		else properties.push(operation(v1Default, 'v1'), operation(defaultOperation, 'v2'));
	}
	for (const resource of names) {
		for (const [operation, op] of Object.entries(resources[resource] as Record<string, Operation>)) {
			// The package's call serves every resource's "Custom API Call" entry.
			const operations = resource === 'customApiCall' ? [operation, CUSTOM_API_CALL_OPERATION] : [operation];
			const show = resource === 'customApiCall' ? { operation: operations } : { resource: [resource], operation: operations };
			for (const field of op.fields) {
				properties.push({ ...field, displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, ...show } } });
			}
			if (op.simplify) properties.push({ ...SIMPLIFY_FIELD, displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: SIMPLIFY_VERSION } }] } } });
		}
	}
	return properties;
}
