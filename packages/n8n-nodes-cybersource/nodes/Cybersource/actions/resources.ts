import type { INodeProperties } from 'n8n-workflow';

import { customApiCall } from './customApiCall';
import { oauth } from './oauth';
import { payment } from './payment';
import { transaction } from './transaction';
import type { Operation } from './types';
import { webhook } from './webhook';
import { webhookKey } from './webhookKey';

/**
 * Every resource and its operations. The router dispatches through this table; its type makes
 * the compiler check that each (resource, operation) pair the UI offers has an implementation.
 */
export const resources = { payment, transaction, webhook, webhookKey, oauth, customApiCall } satisfies Record<string, Record<string, Operation>>;

export type Resource = keyof typeof resources;
export type OperationOf<R extends Resource> = keyof (typeof resources)[R];

export const RESOURCE_NAMES: Record<Resource, string> = {
	payment: 'Payment',
	transaction: 'Transaction',
	webhook: 'Webhook',
	webhookKey: 'Webhook Key',
	oauth: 'OAuth',
	customApiCall: 'Custom API Call',
};

const DEFAULT_OPERATION: { [R in Resource]: OperationOf<R> } = {
	payment: 'authorize',
	transaction: 'get',
	webhook: 'create',
	webhookKey: 'storeOAuthCredentials',
	oauth: 'getAuthorizationUrl',
	customApiCall: 'call',
};

export function operationOf(resource: string, operation: string): Operation | undefined {
	const operations = (resources as Record<string, Record<string, Operation>>)[resource];
	return operations?.[operation];
}

/** The resource picker, each resource's operation picker, and every operation's fields. */
export function nodeProperties(): INodeProperties[] {
	const names = Object.keys(resources) as Resource[];
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: names.map((r) => ({ name: RESOURCE_NAMES[r], value: r })).sort((a, b) => a.name.localeCompare(b.name)),
			default: 'payment',
		},
	];
	for (const resource of names) {
		const operations = resources[resource] as Record<string, Operation>;
		const defaultOperation: string = DEFAULT_OPERATION[resource];
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: Object.entries(operations)
				.map(([value, op]) => ({ name: op.name, value, action: op.action, description: op.description }))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultOperation,
		});
	}
	for (const resource of names) {
		for (const [operation, op] of Object.entries(resources[resource] as Record<string, Operation>)) {
			for (const field of op.fields) {
				properties.push({ ...field, displayOptions: { show: { resource: [resource], operation: [operation] } } });
			}
		}
	}
	return properties;
}
