import { createHmac, randomUUID } from 'node:crypto';

import { FieldCheck, invalidFields, isRecord, notFound, rejected, submitTimeUtc, type ApiResult } from './http';
import type { KeyService } from './keys';

/**
 * Webhook subscriptions (`/notification-subscriptions/v2/...`, DESIGN §4) as Cybersource's REST
 * API and SDK describe them:
 *  - `GET  /notification-subscriptions/v2/products/{organizationId}`: products and their event types;
 *  - `POST /notification-subscriptions/v2/webhooks`: create (201);
 *  - `GET  /notification-subscriptions/v2/webhooks?organizationId=&productId=&eventType=`: list;
 *  - `GET|PATCH|DELETE /notification-subscriptions/v2/webhooks/{webhookId}`;
 *  - `PUT  /notification-subscriptions/v2/webhooks/{webhookId}/status` `{status: ACTIVE|INACTIVE}`;
 *  - `POST /notification-subscriptions/v1/webhooks/{webhookId}`: "Test a Webhook Configuration"
 *    (the SDK's path is v1); it re-activates an inactive subscription. The sandbox never calls
 *    the webhook URL (nothing leaves 127.0.0.1): it answers as if the delivery succeeded.
 * Rules: URLs are https on port 443 or 8443 (or none); a digital signature key (keys-sym CREATE)
 * must exist before subscribing; an `oAuth` security policy needs stored OAuth credentials
 * (keys-sym STORE, seed 000); a subscription without `healthCheckUrl` is created INACTIVE
 * (Cybersource activates only after a health check URL is known).
 */

export interface WebhookProduct {
	productId: string;
	productName: string;
	eventTypes: string[];
}

/** Event types from Cybersource's "Supported Products and Event Types" table. */
export const WEBHOOK_PRODUCTS: readonly WebhookProduct[] = [
	{ productId: 'alternativePaymentMethods', productName: 'Alternative Payment Methods', eventTypes: ['payments.payments.updated'] },
	{
		productId: 'decisionManager',
		productName: 'Decision Manager',
		eventTypes: ['risk.casemanagement.decision.accept', 'risk.casemanagement.decision.reject', 'risk.profile.decision.reject'],
	},
	{
		productId: 'eCheck',
		productName: 'eCheck',
		eventTypes: ['payments.credits.accepted', 'payments.credits.failed', 'payments.payments.accepted', 'payments.payments.failed', 'payments.voids.accepted'],
	},
	{
		productId: 'tokenManagement',
		productName: 'Token Management',
		eventTypes: ['tms.networktoken.provisioned', 'tms.networktoken.updated', 'tms.networktoken.binding'],
	},
	{
		productId: 'terminalManagement',
		productName: 'Terminal Management',
		eventTypes: ['terminalManagement.status.update', 'terminalManagement.assignment.update', 'terminalManagement.reAssignment.update'],
	},
];

export interface Webhook {
	webhookId: string;
	organizationId: string;
	productId: string;
	eventTypes: string[];
	webhookUrl: string;
	healthCheckUrl?: string;
	status: 'ACTIVE' | 'INACTIVE';
	name: string;
	description?: string;
	notificationScope?: unknown;
	retryPolicy?: unknown;
	securityPolicy?: unknown;
	additionalAttributes?: unknown;
	createdOn: string;
	updatedOn: string;
}

/** A notification as Cybersource would deliver it, for tests of a receiving endpoint. */
export interface SignedNotification {
	headers: Record<string, string>;
	body: string;
}

const CREATE_FIELDS = [
	'name',
	'description',
	'organizationId',
	'productId',
	'eventTypes',
	'webhookUrl',
	'healthCheckUrl',
	'notificationScope',
	'retryPolicy',
	'securityPolicy',
] as const;
const UPDATE_FIELDS = [...CREATE_FIELDS, 'status', 'additionalAttributes'] as const;
const SECURITY_TYPES = ['key', 'oauth', 'oauth_jwt'];
const NOTIFICATION_SCOPES = ['SELF', 'DESCENDANTS', 'CUSTOM'];
const STATUS_PATTERN = /^(ACTIVE|INACTIVE)$/;

/**
 * Cybersource's v2 API takes the subscribed events as `products: [{ productId, eventTypes }]`
 * (CreateWebhook / UpdateWebhook in its REST reference). The sandbox keeps one product per
 * webhook: exactly one entry is read into `productId` and `eventTypes`; more is INVALID_DATA.
 */
