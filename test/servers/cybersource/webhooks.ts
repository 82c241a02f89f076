import { createHmac, randomUUID } from 'node:crypto';

import { FieldCheck, invalidFields, isRecord, notFound, rejected, submitTimeUtc, type ApiResult } from './http';
import type { KeyService } from './keys';
import { WEBHOOK_PRODUCTS, type WebhookProduct } from '../../../packages/n8n-nodes-cybersource/lib/cybersource/webhookProducts';
import { NO_ANSWER, type Notifier } from './notifier';

export { WEBHOOK_PRODUCTS, type WebhookProduct };

/**
 * Webhook subscriptions (`/notification-subscriptions/v2/...`, DESIGN §4) as Cybersource's REST
 * API and SDK describe them:
 *  - `GET  /notification-subscriptions/v2/products/{organizationId}`: products and their event types;
 *  - `POST /notification-subscriptions/v2/webhooks`: create (201);
 *  - `GET  /notification-subscriptions/v2/webhooks?organizationId=&productId=&eventType=`: list;
 *  - `GET|PATCH|DELETE /notification-subscriptions/v2/webhooks/{webhookId}`;
 *  - `PUT  /notification-subscriptions/v2/webhooks/{webhookId}/status` `{status: ACTIVE|INACTIVE}`;
 *  - `POST /notification-subscriptions/v1/webhooks/{webhookId}`: "Test a Webhook Configuration"
 *    (the SDK's path is v1); it re-activates an inactive subscription and sends a sample
 *    notification when the webhook URL is routed (see notifier.ts; otherwise it answers as if the
 *    delivery succeeded).
 * Rules: URLs are https on port 443 or 8443 (or none); a digital signature key (keys-sym CREATE)
 * must exist before subscribing; an `oAuth` security policy needs stored OAuth credentials
 * (keys-sym STORE, seed 000); one subscription per product and organization (a second create
 * answers 400 "already exist"); a new subscription is INACTIVE until the status endpoint sets it
 * ACTIVE (as Cybersource's own plugins do); a routed health check URL must answer 200 to GET and
 * POST before a subscription is created or activated. Answers carry `products: [{productId,
 * eventTypes}]` like Cybersource's (InlineResponse2007).
 */

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

/** Which text the sandbox signs: `t.<payload JSON>` (developer guide) or `t.<raw body>` (commerce plugins). */
export type SignedText = 'payload' | 'body';

export interface DeliveryOptions {
	signedText?: SignedText;
	/** Retries after a non-2xx answer; default 3 (Cybersource's default). */
	retries?: number;
	/** Pause between attempts; default 20 ms (Cybersource: a minute). */
	retryDelayMs?: number;
	/** How the `oAuth` policy's token request authenticates the client; default the form body. */
	tokenClientAuth?: 'body' | 'basic';
	/** Changes an attempt before it is sent (negative tests: tampered body, forged token). */
	tamper?: (attempt: SignedNotification) => SignedNotification;
	/**
	 * The first `n` answers are lost on the way back (the receiver got the notification, Cybersource
	 * saw no answer), so Cybersource retries; each retry goes to the next routed base.
	 */
	loseAnswers?: number;
}

export interface DeliveryAttempt {
	retryNumber: number;
	/** The receiver's HTTP status; 0 when nothing came back or the token fetch failed. */
	status: number;
	transactionTraceId: string;
	/** `oAuth` policy: the status of the token request made before this attempt. */
	tokenStatus?: number;
}

