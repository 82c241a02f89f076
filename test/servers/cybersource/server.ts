import { createServer, type Server } from 'node:https';
import { createServer as createPlainServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPrivateKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { readBody, sendJson, submitTimeUtc, type ApiResult } from './http';
import { KeyService, type StoredKey } from './keys';
import { MerchantAuthority, type MerchantKey } from './merchantAuth';
import { TokenService, type Grant, type RecordedTokenRequest, type SandboxClient, type TokenErrorCode, type TokenStats } from './oauth';
import { PaymentsService } from './payments';
import { TokenVault } from './tms';
import { ReportingService } from './reporting';
import { InvoicingService } from './invoicing';
import { cardType } from './cards';
import { getSandboxPki, type SandboxPki } from './pki';
import { encryptedAnswer, openRequestJwe } from './mle';
import { DEFAULT_CLIENT_ID, DEFAULT_MERCHANT_ID, DEFAULT_MERCHANT_KEY_ID, DEFAULT_MERCHANT_SECRET, DEFAULT_SCOPE, MLE_CERT_SERIAL, RESPONSE_MLE_KEY_ID } from './testValues';
import { Notifier } from './notifier';
import { WebhookService, type DeliveryOptions, type DeliveryReport, type SignedNotification, type Webhook } from './webhooks';

export { TOKEN_ERROR_CODES } from './oauth';
export type { RecordedTokenRequest, SandboxClient, TokenErrorCode } from './oauth';
export type { SandboxPki } from './pki';
export type { StoredKey } from './keys';
export type { DeliveryOptions, DeliveryReport, SignedNotification, Webhook, WebhookProduct } from './webhooks';
export { WEBHOOK_PRODUCTS } from './webhooks';
export * from './testValues';

/**
 * A local Cybersource sandbox: what the node and its OAuth2 credential see at Cybersource's
 * mutual-auth host `api-ma[test].cybersource.com` (DESIGN §4; seeds 000-002), on 127.0.0.1 and an
 * ephemeral port, HTTPS with a required client certificate. It never connects anywhere.
 *
 * - `POST /oauth2/v3/token`: partner OAuth (authorization_code, refresh_token with rotation); see oauth.ts.
 * - Payments (by card or token, TOKEN_CREATE, incremental authorization), captures, refunds, reversals, voids, credits, transaction details and search; see payments.ts.
 * - Token Management: customers, payment instruments, shipping addresses, instrument identifiers (ETags, pages); see tms.ts.
 * - Reporting: on-demand reports, downloads (CSV, XML), subscriptions, batch summaries, purchase and refund details, chargebacks; see reporting.ts.
 * - Invoicing and Pay by Link; see invoicing.ts.
 * - `POST /kms/egress/v2/keys-sym` (STORE / CREATE); see keys.ts.
 * - Webhook subscriptions and products; see webhooks.ts.
 * Every API endpoint requires `Authorization: Bearer <access token issued by this sandbox>`;
 * otherwise 401 `{submitTimeUtc, status: "UNAUTHORIZED", reason: "ACCESS_TOKEN_EXPIRED" |
 * "UNAUTHORIZED_PARTNER", message}`.
 * Test controls are plain methods (tests run in the same process). Nothing is logged per request.
 */

export interface SandboxOptions {
	/** `expires_in` of access tokens; default 899 like Cybersource. */
	accessTokenTtlSeconds?: number;
	/** How long a rotated refresh token keeps working; default 0 (dies at once). */
	refreshTokenGraceSeconds?: number;
	/** Registered partner applications; default one: DEFAULT_CLIENT_ID / DEFAULT_CLIENT_SECRET. */
	clients?: SandboxClient[];
	/** Merchant ids that may delegate access; default [DEFAULT_MERCHANT_ID]. */
	merchants?: string[];
	/** Space-separated scope granted with every token. */
	scope?: string;
	/** Clock in epoch milliseconds (token, code and card expiry); default Date.now. */
	now?: () => number;
	/** Certificates to use instead of the per-process generated ones. */
	pki?: SandboxPki;
	/** REST shared secret keys of merchants (HTTP Signature, JWT HS256); default one for the first merchant. */
	merchantKeys?: MerchantKey[];
	/** Refuse a plain (not message-level encrypted) POST, PUT or PATCH from a merchant key to an API that takes MLE; default false. */
	requireRequestMle?: boolean;
}

export interface SandboxStats extends TokenStats {
	/** Requests to any path but the token endpoint. */
	apiRequests: number;
	/** Of those, answered 401. */
	apiUnauthorized: number;
	/** Of those, signed with a merchant key (HTTP Signature or JWT), accepted or not. */
	merchantRequests: number;
	/** Authenticated API requests by operation name (`payments.authorize`, `webhooks.create`, ...). */
	byOperation: Record<string, number>;
	/** Transactions stored (payments, captures, refunds, reversals, voids, credits). */
	transactions: number;
	/** The most API requests in flight at once (received, not yet answered). */
	maxConcurrentApiRequests: number;
}

/** An API request as received (for assertions on what the node sent). */
export interface RecordedApiRequest {
	method: string;
	path: string;
	query: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** The request body inside `{"encryptedRequest": ...}`, once the sandbox decrypted it. */
	decryptedBody?: string;
}

export interface Sandbox {
	/** `https://127.0.0.1:<port>`: the stand-in for `https://api-ma[test].cybersource.com`. */
	readonly url: string;
	readonly port: number;
	/** `http://127.0.0.1:<port>`: the stand-in for the REST host `https://apitest.cybersource.com` (merchant keys, no mutual TLS). */
	readonly restUrl: string;
	/** The first merchant's REST shared secret key (the JWT RS256 key and certificate are in `pki`). */
	readonly merchantKey: MerchantKey;
	readonly tokenUrl: string;
	readonly pki: SandboxPki;
	/** TLS options for a client of the sandbox: trust its CA, present the partner certificate. */
	readonly clientTls: { ca: string; cert: string; key: string };
	/** The first registered client and merchant (the defaults unless options say otherwise). */
	readonly clientId: string;
	readonly clientSecret: string;
	readonly merchantId: string;

	stats(): SandboxStats;
	/** Zeroes the counters and forgets the recorded requests. */
	resetStats(): void;
	/** Back to a fresh start (same port and certificates): tokens, codes, transactions, keys, webhooks, counters. */
	reset(): void;

	/** A single-use authorization code valid 10 minutes, as the merchant's "Allow" redirect carries (seed 002). */
	issueAuthorizationCode(merchantId?: string, clientId?: string): string;
	/** A valid refresh token, to seed a credential without the browser step. */
	issueRefreshToken(merchantId?: string, clientId?: string): string;
	/** A valid access token, for API-only tests and benchmarks. */
	issueAccessToken(merchantId?: string, clientId?: string): string;
	/** All access tokens die at once (refresh tokens keep working). */
	revokeAllTokens(): void;
	/** The merchant revokes the partner (seed 001): its access tokens die, its refresh tokens and codes answer `access_denied`. */
	revokeMerchant(merchantId?: string): void;
	/** All access tokens expire now: APIs answer 401 ACCESS_TOKEN_EXPIRED. */
	expireAllAccessTokens(): void;
	/** An inactive merchant's token requests fail with `merchant_not_active`. */
	setMerchantActive(merchantId: string, active: boolean): void;
	/** An inactive partner's token requests fail with `client_not_active`. */
	setClientActive(clientId: string, active: boolean): void;
	/** The next `count` token requests fail with HTTP 500 and `code`. */
	failNextTokenRequests(code: TokenErrorCode, count?: number): void;
	/**
	 * The next `count` API requests (after `skip` answered ones) are processed (a payment is made)
	 * and then the connection is cut without an answer: the case where the client cannot know
	 * whether a payment went through.
	 */
	dropNextApiAnswers(count?: number, skip?: number): void;
	/** The next `count` API requests are processed and never answered (until the sandbox closes or resets). */
	hangNextApiAnswers(count?: number): void;
	/** Token requests are processed at once but answered `ms` later (0: at once): concurrent refreshes overlap. */
	delayTokenAnswers(ms: number): void;
	/** API requests are processed at once but answered `ms` later (0: at once): requests stay in flight. */
	delayApiAnswers(ms: number): void;
	/** After `count` more API requests every access token dies (a revocation in the middle of a run). */
	revokeAllTokensAfter(count: number): void;
	lastTokenRequest(): RecordedTokenRequest | undefined;
	/** Per transaction kind (`authorization`, `capture`, ...), how many transactions carry each client reference code. */
	transactionsByReference(): Record<string, Record<string, number>>;
	lastApiRequest(): RecordedApiRequest | undefined;
	/** The last API requests (at most 1,000), oldest first. */
	apiRequests(): RecordedApiRequest[];
	/**
	 * Whether a plain POST, PUT or PATCH signed with a merchant key is refused where Cybersource
	 * takes message-level encryption (payments, Token Management, search, invoicing, ...; not
	 * webhooks or keys-sym, which take none).
	 */
	requireRequestMle(required: boolean): void;
	/** A transient token (Microform / Unified Checkout) for a card, valid 15 minutes, as the shopper's browser gets it. */
	issueTransientToken(card: { number: string; expirationMonth: string; expirationYear: string; type?: string }, merchantId?: string): string;
	/** A stored customer with this id and card (its default payment instrument), as a shop would have made earlier. */
	seedCustomer(id: string, card: { number: string; expirationMonth: string; expirationYear: string }, merchantId?: string): void;
	/** As if 180 days passed: every merchant transaction ID may be used again. */
	forgetMerchantTransactionIds(): void;
	/** Every stored transaction moves `ms` into the past (yesterday's payments, for a daily report). */
	ageTransactions(ms: number): void;
	/** A report subscription, as the Business Center makes one (a daily PaymentBatchDetailReport, say). */
	subscribeReport(reportName: string, reportDefinitionName?: string, merchantId?: string): void;
	/** On-demand reports stay QUEUED this long after their creation (default 0: completed at once). */
	delayReports(ms: number): void;
	/** A chargeback on a transaction, filed now (for the chargeback reports). */
	fileChargeback(requestId: string, amount: string, currency?: string, reasonCode?: string, merchantId?: string): void;
	/** A customer paid an invoice (all of it, or `amount`): PAID or PARTIAL. Returns its new status. */
	payInvoice(invoiceId: string, amount?: string, merchantId?: string): string | undefined;
	/** Keys stored through keys-sym for an organization, secrets included. */
	storedKeys(organizationId?: string): StoredKey[];
	/** A notification for a subscription, signed with the organization's digital signature key (DESIGN §4). */
	signedNotification(webhookId: string, eventType: string, payload: unknown, timestampMs?: number): SignedNotification;
	/** Webhook URLs and token URLs of `publicOrigin` are called at `localBase` (an http://127.0.0.1 base). */
	/** Several bases: a load balancer in front of several n8n webhook processes (see Notifier.route). */
	routeWebhooks(publicOrigin: string, localBase: string | string[]): void;
	/** Delivers a notification like Cybersource: signed, OAuth token first under the oAuth policy, retries on non-2xx. */
	deliver(webhookId: string, eventType: string, payload: unknown, options?: DeliveryOptions): Promise<DeliveryReport>;
	/** keys-sym CREATE without a request: the organization's new digital signature key (base64). */
	createSignatureKey(organizationId?: string): { keyId: string; key: string };
	/** The organization's subscriptions as stored. */
	webhooks(organizationId?: string): Webhook[];
	close(): Promise<void>;
}

interface ApiContext {
	grant: Grant;
	body: unknown;
	query: string;
	/** `If-Match` of a Token Management update. */
	ifMatch: string | undefined;
	/** `Accept` (a report download's file type). */
	accept: string | undefined;
}

interface Route {
	pattern: RegExp;
	operation: string;
	handle(context: ApiContext, params: string[]): ApiResult | Promise<ApiResult>;
}

const TOKEN_PATH = '/oauth2/v3/token';

export async function startCybersourceSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const now = options.now ?? Date.now;
	const pki = options.pki ?? getSandboxPki();
	const tokens = new TokenService(options, now);
	const vault = new TokenVault(now);
	const payments = new PaymentsService(now, vault);
	const reporting = new ReportingService(now, payments);
	const invoicing = new InvoicingService(now);
	const keys = new KeyService(now);
	const notifier = new Notifier();
	const webhooks = new WebhookService(keys, now, notifier);
	const routes = buildRoutes({ payments, vault, reporting, invoicing, keys, webhooks });

	const merchantKeys = options.merchantKeys ?? [{ merchantId: options.merchants?.[0] ?? DEFAULT_MERCHANT_ID, keyId: DEFAULT_MERCHANT_KEY_ID, secret: DEFAULT_MERCHANT_SECRET }];
	const merchants = new MerchantAuthority(merchantKeys, [{ merchantId: options.merchants?.[0] ?? DEFAULT_MERCHANT_ID, certificate: pki.merchantCert }]);
	let api = emptyApiStats();
	let lastApi: RecordedApiRequest | undefined;
	let apiLog: RecordedApiRequest[] = [];

	let revokeAfter: number | undefined;
	const handleApi = (method: string, path: string, query: string, request: IncomingMessage, raw: string): ApiResult | Promise<ApiResult> => {
		api.apiRequests++;
		if (revokeAfter !== undefined && --revokeAfter < 0) {
			revokeAfter = undefined;
			tokens.revokeAllAccessTokens();
		}
		lastApi = { method, path, query, headers: request.headers, body: raw };
		apiLog.push(lastApi);
		if (apiLog.length > 1000) apiLog = apiLog.slice(-1000);
		let grant: Grant;
		const received = { method, url: request.url ?? path, headers: request.headers, rawBody: raw };
		if (MerchantAuthority.applies(received)) {
			// Merchant-key authentication (HTTP Signature or JWT), checked by the sandbox's own code.
			api.merchantRequests++;
			const checked = merchants.check(received, now());
			if (!checked.ok) {
				api.apiUnauthorized++;
				return { status: 401, body: { response: { rmsg: checked.message } } };
			}
			grant = { clientId: 'merchant-key', merchantId: checked.merchantId, scope: DEFAULT_SCOPE };
			// Message-level encryption (CYBERSOURCE-MLE.md §2, §3, §6): the request opened with the key
			// only Cybersource holds; the answer encrypted to the merchant's Response MLE key.
			const opened = openedRequest(raw, checked.scheme, method, path);
			if ('refused' in opened) return opened.refused;
			raw = opened.raw;
			if (opened.decrypted) lastApi.decryptedBody = raw;
			if (checked.responseMleKid !== undefined) {
				if (checked.responseMleKid !== RESPONSE_MLE_KEY_ID) {
					return { status: 400, body: { submitTimeUtc: submitTimeUtc(now()), status: 'INVALID_REQUEST', reason: 'INVALID_DATA', message: 'Declined - v-c-response-mle-kid names no Response MLE key of this merchant' } };
				}
				const kid = checked.responseMleKid;
				// An answer without a body (a status change) stays empty.
				return Promise.resolve(routed(method, path, query, raw, grant, request)).then((result) =>
					result.body === undefined ? result : { ...result, body: encryptedAnswer(result.body, pki.responseMleCert, kid, Math.floor(now() / 1000)) },
				);
			}
		} else {
			const bearer = tokens.checkBearer(request.headers.authorization);
			if (!bearer.ok) {
				api.apiUnauthorized++;
				return TokenService.unauthorized(bearer, now());
			}
			grant = bearer.grant;
		}
		return routed(method, path, query, raw, grant, request);
	};

	const mleKey = createPrivateKey(pki.mleKey);
	let mleRequired = options.requireRequestMle ?? false;
	const invalid = (message: string): ApiResult => ({ status: 400, body: { submitTimeUtc: submitTimeUtc(now()), status: 'INVALID_REQUEST', reason: 'INVALID_DATA', message } });
	const openedRequest = (raw: string, scheme: 'signature' | 'jwt', method: string, path: string): { raw: string; decrypted: boolean } | { refused: ApiResult } => {
		let envelope: unknown;
		try {
			envelope = raw === '' ? undefined : JSON.parse(raw);
		} catch {
			envelope = undefined;
		}
		const keys = typeof envelope === 'object' && envelope !== null ? Object.keys(envelope) : [];
		if (keys.length === 1 && keys[0] === 'encryptedRequest') {
			if (scheme !== 'jwt') return { refused: invalid('Declined - message-level encryption needs JWT authentication, not HTTP Signature') };
			const opened = openRequestJwe(String((envelope as { encryptedRequest: unknown }).encryptedRequest), mleKey, MLE_CERT_SERIAL, Math.floor(now() / 1000));
			return opened.ok ? { raw: opened.plaintext, decrypted: true } : { refused: invalid(`Declined - ${opened.message}`) };
		}
		if (mleRequired && ['POST', 'PUT', 'PATCH'].includes(method) && TAKES_MLE.test(path)) return { refused: invalid('Declined - message-level encryption is required for this request') };
		return { raw, decrypted: false };
	};

	const routed = (method: string, path: string, query: string, raw: string, grant: Grant, request: IncomingMessage): ApiResult | Promise<ApiResult> => {
		const candidates = routes.get(method);
		if (candidates) {
			for (const route of candidates) {
				const match = route.pattern.exec(path);
				if (!match) continue;
				let params: string[];
				let body: unknown;
				try {
					params = match.slice(1).map(decodeURIComponent);
				} catch {
					break; // malformed percent-encoding: no such resource
				}
				try {
					body = raw === '' ? undefined : JSON.parse(raw);
				} catch {
					return {
						status: 400,
						body: { submitTimeUtc: submitTimeUtc(now()), status: 'INVALID_REQUEST', reason: 'INVALID_DATA', message: 'Declined - The request body is not valid JSON' },
					};
				}
				api.byOperation[route.operation] = (api.byOperation[route.operation] ?? 0) + 1;
				return route.handle({ grant, body, query, ifMatch: header(request, 'if-match'), accept: header(request, 'accept') }, params);
			}
		}
		return { status: 404, body: { submitTimeUtc: submitTimeUtc(now()), status: 'NOT_FOUND', reason: 'NOT_FOUND', message: `No resource ${method} ${path}` } };
	};

	let answersToDrop = 0;
	let answersToHang = 0;
	const hanging = new Set<{ destroy(): void }>();
	const releaseHanging = () => {
		for (const socket of hanging) socket.destroy();
		hanging.clear();
	};
	let tokenAnswerDelayMs = 0;
	let apiAnswerDelayMs = 0;
	let answersToSkip = 0;
	let inFlight = 0;
	const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
		const url = request.url ?? '/';
		const mark = url.indexOf('?');
		const path = mark < 0 ? url : url.slice(0, mark);
		const query = mark < 0 ? '' : url.slice(mark + 1);
		const method = request.method ?? 'GET';
		const raw = await readBody(request);
		if (raw === undefined) {
			sendJson(response, 413, { status: 'INVALID_REQUEST', reason: 'INVALID_DATA', message: 'Request body too large' }, { Connection: 'close' });
			return;
		}
		if (path === TOKEN_PATH) {
			const result = tokens.handleTokenRequest({ method, query, headers: request.headers, body: raw, correlationId: header(request, 'v-c-client-correlation-id') });
			if (tokenAnswerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenAnswerDelayMs));
			sendJson(response, result.status, result.body, result.headers);
			return;
		}
		inFlight++;
		api.maxConcurrentApiRequests = Math.max(api.maxConcurrentApiRequests, inFlight);
		let result: ApiResult;
		try {
			result = await handleApi(method, path, query, request, raw);
			if (apiAnswerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, apiAnswerDelayMs));
		} finally {
			inFlight--;
		}
		if (answersToHang > 0) {
			answersToHang--;
			hanging.add(request.socket);
			return;
		}
		if (answersToDrop > 0 && answersToSkip-- <= 0) {
			answersToDrop--;
			request.socket.destroy();
			return;
		}
		if (result.file !== undefined) {
			response.writeHead(result.status, { 'Content-Type': result.file.contentType, 'Content-Length': String(Buffer.byteLength(result.file.text)), ...result.headers });
			response.end(result.file.text);
			return;
		}
		sendJson(response, result.status, result.body, result.headers);
	};

	const server: Server = createServer(
		{
			key: pki.serverKey,
			cert: pki.serverCert,
			ca: pki.ca,
			// Mutual TLS (seed 001 "Enabling Mutual Authentication"): no trusted client certificate, no connection.
			requestCert: true,
			rejectUnauthorized: true,
			minVersion: 'TLSv1.2',
		},
		(request, response) => {
			handle(request, response).catch((error: unknown) => {
				if (!response.headersSent) sendJson(response, 500, { status: 'SERVER_ERROR', reason: 'SYSTEM_ERROR', message: String(error) });
				else response.destroy();
			});
		},
	);
	server.on('tlsClientError', () => {}); // refused handshakes are expected (tests prove them); stay quiet
	// The REST host (apitest.cybersource.com) without mutual TLS, for merchant-key requests; plain
	// HTTP on 127.0.0.1, since the signature, not the transport, is what is under test there.
	const rest = createPlainServer((request, response) => {
		handle(request, response).catch(() => response.destroy());
	});
	await new Promise<void>((resolve) => rest.listen(0, '127.0.0.1', resolve));
	const restUrl = `http://127.0.0.1:${(rest.address() as AddressInfo).port}`;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const url = `https://127.0.0.1:${port}`;
	const firstClient = [...tokens.clients.values()][0];
	const firstMerchant = [...tokens.merchants.keys()][0] ?? DEFAULT_MERCHANT_ID;
	let closing: Promise<void> | undefined;

	return {
		url,
		port,
		restUrl,
		merchantKey: merchantKeys[0],
		tokenUrl: `${url}${TOKEN_PATH}`,
		pki,
		clientTls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey },
		clientId: firstClient?.clientId ?? DEFAULT_CLIENT_ID,
		clientSecret: firstClient?.clientSecret ?? '',
		merchantId: firstMerchant,
		transactionsByReference: () => payments.countsByReference(),
		stats: () => ({ ...tokens.tokenStats(), ...api, byOperation: { ...api.byOperation }, transactions: payments.count() }),
		resetStats: () => {
			tokens.resetStats();
			api = emptyApiStats();
			lastApi = undefined;
			apiLog = [];
		},
		delayApiAnswers: (ms) => {
			apiAnswerDelayMs = ms;
		},
		delayTokenAnswers: (ms) => {
			tokenAnswerDelayMs = ms;
		},
		revokeAllTokensAfter: (count) => {
			revokeAfter = count;
		},
		hangNextApiAnswers: (count = 1) => {
			answersToHang = count;
		},
		dropNextApiAnswers: (count = 1, skip = 0) => {
			answersToDrop = count;
			answersToSkip = skip;
		},
		reset: () => {
			answersToDrop = 0;
			answersToHang = 0;
			releaseHanging();
			answersToSkip = 0;
			tokenAnswerDelayMs = 0;
			apiAnswerDelayMs = 0;
			mleRequired = options.requireRequestMle ?? false;
			revokeAfter = undefined;
			tokens.reset();
			payments.reset();
			vault.reset();
			reporting.reset();
			invoicing.reset();
			keys.reset();
			webhooks.reset(); // webhook routes stay: they are the test's network, not the sandbox's state
			api = emptyApiStats();
			lastApi = undefined;
			apiLog = [];
		},
		issueAuthorizationCode: (merchantId = firstMerchant, clientId = firstClient.clientId) => tokens.issueAuthorizationCode(merchantId, clientId),
		issueRefreshToken: (merchantId = firstMerchant, clientId = firstClient.clientId) => tokens.issueRefreshToken(merchantId, clientId),
		issueAccessToken: (merchantId = firstMerchant, clientId = firstClient.clientId) => tokens.issueAccessToken(merchantId, clientId),
		revokeAllTokens: () => tokens.revokeAllAccessTokens(),
		revokeMerchant: (merchantId = firstMerchant) => tokens.revokeMerchant(merchantId),
		expireAllAccessTokens: () => tokens.expireAllAccessTokens(),
		setMerchantActive: (merchantId, active) => tokens.setMerchantActive(merchantId, active),
		setClientActive: (clientId, active) => tokens.setClientActive(clientId, active),
		failNextTokenRequests: (code, count) => tokens.failNextTokenRequests(code, count),
		lastTokenRequest: () => tokens.lastTokenRequest(),
		lastApiRequest: () => lastApi,
		requireRequestMle: (required) => {
			mleRequired = required;
		},
		apiRequests: () => [...apiLog],
		issueTransientToken: (card, merchantId = firstMerchant) => vault.issueTransientToken(merchantId, { ...card, type: card.type ?? cardType(card.number) ?? '001' }),
		seedCustomer: (id, card, merchantId = firstMerchant) => vault.seedCustomer(merchantId, id, { ...card, type: cardType(card.number) ?? '001' }),
		forgetMerchantTransactionIds: () => payments.forgetTransactionIds(),
		ageTransactions: (ms) => payments.age(ms),
		subscribeReport: (reportName, reportDefinitionName = 'PaymentBatchDetailClass', merchantId = firstMerchant) => {
			reporting.subscribe(merchantId, { reportName, reportDefinitionName, reportMimeType: 'text/csv', reportFrequency: 'DAILY', reportFields: ['Request.RequestID'] });
		},
		delayReports: (ms) => {
			reporting.reportDelayMs = ms;
		},
		fileChargeback: (requestId, amount, currency = 'USD', reasonCode = '13.1', merchantId = firstMerchant) => reporting.fileChargeback(merchantId, requestId, amount, currency, reasonCode),
		payInvoice: (invoiceId, amount, merchantId = firstMerchant) => invoicing.payInvoice(merchantId, invoiceId, amount)?.status,
		storedKeys: (organizationId = firstMerchant) => keys.storedKeys(organizationId),
		signedNotification: (webhookId, eventType, payload, timestampMs) => webhooks.signedNotification(webhookId, eventType, payload, timestampMs),
		routeWebhooks: (publicOrigin, localBase) => notifier.route(publicOrigin, localBase),
		deliver: (webhookId, eventType, payload, options) => webhooks.deliver(webhookId, eventType, payload, options),
		webhooks: (organizationId = firstMerchant) => webhooks.all(organizationId),
		createSignatureKey: (organizationId = firstMerchant) => {
			const answer = keys.handle(organizationId, { clientRequestAction: 'CREATE', keyInformation: { provider: 'nrtd', tenant: organizationId, keyType: 'sharedSecret', organizationId } });
			const info = (answer.body as { keyInformation: { keyId: string; key: string } }).keyInformation;
			return { keyId: info.keyId, key: info.key };
		},
		close: () => {
			closing ??= new Promise<void>((resolve) => {
				let open = 2;
				const closed = () => --open === 0 && resolve();
				server.close(closed);
				rest.close(closed);
				releaseHanging();
				server.closeAllConnections();
				rest.closeAllConnections();
			});
			return closing;
		},
	};
}