function flattenProducts(body: unknown): unknown {
	if (!isRecord(body) || body.products === undefined) return body;
	const { products, ...rest } = body;
	if (!Array.isArray(products) || products.length !== 1 || !isRecord(products[0])) return { ...rest, products };
	return { ...rest, productId: products[0].productId, eventTypes: products[0].eventTypes };
}

export class WebhookService {
	private readonly webhooks = new Map<string, Webhook>();

	constructor(
		private readonly keys: KeyService,
		private readonly now: () => number,
	) {}

	reset(): void {
		this.webhooks.clear();
	}

	products(merchantId: string, organizationId: string): ApiResult {
		if (organizationId !== merchantId) return this.notFound('organization', organizationId);
		return {
			status: 200,
			body: WEBHOOK_PRODUCTS.map((product) => ({
				productId: product.productId,
				productName: product.productName,
				eventTypes: product.eventTypes.map((eventName) => ({ eventName, displayName: eventName, payloadEncryption: false })),
			})),
		};
	}

	create(merchantId: string, received: unknown): ApiResult {
		const body = flattenProducts(received);
		const check = new FieldCheck(body);
		check.onlyKeys('', CREATE_FIELDS);
		const name = check.requiredString('name');
		const description = check.optionalString('description');
		const organizationId = check.requiredString('organizationId');
		if (organizationId !== undefined && organizationId !== merchantId) check.invalid('organizationId');
		const productId = check.requiredString('productId');
		const product = productId === undefined ? undefined : WEBHOOK_PRODUCTS.find((candidate) => candidate.productId === productId);
		if (productId !== undefined && !product) check.invalid('productId');
		const eventTypes = readEventTypes(check, product, true);
		const webhookUrl = check.requiredString('webhookUrl');
		if (webhookUrl !== undefined && !allowedUrl(webhookUrl)) check.invalid('webhookUrl');
		const healthCheckUrl = check.optionalString('healthCheckUrl');
		if (healthCheckUrl !== undefined && !allowedUrl(healthCheckUrl)) check.invalid('healthCheckUrl');
		const notificationScope = readNotificationScope(check);
		const retryPolicy = optionalObject(check, 'retryPolicy');
		const securityType = readSecurityPolicy(check);
		const now = this.now();
		if (!check.ok || !name || !organizationId || !product || !eventTypes || !webhookUrl) return invalidFields(check.problems, now);
		const keyProblem = this.keyProblem(organizationId, securityType);
		if (keyProblem) return keyProblem;

		const time = submitTimeUtc(now);
		const webhook: Webhook = {
			webhookId: randomUUID(),
			organizationId,
			productId: product.productId,
			eventTypes,
			webhookUrl,
			healthCheckUrl,
			status: healthCheckUrl ? 'ACTIVE' : 'INACTIVE',
			name,
			description,
			notificationScope,
			retryPolicy,
			securityPolicy: check.value('securityPolicy'),
			createdOn: time,
			updatedOn: time,
		};
		this.webhooks.set(webhook.webhookId, webhook);
		return { status: 201, body: { ...webhook } };
	}

	list(merchantId: string, query: URLSearchParams): ApiResult {
		const organizationId = query.get('organizationId');
		const now = this.now();
		if (!organizationId) return invalidFields([{ field: 'organizationId', reason: 'MISSING_FIELD' }], now);
		if (organizationId !== merchantId) return invalidFields([{ field: 'organizationId', reason: 'INVALID_DATA' }], now);
		const productId = query.get('productId');
		const eventType = query.get('eventType');
		const matches = [...this.webhooks.values()].filter(
			(webhook) =>
				webhook.organizationId === organizationId &&
				(productId === null || webhook.productId === productId) &&
				(eventType === null || webhook.eventTypes.includes(eventType)),
		);
		return { status: 200, body: matches.map((webhook) => ({ ...webhook })) };
	}

	get(merchantId: string, webhookId: string): ApiResult {
		const webhook = this.find(merchantId, webhookId);
		return webhook ? { status: 200, body: { ...webhook } } : this.notFound('webhook', webhookId);
	}