export interface DeliveryReport {
	delivered: boolean;
	attempts: DeliveryAttempt[];
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
		private readonly notifier: Notifier,
	) {}

	/** Subscriptions of an organization, as stored (for assertions). */
	all(organizationId: string): Webhook[] {
		return [...this.webhooks.values()].filter((webhook) => webhook.organizationId === organizationId).map((webhook) => ({ ...webhook }));
	}

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

	async create(merchantId: string, received: unknown): Promise<ApiResult> {
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
		const existing = [...this.webhooks.values()].find((webhook) => webhook.organizationId === organizationId && webhook.productId === product.productId);
		if (existing) return rejected('INVALID_DATA', `Webhook already exist for the product ${product.productId} and organization ${organizationId}.`, now);
		if (healthCheckUrl !== undefined && !(await this.healthy(healthCheckUrl))) {
			return rejected('INVALID_DATA', 'Declined - The health check URL did not answer 200.', now);
		}

		const time = submitTimeUtc(now);
		const webhook: Webhook = {
			webhookId: randomUUID(),
			organizationId,
			productId: product.productId,
			eventTypes,
			webhookUrl,
			healthCheckUrl,
			status: 'INACTIVE',
			name,
			description,
			notificationScope,
			retryPolicy,
			securityPolicy: check.value('securityPolicy'),
			createdOn: time,
			updatedOn: time,
		};
		this.webhooks.set(webhook.webhookId, webhook);
		return { status: 201, body: present(webhook) };
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
		return { status: 200, body: matches.map(present) };
	}

	get(merchantId: string, webhookId: string): ApiResult {
		const webhook = this.find(merchantId, webhookId);
		return webhook ? { status: 200, body: present(webhook) } : this.notFound('webhook', webhookId);
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
		return { status: 200, body: present(webhook) };
	}

	async setStatus(merchantId: string, webhookId: string, body: unknown): Promise<ApiResult> {
		const webhook = this.find(merchantId, webhookId);
		if (!webhook) return this.notFound('webhook', webhookId);
		const check = new FieldCheck(body);
		check.onlyKeys('', ['status']);
		const status = check.requiredString('status', STATUS_PATTERN);
		if (!check.ok || !status) return invalidFields(check.problems, this.now());
		if (status === 'ACTIVE' && webhook.healthCheckUrl !== undefined && !(await this.healthy(webhook.healthCheckUrl))) {
			return rejected('INVALID_DATA', 'Declined - The health check URL did not answer 200.', this.now());
		}
		webhook.status = status as Webhook['status'];
		webhook.updatedOn = submitTimeUtc(this.now());
		return { status: 200 };
	}

	remove(merchantId: string, webhookId: string): ApiResult {
		if (!this.find(merchantId, webhookId)) return this.notFound('webhook', webhookId);
		this.webhooks.delete(webhookId);
		return { status: 200 };
	}

	/** "Test a Webhook Configuration": re-activates, and sends a sample notification when the URL is routed. */
	async test(merchantId: string, webhookId: string): Promise<ApiResult> {
		const webhook = this.find(merchantId, webhookId);
		if (!webhook) return this.notFound('webhook', webhookId);
		webhook.status = 'ACTIVE';
		if (!this.notifier.routed(webhook.webhookUrl)) return { status: 200, body: { submitTimeUtc: submitTimeUtc(this.now()), status: 'ACCEPTED' } };
		const report = await this.deliver(webhookId, webhook.eventTypes[0], [{ data: { id: randomUUID(), sample: true }, organizationId: webhook.organizationId }], { retries: 0 });
		const last = report.attempts[report.attempts.length - 1];
		return { status: 200, body: { submitTimeUtc: submitTimeUtc(this.now()), status: report.delivered ? 'ACCEPTED' : 'FAILED', responseCode: last?.status } };
	}

	/**
	 * A notification for `webhookId` as Cybersource sends it (DESIGN §4): body `webhookId`,
	 * `transactionTraceId` (new on every attempt), `productId`, `organizationId`, `eventType`,
	 * `eventDate`, `requestType`, `retryNumber`, `payload`; the `v-c-*` headers; and
	 * `v-c-signature: t=<ms>;keyId=<id>;sig=<base64 HMAC-SHA256>` keyed by the base64-decoded
	 * digital signature key, over `t + "." + <payload JSON>` or `t + "." + <raw body>`.
	 */
	signedNotification(webhookId: string, eventType: string, payload: unknown, timestampMs = this.now(), retryNumber = 0, signedText: SignedText = 'payload'): SignedNotification {
		const webhook = this.webhooks.get(webhookId);
		if (!webhook) throw new Error(`unknown webhook ${webhookId}`);
		const key = this.keys.signatureKey(webhook.organizationId);
		if (!key) throw new Error(`no digital signature key for ${webhook.organizationId}: POST /kms/egress/v2/keys-sym (CREATE) first`);
		const transactionTraceId = randomUUID();
		const requestType = retryNumber === 0 ? 'NEW' : 'RETRY';
		const notification = {
			webhookId,
			transactionTraceId,
			productId: webhook.productId,
			organizationId: webhook.organizationId,
			eventType,
			eventDate: submitTimeUtc(timestampMs),
			requestType,
			retryNumber,
			payload,
		};
		const body = JSON.stringify(notification);
		const signed = signedText === 'body' ? body : JSON.stringify(payload);
		const signature = createHmac('sha256', Buffer.from(key.key, 'base64')).update(`${timestampMs}.${signed}`).digest('base64');
		return {
			headers: {
				'content-type': 'application/json',
				'v-c-signature': `t=${timestampMs};keyId=${key.keyId};sig=${signature}`,
				'v-c-event-type': eventType,
				'v-c-organization-id': webhook.organizationId,
				'v-c-product-name': webhook.productId,
				'v-c-request-type': requestType,
				'v-c-retry-count': String(retryNumber),
				'v-c-transaction-trace-id': transactionTraceId,
				'v-c-webhook-id': webhookId,
			},
			body,
		};
	}

	/**
	 * Delivers a notification to the subscription's routed webhook URL like Cybersource: only to
	 * an ACTIVE subscription, with the `oAuth` policy a token fetched from its token URL first,
	 * and again after any non-2xx answer (at most `retries` times).
	 */
	async deliver(webhookId: string, eventType: string, payload: unknown, options: DeliveryOptions = {}): Promise<DeliveryReport> {
		const webhook = this.webhooks.get(webhookId);
		if (!webhook) throw new Error(`unknown webhook ${webhookId}`);
		if (webhook.status !== 'ACTIVE') throw new Error(`webhook ${webhookId} is ${webhook.status}: Cybersource delivers to ACTIVE subscriptions only`);
		if (!this.notifier.routed(webhook.webhookUrl)) throw new Error(`webhook URL ${webhook.webhookUrl} is not routed to 127.0.0.1`);
		const retries = Math.min(options.retries ?? 3, 10);
		const attempts: DeliveryAttempt[] = [];
		for (let retryNumber = 0; retryNumber <= retries; retryNumber++) {
			if (retryNumber > 0) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 20));
			let notification = this.signedNotification(webhookId, eventType, payload, this.now(), retryNumber, options.signedText);
			const attempt: DeliveryAttempt = { retryNumber, status: NO_ANSWER, transactionTraceId: notification.headers['v-c-transaction-trace-id'] };
			attempts.push(attempt);
			const policy = isRecord(webhook.securityPolicy) ? webhook.securityPolicy : undefined;
			if (typeof policy?.securityType === 'string' && policy.securityType.toLowerCase() === 'oauth') {
				const token = await this.fetchToken(webhook, options.tokenClientAuth ?? 'body');
				attempt.tokenStatus = token.status;
				if (token.accessToken === undefined) continue;
				notification = { ...notification, headers: { ...notification.headers, authorization: `Bearer ${token.accessToken}` } };
			}
			if (options.tamper) notification = options.tamper(notification);
			attempt.status = (await this.notifier.send(webhook.webhookUrl, 'POST', notification.headers, notification.body, retryNumber)).status;
			if (retryNumber < (options.loseAnswers ?? 0)) attempt.status = NO_ANSWER;
			if (attempt.status >= 200 && attempt.status < 300) return { delivered: true, attempts };
		}
		return { delivered: false, attempts };
	}

	/** `grant_type=client_credentials` at the policy's token URL with the client stored by keys-sym STORE. */
	private async fetchToken(webhook: Webhook, clientAuth: 'body' | 'basic'): Promise<{ status: number; accessToken?: string }> {
		const policy = webhook.securityPolicy as { config?: { oAuthURL?: string } };
		const url = policy.config?.oAuthURL ?? '';
		const client = this.keys.storedKeys(webhook.organizationId).filter((key) => key.keyType === 'oAuthClientCredentials').pop();
		if (!client?.clientKeyId || !this.notifier.routed(url)) return { status: NO_ANSWER };
		const form = new URLSearchParams({ grant_type: 'client_credentials' });
		const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
		if (clientAuth === 'basic') {
			const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
			headers.authorization = `Basic ${Buffer.from(`${encode(client.clientKeyId)}:${encode(client.key)}`).toString('base64')}`;
		} else {
			form.set('client_id', client.clientKeyId);
			form.set('client_secret', client.key);
		}
		const answer = await this.notifier.send(url, 'POST', headers, form.toString());
		if (answer.status !== 200) return { status: answer.status };
		try {
			const token = (JSON.parse(answer.body) as { access_token?: unknown }).access_token;
			return typeof token === 'string' ? { status: answer.status, accessToken: token } : { status: answer.status };
		} catch {
			return { status: answer.status };
		}
	}

	/** A routed health check URL must answer 200 to GET and to POST; an unrouted one is not called. */
	private async healthy(url: string): Promise<boolean> {
		if (!this.notifier.routed(url)) return true;
		const get = await this.notifier.send(url, 'GET', { accept: 'application/json' });
		if (get.status !== 200) return false;
		const post = await this.notifier.send(url, 'POST', { 'content-type': 'application/json' }, '{}');
		return post.status === 200;
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

/** A subscription as Cybersource's API shows it: the subscribed events under `products`. */
function present(webhook: Webhook): Record<string, unknown> {
	const { productId, eventTypes, ...rest } = webhook;
	return { ...rest, products: [{ productId, eventTypes: [...eventTypes] }] };
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
