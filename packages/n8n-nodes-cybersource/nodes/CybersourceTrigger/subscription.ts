import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { issuerClientOf, signatureKeyOf, WEBHOOK_KEYS_TYPE } from '../../lib/n8n/webhookKeys';
import { asNodeError } from '../Cybersource/errors';
import { WEBHOOKS_PATH } from '../Cybersource/actions/webhook/shared';
import { cybersourceApiRequest, nodeParameter } from '../Cybersource/transport';

/**
 * The trigger's subscription with Cybersource, kept in step with the workflow's activation
 * (n8n's `webhookMethods.default`, as in n8n's Stripe Trigger). Cybersource allows one
 * subscription per product and organization; it starts INACTIVE and is set ACTIVE through the
 * status endpoint, as Cybersource's own commerce plugins do (../shared/DESIGN.md §4).
 */

export type SecurityType = 'key' | 'oAuth';
export type IfSubscriptionExists = 'error' | 'reuse' | 'replace';

export interface TriggerConfig {
	organizationId: string;
	productId: string;
	eventTypes: string[];
	notificationScope: string;
	securityType: SecurityType;
	ifExists: IfSubscriptionExists;
	provider: string;
}

interface Remote {
	webhookId: string;
	webhookUrl?: string;
	status?: string;
	eventTypes: string[];
	securityType?: string;
	healthCheckUrl?: string;
}

/** n8n's test URL ("Listen for test event"): the subscription is left alone (see the node's notice). */
export function isTestListener(context: IHookFunctions): boolean {
	return context.getActivationMode() === 'manual';
}

function fail(context: IHookFunctions, message: string, description?: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, description ? { description } : {});
}

/** Cybersource delivers only to https on port 443 or 8443 (DESIGN §4). */
export function publicUrl(context: IHookFunctions, name: 'default' | 'setup'): string {
	const url = context.getNodeWebhookUrl(name);
	if (!url) throw fail(context, `n8n gave no URL for the ${name} webhook`);
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw fail(context, `n8n's webhook URL "${url}" is not a valid URL`, 'Set WEBHOOK_URL to the public https address of this n8n.');
	}
	if (parsed.protocol !== 'https:' || (parsed.port !== '' && parsed.port !== '8443')) {
		throw fail(
			context,
			`Cybersource delivers only to https on port 443 or 8443, and n8n's webhook URL is ${parsed.origin}: set WEBHOOK_URL to this n8n's public https address`,
			'Set WEBHOOK_URL to the public https address of this n8n (port 443 or 8443), e.g. behind a TLS reverse proxy, and activate the workflow again.',
		);
	}
	return url;
}

export function readConfig(context: IHookFunctions): TriggerConfig {
	const text = (name: string) => String(nodeParameter<unknown>(context, name, 0, '') ?? '').trim();
	const organizationId = text('organizationId');
	if (organizationId === '') throw fail(context, 'Organization ID: missing. Enter your organization or merchant ID.');
	const productId = text('productId');
	if (productId === '') throw fail(context, 'Product: missing. Choose the product whose events to receive.');
	const raw = nodeParameter<unknown>(context, 'eventTypes', 0, []);
	const eventTypes = (Array.isArray(raw) ? raw : String(raw).split(','))
		.map((entry) => String(entry).trim())
		.filter((entry) => entry !== '');
	if (eventTypes.length === 0) throw fail(context, 'Event Types: choose at least one event type.');
	const options = nodeParameter<IDataObject>(context, 'options', 0, {});
	const provider = typeof options.provider === 'string' && options.provider.trim() !== '' ? options.provider.trim() : organizationId;
	return {
		organizationId,
		productId,
		eventTypes: [...new Set(eventTypes)],
		notificationScope: text('notificationScope') || 'DESCENDANTS',
		securityType: text('securityType') === 'oAuth' ? 'oAuth' : 'key',
		ifExists: (text('ifSubscriptionExists') || 'error') as IfSubscriptionExists,
		provider,
	};
}