	update(merchantId: string, webhookId: string, body: unknown): ApiResult {
		const webhook = this.find(merchantId, webhookId);
		if (!webhook) return this.notFound('webhook', webhookId);
		body = flattenProducts(body);
		const check = new FieldCheck(body);
		if (!isRecord(body)) check.invalid('body');
		check.onlyKeys('', UPDATE_FIELDS);
		const name = check.optionalString('name');
		const description = check.optionalString('description');
		const organizationId = check.optionalString('organizationId');
		if (organizationId !== undefined && organizationId !== webhook.organizationId) check.invalid('organizationId');
		const productId = check.optionalString('productId') ?? webhook.productId;
		const product = WEBHOOK_PRODUCTS.find((candidate) => candidate.productId === productId);
		if (!product) check.invalid('productId');
		const eventTypes = readEventTypes(check, product, false) ?? (productId === webhook.productId ? webhook.eventTypes : undefined);
		if (!eventTypes && product) check.missing('eventTypes'); // a new product needs its own event types
		const webhookUrl = check.optionalString('webhookUrl');
		if (webhookUrl !== undefined && !allowedUrl(webhookUrl)) check.invalid('webhookUrl');
		const healthCheckUrl = check.optionalString('healthCheckUrl');
		if (healthCheckUrl !== undefined && !allowedUrl(healthCheckUrl)) check.invalid('healthCheckUrl');
		const status = check.optionalString('status', STATUS_PATTERN) as Webhook['status'] | undefined;
		const notificationScope = readNotificationScope(check);
		const retryPolicy = optionalObject(check, 'retryPolicy');
		const securityType = readSecurityPolicy(check);
		const additionalAttributes = check.value('additionalAttributes');
		if (additionalAttributes !== undefined && !Array.isArray(additionalAttributes)) check.invalid('additionalAttributes');
		const now = this.now();
		if (!check.ok || !product || !eventTypes) return invalidFields(check.problems, now);
		if (securityType !== undefined) {
			const keyProblem = this.keyProblem(webhook.organizationId, securityType);
			if (keyProblem) return keyProblem;
		}

		webhook.name = name ?? webhook.name;
		webhook.description = description ?? webhook.description;
		webhook.productId = product.productId;
		webhook.eventTypes = eventTypes;
		webhook.webhookUrl = webhookUrl ?? webhook.webhookUrl;
		if (healthCheckUrl !== undefined) {
			webhook.healthCheckUrl = healthCheckUrl;
			webhook.status = 'ACTIVE'; // Cybersource: sending a health check URL activates the subscription
		}
		if (status) webhook.status = status;
		if (notificationScope !== undefined) webhook.notificationScope = notificationScope;
		if (retryPolicy !== undefined) webhook.retryPolicy = retryPolicy;
		if (securityType !== undefined) webhook.securityPolicy = check.value('securityPolicy');
		if (additionalAttributes !== undefined) webhook.additionalAttributes = additionalAttributes;
		webhook.updatedOn = submitTimeUtc(now);
		return { status: 200, body: { ...webhook } };
	}

	setStatus(merchantId: string, webhookId: string, body: unknown): ApiResult {
		const webhook = this.find(merchantId, webhookId);
		if (!webhook) return this.notFound('webhook', webhookId);
		const check = new FieldCheck(body);
		check.onlyKeys('', ['status']);
		const status = check.requiredString('status', STATUS_PATTERN);
		if (!check.ok || !status) return invalidFields(check.problems, this.now());
		webhook.status = status as Webhook['status'];
		webhook.updatedOn = submitTimeUtc(this.now());
		return { status: 200 };
	}

	remove(merchantId: string, webhookId: string): ApiResult {
		if (!this.find(merchantId, webhookId)) return this.notFound('webhook', webhookId);
		this.webhooks.delete(webhookId);
		return { status: 200 };
	}

	/** "Test a Webhook Configuration": answers as if the sample delivery succeeded; re-activates. */
	test(merchantId: string, webhookId: string): ApiResult {
		const webhook = this.find(merchantId, webhookId);
		if (!webhook) return this.notFound('webhook', webhookId);
		webhook.status = 'ACTIVE';
		return { status: 200, body: { submitTimeUtc: submitTimeUtc(this.now()), status: 'ACCEPTED' } };
	}

