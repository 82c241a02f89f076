import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { checkNotification, ReplayMemory, savedAcceptance, type SignedText } from '../../lib/cybersource/notifications';
import { issuerClientOf, signatureKeyOf, WEBHOOK_KEYS_TYPE } from '../../lib/n8n/webhookKeys';
import { answerTokenRequest, verifyBearerToken } from '../../lib/oauth2/tokenIssuer';

/**
 * What the trigger answers. Two webhooks (n8n allows `default` and `setup`):
 *  - `default` (POST .../notifications): Cybersource's notifications. Each is checked before
 *    anything else (bearer token in the OAuth-protected mode, then `v-c-signature` over the bytes
 *    received); a refused one gets 401 and starts nothing, and nothing of its body is echoed. A
 *    notification already accepted gets 200 and starts nothing (Cybersource retries until 2xx).
 *  - `setup` (GET and POST .../setup): the health check URL (200), and in the OAuth-protected
 *    mode the token endpoint Cybersource calls with a form POST (RFC 6749 §4.4).
 */

type Answer = { status: number; body: IDataObject; headers?: Record<string, string> };

function respond(context: IWebhookFunctions, answer: Answer): IWebhookResponseData {
	const res = context.getResponseObject();
	for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
	res.status(answer.status).json(answer.body);
	return { noWebhookResponse: true };
}

function header(context: IWebhookFunctions, name: string): string | undefined {
	const value = context.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : typeof value === 'string' ? value : undefined;
}