function remoteOf(body: IDataObject, productId: string): Remote | undefined {
	if (typeof body.webhookId !== 'string') return undefined;
	const products = Array.isArray(body.products) ? (body.products as IDataObject[]) : [];
	const product = products.find((entry) => entry.productId === productId) ?? products[0];
	const policy = (body.securityPolicy ?? {}) as IDataObject;
	return {
		webhookId: body.webhookId,
		webhookUrl: typeof body.webhookUrl === 'string' ? body.webhookUrl : undefined,
		status: typeof body.status === 'string' ? body.status : undefined,
		eventTypes: Array.isArray(product?.eventTypes) ? (product.eventTypes as string[]) : [],
		securityType: typeof policy.securityType === 'string' ? policy.securityType : undefined,
		healthCheckUrl: typeof body.healthCheckUrl === 'string' ? body.healthCheckUrl : undefined,
	};
}

/** A call's outcome as a value, so that an expected failure (404, "already exist") can be read. */
async function settled<T>(promise: Promise<T>): Promise<{ value: T; error?: undefined } | { value?: undefined; error: unknown }> {
	return await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}

function httpCodeOf(error: unknown): number | undefined {
	const code = error instanceof NodeApiError ? Number(error.httpCode) : NaN;
	return Number.isInteger(code) ? code : undefined;
}

async function request(context: IHookFunctions, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: IDataObject, qs?: IDataObject) {
	return (await cybersourceApiRequest.call(context, 0, { method, path, body, qs })).body;
}

function sameSet(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((entry) => b.includes(entry));
}

function matches(remote: Remote, config: TriggerConfig, notifyUrl: string, setupUrl: string): boolean {
	const securityType = (remote.securityType ?? 'key').toLowerCase();
	return (
		remote.webhookUrl === notifyUrl &&
		remote.healthCheckUrl === setupUrl &&
		remote.status === 'ACTIVE' &&
		sameSet(remote.eventTypes, config.eventTypes) &&
		securityType === config.securityType.toLowerCase()
	);
}

/** checkExists: our subscription is there, ACTIVE and as configured. A vanished one is forgotten. */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	if (isTestListener(this)) return false;
	const data = this.getWorkflowStaticData('node');
	if (typeof data.webhookId !== 'string') return false;
	const got = await settled(request(this, 'GET', `${WEBHOOKS_PATH}/${encodeURIComponent(data.webhookId)}`));
	if (got.error !== undefined) {
		if (httpCodeOf(got.error) !== 404) throw asNodeError(this.getNode(), got.error, 0);
		delete data.webhookId;
		return false;
	}
	const config = readConfig(this);
	const remote = remoteOf(got.value as IDataObject, config.productId);
	return remote !== undefined && matches(remote, config, publicUrl(this, 'default'), publicUrl(this, 'setup'));
}

function subscriptionBody(context: IHookFunctions, config: TriggerConfig, notifyUrl: string, setupUrl: string, existing?: Remote): IDataObject {
	const workflow = context.getWorkflow();
	const body: IDataObject = {
		name: `n8n ${workflow.name ?? workflow.id ?? ''}`.trim().slice(0, 50),
		description: `n8n Cybersource Trigger, workflow ${workflow.id ?? ''}`.trim(),
		organizationId: config.organizationId,
		products: [{ productId: config.productId, eventTypes: config.eventTypes }],
		webhookUrl: notifyUrl,
		// The trigger answers 200 to GET and POST there (Cybersource checks it before delivering).
		healthCheckUrl: setupUrl,
		notificationScope: config.notificationScope,
	};
	if (config.securityType === 'oAuth') {
		// Cybersource fetches a bearer token from the trigger's own token endpoint before each delivery.
		body.securityPolicy = { securityType: 'oAuth', config: { oAuthURL: setupUrl, oAuthTokenType: 'Bearer' } };
	} else if (existing && (existing.securityType ?? 'key').toLowerCase() !== 'key') {
		body.securityPolicy = { securityType: 'key' };
	}
	return body;
}

/** keys-sym STORE (seed 000): the client Cybersource uses at the trigger's token endpoint. */
async function storeOAuthClient(context: IHookFunctions, config: TriggerConfig): Promise<void> {
	const client = issuerClientOf(await context.getCredentials(WEBHOOK_KEYS_TYPE));
	await request(context, 'POST', '/kms/egress/v2/keys-sym', {
		clientRequestAction: 'STORE',
		keyInformation: {
			provider: config.provider,
			tenant: 'nrtd',
			keyType: 'oAuthClientCredentials',
			organizationId: config.organizationId,
			clientKeyId: client.clientId,
			key: client.clientSecret,
			expiryDuration: '365',
		},
	});
}