/** The API families whose writes Cybersource's SDK may send encrypted (CYBERSOURCE-MLE.md §2). */
const TAKES_MLE = /^\/(pts|tms|tss|invoicing|ipl|rbs|risk|boarding|bavs|icc|unifiedrisk)\//;

interface Services {
	payments: PaymentsService;
	vault: TokenVault;
	reporting: ReportingService;
	invoicing: InvoicingService;
	keys: KeyService;
	webhooks: WebhookService;
}

function buildRoutes({ payments, vault, reporting, invoicing, keys, webhooks }: Services): Map<string, Route[]> {
	const id = '([^/]+)';
	const route = (pattern: string, operation: string, handle: Route['handle']): Route => ({ pattern: new RegExp(`^${pattern}$`), operation, handle });
	const merchant = (context: ApiContext) => context.grant.merchantId;
	const customer = `/tms/v2/customers/${id}`;
	const customerInstrument = `${customer}/payment-instruments/${id}`;
	const customerAddress = `${customer}/shipping-addresses/${id}`;
	const instrument = `/tms/v1/paymentinstruments/${id}`;
	const identifier = `/tms/v1/instrumentidentifiers/${id}`;
	const invoice = `/invoicing/v2/invoices/${id}`;
	const link = `/ipl/v2/payment-links/${id}`;
	return new Map<string, Route[]>([
		[
			'POST',
			[
				route('/pts/v2/payments', 'payments.authorize', (c) => payments.authorize(merchant(c), c.body)),
				route(`/pts/v2/payments/${id}/captures`, 'payments.capture', (c, [p]) => payments.capture(merchant(c), p, c.body)),
				route(`/pts/v2/payments/${id}/refunds`, 'payments.refundPayment', (c, [p]) => payments.refund(merchant(c), 'payment', p, c.body)),
				route(`/pts/v2/captures/${id}/refunds`, 'payments.refundCapture', (c, [p]) => payments.refund(merchant(c), 'capture', p, c.body)),
				route(`/pts/v2/payments/${id}/reversals`, 'payments.reverse', (c, [p]) => payments.reverse(merchant(c), p, c.body)),
				route(`/pts/v2/(payments|captures|refunds|credits)/${id}/voids`, 'payments.void', (c, [kind, p]) => payments.voidTransaction(merchant(c), kind, p, c.body)),
				route('/pts/v2/credits', 'payments.credit', (c) => payments.credit(merchant(c), c.body)),
				route('/pts/v2/reversals', 'payments.timeoutReversal', (c) => payments.timeoutReversal(merchant(c), c.body)),
				route('/pts/v2/voids', 'payments.timeoutVoid', (c) => payments.timeoutVoid(merchant(c), c.body)),
				route('/tss/v2/searches', 'transactions.search', (c) => payments.search(merchant(c), c.body)),
				route('/kms/egress/v2/keys-sym', 'keys.symmetric', (c) => keys.handle(merchant(c), c.body)),
				route('/notification-subscriptions/v2/webhooks', 'webhooks.create', (c) => webhooks.create(merchant(c), c.body)),
				route(`/notification-subscriptions/v1/webhooks/${id}`, 'webhooks.test', (c, [w]) => webhooks.test(merchant(c), w)),
				route('/tms/v2/customers', 'tms.customer.create', (c) => vault.createCustomer(merchant(c), c.body)),
				route(`${customer}/payment-instruments`, 'tms.customerInstrument.create', (c, [k]) => vault.createInstrument(merchant(c), k, c.body)),
				route(`${customer}/shipping-addresses`, 'tms.customerAddress.create', (c, [k]) => vault.createAddress(merchant(c), k, c.body)),
				route('/tms/v1/paymentinstruments', 'tms.instrument.create', (c) => vault.createInstrument(merchant(c), undefined, c.body)),
				route('/tms/v1/instrumentidentifiers', 'tms.identifier.create', (c) => vault.createIdentifier(merchant(c), c.body)),
				route('/reporting/v3/reports', 'reporting.create', (c) => reporting.create(merchant(c), c.body)),
				route('/invoicing/v2/invoices', 'invoicing.create', (c) => invoicing.createInvoice(merchant(c), c.body)),
				route(`${invoice}/delivery`, 'invoicing.send', (c, [i]) => invoicing.sendInvoice(merchant(c), i)),
				route(`${invoice}/publication`, 'invoicing.publish', (c, [i]) => invoicing.publishInvoice(merchant(c), i)),
				route(`${invoice}/cancelation`, 'invoicing.cancel', (c, [i]) => invoicing.cancelInvoice(merchant(c), i)),
				route('/ipl/v2/payment-links', 'paymentLinks.create', (c) => invoicing.createLink(merchant(c), c.body)),
			],
		],
		[
			'GET',
			[
				route(`/tss/v2/transactions/${id}`, 'transactions.get', (c, [t]) => payments.transaction(merchant(c), t)),
				route('/notification-subscriptions/v2/webhooks', 'webhooks.list', (c) => webhooks.list(merchant(c), new URLSearchParams(c.query))),
				route(`/notification-subscriptions/v2/webhooks/${id}`, 'webhooks.get', (c, [w]) => webhooks.get(merchant(c), w)),
				route(`/notification-subscriptions/v2/products/${id}`, 'webhooks.products', (c, [o]) => webhooks.products(merchant(c), o)),
				route(customer, 'tms.customer.get', (c, [k]) => vault.getCustomer(merchant(c), k)),
				route(`${customer}/payment-instruments`, 'tms.customerInstrument.list', (c, [k]) => vault.listCustomerInstruments(merchant(c), k, c.query)),
				route(customerInstrument, 'tms.customerInstrument.get', (c, [k, p]) => vault.getInstrument(merchant(c), k, p)),
				route(`${customer}/shipping-addresses`, 'tms.customerAddress.list', (c, [k]) => vault.listAddresses(merchant(c), k, c.query)),
				route(customerAddress, 'tms.customerAddress.get', (c, [k, a]) => vault.getAddress(merchant(c), k, a)),
				route(instrument, 'tms.instrument.get', (c, [p]) => vault.getInstrument(merchant(c), undefined, p)),
				route(identifier, 'tms.identifier.get', (c, [i]) => vault.getIdentifier(merchant(c), i)),
				route(`${identifier}/paymentinstruments`, 'tms.identifier.instruments', (c, [i]) => vault.listIdentifierInstruments(merchant(c), i, c.query)),
				route('/reporting/v3/reports', 'reporting.list', (c) => reporting.list(merchant(c), c.query)),
				route(`/reporting/v3/reports/${id}`, 'reporting.get', (c, [r]) => reporting.get(merchant(c), r)),
				route('/reporting/v3/report-downloads', 'reporting.download', (c) => reporting.download(merchant(c), c.query, c.accept)),
				route('/reporting/v3/report-subscriptions', 'reporting.subscriptions', (c) => reporting.subscriptionsOf(merchant(c))),
				route(`/reporting/v3/report-subscriptions/${id}`, 'reporting.subscription', (c, [n]) => reporting.subscription(merchant(c), n)),
				route('/reporting/v3/payment-batch-summaries', 'reporting.paymentBatchSummaries', (c) => reporting.paymentBatchSummaries(merchant(c), c.query)),
				route('/reporting/v3/purchase-refund-details', 'reporting.purchaseRefundDetails', (c) => reporting.purchaseRefundDetails(merchant(c), c.query)),
				route('/reporting/v3/chargeback-details', 'reporting.chargebackDetails', (c) => reporting.chargebackDetails(merchant(c), c.query)),
				route('/reporting/v3/chargeback-summaries', 'reporting.chargebackSummaries', (c) => reporting.chargebackSummaries(merchant(c), c.query)),
				route('/invoicing/v2/invoices', 'invoicing.list', (c) => invoicing.listInvoices(merchant(c), c.query)),
				route(invoice, 'invoicing.get', (c, [i]) => invoicing.getInvoice(merchant(c), i)),
				route('/ipl/v2/payment-links', 'paymentLinks.list', (c) => invoicing.listLinks(merchant(c), c.query)),
				route(link, 'paymentLinks.get', (c, [l]) => invoicing.getLink(merchant(c), l)),
			],
		],
		[
			'PATCH',
			[
				route(`/notification-subscriptions/v2/webhooks/${id}`, 'webhooks.update', (c, [w]) => webhooks.update(merchant(c), w, c.body)),
				route(`/pts/v2/payments/${id}`, 'payments.incrementalAuthorize', (c, [p]) => payments.incrementalAuthorize(merchant(c), p, c.body)),
				route(customer, 'tms.customer.update', (c, [k]) => vault.updateCustomer(merchant(c), k, c.body, c.ifMatch)),
				route(customerInstrument, 'tms.customerInstrument.update', (c, [k, p]) => vault.updateInstrument(merchant(c), k, p, c.body, c.ifMatch)),
				route(customerAddress, 'tms.customerAddress.update', (c, [k, a]) => vault.updateAddress(merchant(c), k, a, c.body, c.ifMatch)),
				route(instrument, 'tms.instrument.update', (c, [p]) => vault.updateInstrument(merchant(c), undefined, p, c.body, c.ifMatch)),
				route(identifier, 'tms.identifier.update', (c, [i]) => vault.updateIdentifier(merchant(c), i, c.body, c.ifMatch)),
				route(link, 'paymentLinks.update', (c, [l]) => invoicing.updateLink(merchant(c), l, c.body)),
			],
		],
		[
			'PUT',
			[
				route(`/notification-subscriptions/v2/webhooks/${id}/status`, 'webhooks.status', (c, [w]) => webhooks.setStatus(merchant(c), w, c.body)),
				route('/reporting/v3/report-subscriptions', 'reporting.subscribe', (c) => reporting.subscribe(merchant(c), c.body)),
				route(invoice, 'invoicing.update', (c, [i]) => invoicing.updateInvoice(merchant(c), i, c.body)),
			],
		],
		[
			'DELETE',
			[
				route(`/notification-subscriptions/v2/webhooks/${id}`, 'webhooks.delete', (c, [w]) => webhooks.remove(merchant(c), w)),
				route(customer, 'tms.customer.delete', (c, [k]) => vault.deleteCustomer(merchant(c), k)),
				route(customerInstrument, 'tms.customerInstrument.delete', (c, [k, p]) => vault.deleteInstrument(merchant(c), k, p)),
				route(customerAddress, 'tms.customerAddress.delete', (c, [k, a]) => vault.deleteAddress(merchant(c), k, a)),
				route(instrument, 'tms.instrument.delete', (c, [p]) => vault.deleteInstrument(merchant(c), undefined, p)),
				route(identifier, 'tms.identifier.delete', (c, [i]) => vault.deleteIdentifier(merchant(c), i)),
				route(`/reporting/v3/report-subscriptions/${id}`, 'reporting.unsubscribe', (c, [n]) => reporting.unsubscribe(merchant(c), n)),
			],
		],
	]);
}

function emptyApiStats(): Pick<SandboxStats, 'apiRequests' | 'apiUnauthorized' | 'merchantRequests' | 'byOperation' | 'maxConcurrentApiRequests'> {
	return { apiRequests: 0, apiUnauthorized: 0, merchantRequests: 0, byOperation: {}, maxConcurrentApiRequests: 0 };
}

function header(request: IncomingMessage, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
}