	/**
	 * A notification for `webhookId` signed the way DESIGN §4 describes:
	 * `v-c-signature: t=<ms>;keyId=<id>;sig=<base64 HMAC-SHA256>` keyed by the base64-decoded
	 * digital signature key, over `t + "." + JSON of the body's payload field`.
	 */
	signedNotification(webhookId: string, eventType: string, payload: unknown, timestampMs = this.now()): SignedNotification {
		const webhook = this.webhooks.get(webhookId);
		if (!webhook) throw new Error(`unknown webhook ${webhookId}`);
		const key = this.keys.signatureKey(webhook.organizationId);
		if (!key) throw new Error(`no digital signature key for ${webhook.organizationId}: POST /kms/egress/v2/keys-sym (CREATE) first`);
		const notification = {
			notificationId: randomUUID(),
			retryNumber: 0,
			eventType,
			eventDate: submitTimeUtc(timestampMs),
			webhookId,
			productId: webhook.productId,
			organizationId: webhook.organizationId,
			payload,
		};
		const signature = createHmac('sha256', Buffer.from(key.key, 'base64'))
			.update(`${timestampMs}.${JSON.stringify(payload)}`)
			.digest('base64');
		return {
			headers: { 'content-type': 'application/json', 'v-c-signature': `t=${timestampMs};keyId=${key.keyId};sig=${signature}` },
			body: JSON.stringify(notification),
		};
	}

	private keyProblem(organizationId: string, securityType: string | undefined): ApiResult | undefined {
		const now = this.now();
		if (!this.keys.signatureKey(organizationId)) {
			return rejected('INVALID_DATA', 'Declined - Create a digital signature key (POST /kms/egress/v2/keys-sym, CREATE) before subscribing to webhooks.', now);
		}
		if (securityType === 'oauth' && !this.keys.hasOAuthCredentials(organizationId)) {
			return rejected('INVALID_DATA', 'Declined - Store your OAuth client credentials (POST /kms/egress/v2/keys-sym, STORE) before using the oAuth security policy.', now);
		}
		return undefined;
	}

	private find(merchantId: string, webhookId: string): Webhook | undefined {
		const webhook = this.webhooks.get(webhookId);
		return webhook && webhook.organizationId === merchantId ? webhook : undefined;
	}

	private notFound(what: string, id: string): ApiResult {
		return notFound(`The requested ${what} ${id} does not exist`, this.now());
	}
}

/** DESIGN §4: webhook URLs on port 443 or 8443; https only. */
function allowedUrl(value: string): boolean {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return false;
	}
	return url.protocol === 'https:' && (url.port === '' || url.port === '8443') && url.hostname !== '';
}

function readEventTypes(check: FieldCheck, product: WebhookProduct | undefined, required: boolean): string[] | undefined {
	const value = check.value('eventTypes');
	if (value === undefined || value === null) {
		if (required) check.missing('eventTypes');
		return undefined;
	}
	if (!Array.isArray(value) || value.length === 0) {
		check.invalid('eventTypes');
		return undefined;
	}
	const valid = value.every((item) => typeof item === 'string' && (!product || product.eventTypes.includes(item)));
	if (!valid || new Set(value).size !== value.length) {
		check.invalid('eventTypes');
		return undefined;
	}
	return [...(value as string[])];
}

function readNotificationScope(check: FieldCheck): unknown {
	const value = check.value('notificationScope');
	if (value === undefined) return undefined;
	const scope = isRecord(value) ? value.scope : value;
	if (typeof scope !== 'string' || !NOTIFICATION_SCOPES.includes(scope)) check.invalid('notificationScope');
	return value;
}

function optionalObject(check: FieldCheck, path: string): unknown {
	const value = check.value(path);
	if (value !== undefined && !isRecord(value)) check.invalid(path);
	return value;
}

/** Returns the lower-cased security type (`key`, `oauth`, `oauth_jwt`), or undefined when absent. */
function readSecurityPolicy(check: FieldCheck): string | undefined {
	const policy = check.value('securityPolicy');
	if (policy === undefined) return undefined;
	if (!isRecord(policy)) {
		check.invalid('securityPolicy');
		return undefined;
	}
	const type = check.requiredString('securityPolicy.securityType');
	if (type === undefined) return undefined;
	const normalized = type.toLowerCase();
	if (!SECURITY_TYPES.includes(normalized)) {
		check.invalid('securityPolicy.securityType');
		return undefined;
	}
	if (normalized !== 'key') {
		// The partner's own token URL, which Cybersource calls before delivering: https, any port.
		const oAuthUrl = check.requiredString('securityPolicy.config.oAuthURL');
		if (oAuthUrl !== undefined && !/^https:\/\/[^/\s]+/.test(oAuthUrl)) check.invalid('securityPolicy.config.oAuthURL');
	}
	return normalized;
}