async function listExisting(context: IHookFunctions, config: TriggerConfig): Promise<Remote[]> {
	const body = await request(context, 'GET', WEBHOOKS_PATH, undefined, { organizationId: config.organizationId, productId: config.productId });
	const list = Array.isArray(body) ? body : [];
	return list.map((entry) => remoteOf(entry, config.productId)).filter((entry): entry is Remote => entry !== undefined);
}

function existsError(context: IHookFunctions, other: Remote): NodeOperationError {
	return fail(
		context,
		`Cybersource already has a subscription for this product (webhook ${other.webhookId}, delivering to ${other.webhookUrl ?? 'an unknown URL'}) and allows only one per product`,
		'Set "If a Subscription Exists" to "Reuse It" (it then delivers here, and is deleted when this workflow is deactivated) or "Replace It" (delete it and create a new one), or delete it with the Cybersource node (Webhook > Delete).',
	);
}

/** create: makes (or takes over) the subscription, stores its id, and sets it ACTIVE. */
export async function createSubscription(this: IHookFunctions): Promise<boolean> {
	if (isTestListener(this)) return true;
	const notifyUrl = publicUrl(this, 'default');
	const setupUrl = publicUrl(this, 'setup');
	const config = readConfig(this);
	try {
		// Fails here, naming the field, when the keys are missing: never after subscribing.
		signatureKeyOf(await this.getCredentials(WEBHOOK_KEYS_TYPE));
		if (config.securityType === 'oAuth') issuerClientOf(await this.getCredentials(WEBHOOK_KEYS_TYPE));
	} catch (error) {
		throw asNodeError(this.getNode(), error, 0);
	}
	if (config.securityType === 'oAuth') await storeOAuthClient(this, config);

	const adopt = async (existing: Remote): Promise<IDataObject> =>
		(await request(this, 'PATCH', `${WEBHOOKS_PATH}/${encodeURIComponent(existing.webhookId)}`, subscriptionBody(this, config, notifyUrl, setupUrl, existing))) as IDataObject;
	const settle = async (others: Remote[]): Promise<IDataObject | undefined> => {
		const mine = others.find((entry) => entry.webhookUrl === notifyUrl);
		if (mine) return await adopt(mine);
		const other = others[0];
		if (!other) return undefined;
		if (config.ifExists === 'reuse') return await adopt(other);
		if (config.ifExists === 'replace') {
			await request(this, 'DELETE', `${WEBHOOKS_PATH}/${encodeURIComponent(other.webhookId)}`);
			return undefined;
		}
		throw existsError(this, other);
	};

	let answer = await settle(await listExisting(this, config));
	if (answer === undefined) {
		const posted = await settled(request(this, 'POST', WEBHOOKS_PATH, subscriptionBody(this, config, notifyUrl, setupUrl)));
		if (posted.error === undefined) answer = posted.value as IDataObject;
		else {
			// A subscription the list did not show (another scope, or created meanwhile).
			const exists = httpCodeOf(posted.error) === 400 && /already exist/i.test((posted.error as Error).message);
			if (exists) answer = await settle(await listExisting(this, config));
			if (answer === undefined) throw asNodeError(this.getNode(), posted.error, 0);
		}
	}
	const created = remoteOf(answer, config.productId);
	if (!created) throw fail(this, 'Cybersource did not return a webhookId for the subscription');
	this.getWorkflowStaticData('node').webhookId = created.webhookId;
	if (created.status !== 'ACTIVE') {
		await request(this, 'PUT', `${WEBHOOKS_PATH}/${encodeURIComponent(created.webhookId)}/status`, { status: 'ACTIVE' });
	}
	return true;
}

/** delete: removes the subscription; one Cybersource no longer knows counts as removed. */
export async function deleteSubscription(this: IHookFunctions): Promise<boolean> {
	if (isTestListener(this)) return true;
	const data = this.getWorkflowStaticData('node');
	if (typeof data.webhookId !== 'string') return true;
	const removed = await settled(request(this, 'DELETE', `${WEBHOOKS_PATH}/${encodeURIComponent(data.webhookId)}`));
	if (removed.error !== undefined && httpCodeOf(removed.error) !== 404) {
		this.logger.warn(`Cybersource Trigger: could not delete webhook ${data.webhookId}: ${(removed.error as Error).message}`);
		return false;
	}
	delete data.webhookId;
	return true;
}