/** The token audience: this trigger node in this workflow, so a token for another trigger is refused. */
function audience(context: IWebhookFunctions): string {
	return `n8n-cybersource-trigger:${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
}

function securityType(context: IWebhookFunctions): string {
	return String(context.getNodeParameter('securityType', 'key'));
}

async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = context.getRequestObject() as { rawBody?: unknown; readRawBody?: () => Promise<void> };
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

const REFUSED: Answer = { status: 401, body: { message: 'Refused: the notification is not signed with this trigger\'s key' } };
/** Our own configuration is broken: 503 asks Cybersource to retry later, when it is mended. */
const NOT_READY: Answer = { status: 503, body: { message: 'The receiver is not configured; see the n8n log' } };

/**
 * Per-process replay memories, one per trigger node: n8n builds the workflow (and its static
 * data) afresh for every request, so concurrent deliveries need a memory they share. The
 * workflow's static data keeps a copy that survives restarts.
 */
const processMemories = new Map<string, ReplayMemory>();
const MAX_PROCESS_MEMORIES = 100;
/** The text Cybersource signed last (raw body or payload JSON, see notifications.ts): tried first. */
let lastSignedText: SignedText = 'body';

function firstTime(context: IWebhookFunctions, key: string, now: number): boolean {
	const id = audience(context);
	const stored = context.getWorkflowStaticData('node');
	let memory = processMemories.get(id);
	if (memory === undefined) {
		// The first notification for this trigger in this process: take in what was saved.
		if (processMemories.size >= MAX_PROCESS_MEMORIES) processMemories.delete(processMemories.keys().next().value as string);
		processMemories.set(id, (memory = new ReplayMemory()));
		memory.restore(stored.replays, now);
	} else if (savedAcceptance(stored.replays, key, now) !== undefined) {
		return false; // accepted by another process (queue mode), which saved it
	}
	if (!memory.acceptOnce(key, now)) return false;
	stored.replays = { ...memory.toSaved() };
	return true;
}

async function notification(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	let credentials;
	let key;
	try {
		credentials = await context.getCredentials(WEBHOOK_KEYS_TYPE);
		key = signatureKeyOf(credentials);
	} catch (error) {
		context.logger.error(`Cybersource Trigger: cannot check notifications: ${error instanceof Error ? error.message : String(error)}`);
		return respond(context, NOT_READY);
	}
	if (securityType(context) === 'oAuth') {
		let client;
		try {
			client = issuerClientOf(credentials);
		} catch (error) {
			context.logger.error(`Cybersource Trigger: cannot check bearer tokens: ${error instanceof Error ? error.message : String(error)}`);
			return respond(context, NOT_READY);
		}
		const bearer = verifyBearerToken(header(context, 'authorization'), client, audience(context));
		if (!bearer.ok) {
			context.logger.warn(`Cybersource Trigger refused a notification: bearer token ${bearer.problem}`);
			return respond(context, { status: 401, body: { message: 'Refused: a valid bearer token is required' }, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
		}
	}
	const raw = await rawBodyOf(context);
	// n8n has parsed a JSON body already (from the same bytes); only other content is parsed here.
	const given = /json/i.test(header(context, 'content-type') ?? '') ? context.getBodyData() : undefined;
	const check = checkNotification(
		raw ?? Buffer.alloc(0),
		header(context, 'v-c-signature'),
		[key],
		lastSignedText,
		typeof given === 'object' && given !== null && !Array.isArray(given) ? given : undefined,
	);
	if (!check.ok) {
		context.logger.warn(`Cybersource Trigger refused a notification: signature ${check.problem}`);
		return respond(context, REFUSED);
	}
	lastSignedText = check.signedText;
	const { notificationId } = check;
	const notice = check.body as IDataObject;
	if (!firstTime(context, notificationId, Date.now())) {
		return respond(context, { status: 200, body: { message: 'Already received', notificationId } });
	}
	// Answered here, before n8n starts the run: Cybersource's delivery timeout is short, and n8n
	// 2.x answers an `onReceived` webhook only after it has started the run, by which time the
	// run's copy of the static data has hidden the replay memory's change from the webhook's save
	// (it would be lost on a restart). A webhook that answers itself is saved at once, as in 1.x.
	const answered = respond(context, { status: 200, body: { message: 'Received', notificationId } });
	return { ...answered, workflowData: [itemsOf(context, notice, notificationId)] };
}

function itemsOf(context: IWebhookFunctions, notice: IDataObject, notificationId: string): INodeExecutionData[] {
	const headerOr = (field: string, name: string) => notice[field] ?? header(context, name);
	const common: IDataObject = {
		eventType: headerOr('eventType', 'v-c-event-type') ?? null,
		webhookId: headerOr('webhookId', 'v-c-webhook-id') ?? null,
		notificationId,
		retryNumber: Number(headerOr('retryNumber', 'v-c-retry-count') ?? 0),
		organizationId: headerOr('organizationId', 'v-c-organization-id') ?? null,
		productId: headerOr('productId', 'v-c-product-name') ?? null,
		eventDate: notice.eventDate ?? null,
		requestType: headerOr('requestType', 'v-c-request-type') ?? null,
		transactionTraceId: headerOr('transactionTraceId', 'v-c-transaction-trace-id') ?? null,
	};
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const payload = notice.payload;
	if (options.splitPayload === true && Array.isArray(payload) && payload.length > 0) {
		return payload.map((entry, payloadIndex) => ({ json: { ...common, payloadIndex, payload: entry as IDataObject } }));
	}
	return [{ json: { ...common, payload: (payload ?? null) as IDataObject } }];
}

async function setup(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = context.getRequestObject();
	const contentType = header(context, 'content-type');
	const isForm = (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
	if (request.method !== 'POST' || !isForm) return respond(context, { status: 200, body: { status: 'UP' } });
	if (securityType(context) !== 'oAuth') {
		return respond(context, { status: 400, body: { error: 'unsupported_grant_type', error_description: 'This trigger is not OAuth-protected.' }, headers: { 'cache-control': 'no-store' } });
	}
	let client;
	try {
		client = issuerClientOf(await context.getCredentials(WEBHOOK_KEYS_TYPE));
	} catch (error) {
		context.logger.error(`Cybersource Trigger: cannot issue tokens: ${error instanceof Error ? error.message : String(error)}`);
		return respond(context, { status: 503, body: { error: 'temporarily_unavailable' }, headers: { 'cache-control': 'no-store' } });
	}
	const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
	const answer = answerTokenRequest({ contentType, authorization: header(context, 'authorization'), form }, client, audience(context));
	if (answer.status !== 200) context.logger.warn(`Cybersource Trigger refused a token request: ${String(answer.body.error)}`);
	return respond(context, { status: answer.status, body: answer.body as IDataObject, headers: answer.headers });
}

export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	return this.getWebhookName() === 'setup' ? await setup(this) : await notification(this);
}
