import { createHash, createHmac } from 'node:crypto';
import { request as plainRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';

import {
	DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
	DEFAULT_CLIENT_SECRET,
	REFRESH_TOKEN_TTL_SECONDS,
	TEST_AMOUNTS,
	TEST_CARDS,
	startCybersourceSandbox,
	type Sandbox,
	type TokenErrorCode,
} from './server';

interface Reply {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	/** The parsed JSON body (loosely typed: tests assert on it). */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

interface CallOptions {
	body?: unknown;
	form?: Record<string, string> | string;
	token?: string;
	headers?: Record<string, string>;
	tls?: Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'passphrase'>;
}

let sandbox: Sandbox;
let agent: Agent;
const YEAR = String(new Date().getUTCFullYear() + 2);

/** One HTTPS request to `target`, with the partner certificate unless `options.tls` says otherwise. */
function callOn(target: Sandbox, via: Agent, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
	const headers: Record<string, string> = { ...options.headers };
	let payload: string | undefined;
	if (options.form !== undefined) {
		payload = typeof options.form === 'string' ? options.form : new URLSearchParams(options.form).toString();
		headers['content-type'] ??= 'application/x-www-form-urlencoded';
	} else if (options.body !== undefined) {
		payload = JSON.stringify(options.body);
		headers['content-type'] = 'application/json';
	}
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	const tls = options.tls ? { agent: false as const, ...options.tls } : { agent: via };
	return new Promise((resolve, reject) => {
		const request = httpsRequest(`${target.url}${path}`, { method, headers, ...tls }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: unknown;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
			});
		});
		request.on('error', reject);
		request.end(payload);
	});
}

const call = (method: string, path: string, options?: CallOptions) => callOn(sandbox, agent, method, path, options);
const token = (form: Record<string, string> | string, headers?: Record<string, string>) => call('POST', '/oauth2/v3/token', { form, headers });
const refreshForm = (refreshToken: string) => ({
	grant_type: 'refresh_token',
	refresh_token: refreshToken,
	client_id: sandbox.clientId,
	client_secret: sandbox.clientSecret,
});
const codeForm = (code: string) => ({ grant_type: 'authorization_code', code, client_id: sandbox.clientId, client_secret: sandbox.clientSecret });

function payment(overrides: { amount?: unknown; card?: string; capture?: boolean; code?: string; month?: string; year?: string } = {}) {
	return {
		clientReferenceInformation: { code: overrides.code ?? 'order-1' },
		processingInformation: overrides.capture === undefined ? undefined : { capture: overrides.capture },
		orderInformation: { amountDetails: { totalAmount: overrides.amount ?? '100.00', currency: 'USD' } },
		paymentInformation: {
			card: { number: overrides.card ?? TEST_CARDS.visa, expirationMonth: overrides.month ?? '12', expirationYear: overrides.year ?? YEAR, securityCode: '123' },
		},
	};
}
const amount = (totalAmount: string) => ({ orderInformation: { amountDetails: { totalAmount, currency: 'USD' } } });

beforeAll(async () => {
	sandbox = await startCybersourceSandbox({ merchants: ['n8n_sandbox_merchant', 'other_merchant'] });
	agent = new Agent({ keepAlive: true, ...sandbox.clientTls });
});

afterAll(async () => {
	agent.destroy();
	await sandbox.close();
});

beforeEach(() => sandbox.reset());

describe('mutual TLS', () => {
	it('refuses a connection without a client certificate', async () => {
		await expect(call('GET', '/tss/v2/transactions/1', { tls: { ca: sandbox.pki.ca } })).rejects.toThrow();
	});

	it('refuses a client certificate from another CA', async () => {
		const tls = { ca: sandbox.pki.ca, cert: sandbox.pki.foreignClientCert, key: sandbox.pki.foreignClientKey };
		await expect(call('GET', '/tss/v2/transactions/1', { tls })).rejects.toThrow();
	});

	it('accepts the partner certificate, also with its encrypted key', async () => {
		const tls = { ca: sandbox.pki.ca, cert: sandbox.pki.clientCert, key: sandbox.pki.clientKeyEncrypted, passphrase: sandbox.pki.clientKeyPassphrase };
		const reply = await call('GET', '/tss/v2/transactions/1', { tls });
		expect(reply.status).toBe(401);
	});
});

describe('token endpoint', () => {
	it('answers a refresh token request exactly like the documented response', async () => {
		const reply = await token(refreshForm(sandbox.issueRefreshToken()));
		expect(reply.status).toBe(200);
		expect(reply.headers['cache-control']).toBe('no-store');
		expect(Object.keys(reply.json).sort()).toEqual(
			['access_token', 'client_status', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope', 'token_type'].sort(),
		);
		expect(reply.json).toMatchObject({
			token_type: 'bearer',
			expires_in: DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
			refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
			client_status: 'active',
		});
		expect((await call('GET', '/tss/v2/transactions/1', { token: reply.json.access_token })).status).toBe(404);
	});

	it('rotates refresh tokens: the old one then fails with HTTP 500 invalid_request', async () => {
		const first = sandbox.issueRefreshToken();
		const second = (await token(refreshForm(first))).json.refresh_token;
		expect(second).not.toBe(first);
		const reused = await token(refreshForm(first));
		expect(reused.status).toBe(500);
		expect(reused.json.error).toBe('invalid_request');
		expect((await token(refreshForm(second))).status).toBe(200);
	});

	it('keeps a rotated refresh token alive during a configured grace period', async () => {
		let clock = Date.now();
		const graceful = await startCybersourceSandbox({ refreshTokenGraceSeconds: 30, now: () => clock });
		try {
			const send = (form: Record<string, string>) => sendTo(graceful, form);
			const first = graceful.issueRefreshToken();
			const form = { grant_type: 'refresh_token', refresh_token: first, client_id: graceful.clientId, client_secret: graceful.clientSecret };
			expect((await send(form)).status).toBe(200);
			expect((await send(form)).status).toBe(200);
			clock += 31_000;
			expect((await send(form)).json.error).toBe('invalid_request');
		} finally {
			await graceful.close();
		}
	});

	it('exchanges an authorization code once only', async () => {
		const code = sandbox.issueAuthorizationCode();
		const first = await token(codeForm(code));
		expect(first.status).toBe(200);
		expect(typeof first.json.refresh_token).toBe('string');
		const second = await token(codeForm(code));
		expect(second.status).toBe(500);
		expect(second.json).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('already been used') });
	});

	it('expires authorization codes after ten minutes and access tokens after expires_in', async () => {
		let clock = Date.now();
		const timed = await startCybersourceSandbox({ now: () => clock });
		try {
			const code = timed.issueAuthorizationCode();
			const accessToken = timed.issueAccessToken();
			clock += 600_000;
			const reply = await sendTo(timed, { grant_type: 'authorization_code', code, client_id: timed.clientId, client_secret: timed.clientSecret });
			expect(reply.json).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('expired') });
			clock += 298_999;
			expect((await sendTo(timed, undefined, accessToken)).status).toBe(404); // 1 ms before the 899 s are up
			clock += 1;
			const api = await sendTo(timed, undefined, accessToken);
			expect(api.status).toBe(401);
			expect(api.json.reason).toBe('ACCESS_TOKEN_EXPIRED');
		} finally {
			await timed.close();
		}
	});

	it('rejects parameters in the URL even when the body is complete', async () => {
		const form = refreshForm(sandbox.issueRefreshToken());
		const reply = await call('POST', `/oauth2/v3/token?${new URLSearchParams(form)}`, { form });
		expect(reply.status).toBe(500);
		expect(reply.json.error).toBe('invalid_request');
	});

	it.each([
		['an unknown client id', { client_id: 'nobody' }, 'client_not_found'],
		['a malformed client id', { client_id: 'not a client!' }, 'invalid_client'],
		['a wrong secret', { client_secret: 'wrong' }, 'invalid_client'],
		['a missing secret', { client_secret: '' }, 'invalid_request'],
		['an unsupported grant', { grant_type: 'client_credentials' }, 'invalid_request'],
		['an unknown refresh token', { refresh_token: 'forged' }, 'invalid_request'],
		['a scope beyond the grant', { scope: 'boarding' }, 'invalid_scope'],
	])('answers %s with HTTP 500 and the code', async (_name, change, code) => {
		const reply = await token({ ...refreshForm(sandbox.issueRefreshToken()), ...change });
		expect(reply.status).toBe(500);
		expect(reply.json.error).toBe(code);
		expect(typeof reply.json.error_description).toBe('string');
	});

	it('rejects a JSON body and a repeated parameter', async () => {
		const form = refreshForm(sandbox.issueRefreshToken());
		const json = await call('POST', '/oauth2/v3/token', { body: form });
		expect(json.json.error).toBe('invalid_request');
		const repeated = await token(`${new URLSearchParams(form)}&grant_type=refresh_token`);
		expect(repeated.json.error).toBe('invalid_request');
	});

	it('fails a client that does not form-encode a secret containing + / =', async () => {
		expect(DEFAULT_CLIENT_SECRET).toMatch(/[+/=]/);
		const raw = `grant_type=refresh_token&refresh_token=${sandbox.issueRefreshToken()}&client_id=${sandbox.clientId}&client_secret=${DEFAULT_CLIENT_SECRET}`;
		expect((await token(raw)).json.error).toBe('invalid_client');
	});

	it.each<TokenErrorCode>(['merchant_not_active', 'client_not_active', 'invalid_client_type', 'server_error'])(
		'forces %s on the next token request, then recovers',
		async (code) => {
			const refreshToken = sandbox.issueRefreshToken();
			sandbox.failNextTokenRequests(code);
			const failed = await token(refreshForm(refreshToken));
			expect(failed.status).toBe(500);
			expect(failed.json.error).toBe(code);
			// A forced failure consumes nothing: the same refresh token works next.
			expect((await token(refreshForm(refreshToken))).status).toBe(200);
		},
	);

	it('forces a failure on as many requests as asked', async () => {
		sandbox.failNextTokenRequests('server_error', 2);
		const refreshToken = sandbox.issueRefreshToken();
		expect((await token(refreshForm(refreshToken))).status).toBe(500);
		expect((await token(refreshForm(refreshToken))).status).toBe(500);
		expect((await token(refreshForm(refreshToken))).status).toBe(200);
	});

	it('answers merchant_not_active for an inactive merchant and client_not_active for an inactive partner', async () => {
		const refreshToken = sandbox.issueRefreshToken();
		sandbox.setMerchantActive(sandbox.merchantId, false);
		expect((await token(refreshForm(refreshToken))).json.error).toBe('merchant_not_active');
		sandbox.setMerchantActive(sandbox.merchantId, true);
		sandbox.setClientActive(sandbox.clientId, false);
		expect((await token(refreshForm(refreshToken))).json.error).toBe('client_not_active');
		sandbox.setClientActive(sandbox.clientId, true);
		expect((await token(refreshForm(refreshToken))).status).toBe(200);
	});

	it('records correlation ids and the last request as received', async () => {
		const refreshToken = sandbox.issueRefreshToken();
		await token(refreshForm(refreshToken), { 'V-C-Client-Correlation-Id': 'corr-1' });
		await call('POST', '/oauth2/v3/token?x=1', { form: 'grant_type=refresh_token' });
		expect(sandbox.stats().correlationIds).toEqual(['corr-1', null]);
		const last = sandbox.lastTokenRequest();
		expect(last).toMatchObject({ method: 'POST', query: 'x=1', body: 'grant_type=refresh_token' });
		expect(last?.headers['content-type']).toBe('application/x-www-form-urlencoded');
	});

	it('answers access_denied once the merchant revoked the partner, and its tokens die at once', async () => {
		const granted = (await token(refreshForm(sandbox.issueRefreshToken()))).json;
		sandbox.revokeMerchant();
		expect((await call('GET', '/tss/v2/transactions/1', { token: granted.access_token })).status).toBe(401);
		expect((await token(refreshForm(granted.refresh_token))).json.error).toBe('access_denied');
		// Granting again (a new authorization code) works.
		expect((await token(codeForm(sandbox.issueAuthorizationCode()))).status).toBe(200);
	});
});

describe('API authentication', () => {
	it.each([
		['no Authorization header', undefined, 'UNAUTHORIZED_PARTNER'],
		['an unknown token', 'forged', 'UNAUTHORIZED_PARTNER'],
	])('answers 401 for %s', async (_name, bearer, reason) => {
		const reply = await call('POST', '/pts/v2/payments', { body: payment(), token: bearer });
		expect(reply.status).toBe(401);
		expect(reply.json).toMatchObject({ status: 'UNAUTHORIZED', reason });
	});

	it('answers 401 ACCESS_TOKEN_EXPIRED for an expired token and UNAUTHORIZED_PARTNER for a revoked one', async () => {
		const expired = sandbox.issueAccessToken();
		sandbox.expireAllAccessTokens();
		expect((await call('GET', '/tss/v2/transactions/1', { token: expired })).json.reason).toBe('ACCESS_TOKEN_EXPIRED');
		const revoked = sandbox.issueAccessToken();
		sandbox.revokeAllTokens();
		expect((await call('GET', '/tss/v2/transactions/1', { token: revoked })).json.reason).toBe('UNAUTHORIZED_PARTNER');
		expect(sandbox.stats()).toMatchObject({ apiRequests: 2, apiUnauthorized: 2 });
	});

	it('does not accept a token in another scheme', async () => {
		const reply = await call('GET', '/tss/v2/transactions/1', { headers: { authorization: `Basic ${sandbox.issueAccessToken()}` } });
		expect(reply.status).toBe(401);
	});
});

describe('payments', () => {
	let bearer: string;
	beforeEach(() => {
		bearer = sandbox.issueAccessToken();
	});
	const api = (method: string, path: string, body?: unknown) => call(method, path, { body, token: bearer });

	it('authorizes a payment without echoing the card number or CVV', async () => {
		const reply = await api('POST', '/pts/v2/payments', payment());
		expect(reply.status).toBe(201);
		expect(reply.json).toMatchObject({
			status: 'AUTHORIZED',
			clientReferenceInformation: { code: 'order-1' },
			orderInformation: { amountDetails: { authorizedAmount: '100.00', currency: 'USD' } },
			paymentInformation: { card: { type: '001', suffix: '1111' } },
			processorInformation: { responseCode: '00', approvalCode: expect.any(String) },
			_links: { capture: { href: `/pts/v2/payments/${reply.json.id}/captures`, method: 'POST' } },
		});
		expect(reply.json.id).toMatch(/^\d{22}$/);
		expect(reply.text).not.toContain(TEST_CARDS.visa);
		expect(reply.text).not.toContain('"123"');
	});

	it('reports every missing field with MISSING_FIELD', async () => {
		const reply = await api('POST', '/pts/v2/payments', { orderInformation: { amountDetails: { currency: 'USD' } } });
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({ status: 'INVALID_REQUEST', reason: 'MISSING_FIELD', message: 'Declined - The request is missing one or more fields' });
		expect(reply.json.details).toEqual(
			expect.arrayContaining([
				{ field: 'orderInformation.amountDetails.totalAmount', reason: 'MISSING_FIELD' },
				{ field: 'paymentInformation.card.number', reason: 'MISSING_FIELD' },
				{ field: 'paymentInformation.card.expirationMonth', reason: 'MISSING_FIELD' },
			]),
		);
	});

	it.each([
		['a number as amount', { amount: 100 }, 'orderInformation.amountDetails.totalAmount'],
		['a malformed amount', { amount: '10,00' }, 'orderInformation.amountDetails.totalAmount'],
		['a card failing Luhn', { card: '4111111111111112' }, 'paymentInformation.card.number'],
		['a one-digit month', { month: '7' }, 'paymentInformation.card.expirationMonth'],
	])('rejects %s with INVALID_DATA', async (_name, overrides, field) => {
		const reply = await api('POST', '/pts/v2/payments', payment(overrides));
		expect(reply.status).toBe(400);
		expect(reply.json).toMatchObject({ reason: 'INVALID_DATA', details: [{ field, reason: 'INVALID_DATA' }] });
	});

	it('declines the decline card and an expired card with 201 DECLINED', async () => {
		const declined = await api('POST', '/pts/v2/payments', payment({ card: TEST_CARDS.declined }));
		expect(declined.status).toBe(201);
		expect(declined.json).toMatchObject({ status: 'DECLINED', errorInformation: { reason: 'PROCESSOR_DECLINED' } });
		const capture = await api('POST', `/pts/v2/payments/${declined.json.id}/captures`, amount('100.00'));
		expect(capture.json).toMatchObject({ status: 'INVALID_REQUEST', reason: 'MISSING_AUTH' });
		const expired = await api('POST', '/pts/v2/payments', payment({ year: '2020' }));
		expect(expired.json).toMatchObject({ status: 'DECLINED', errorInformation: { reason: 'EXPIRED_CARD' } });
		const poor = await api('POST', '/pts/v2/payments', payment({ card: TEST_CARDS.insufficientFunds }));
		expect(poor.json.errorInformation.reason).toBe('INSUFFICIENT_FUND');
	});

	it('steers outcomes by the magic amounts', async () => {
		expect((await api('POST', '/pts/v2/payments', payment({ amount: TEST_AMOUNTS.pendingReview }))).json.status).toBe('AUTHORIZED_PENDING_REVIEW');
		const partial = await api('POST', '/pts/v2/payments', payment({ amount: TEST_AMOUNTS.partialAuthorization }));
		expect(partial.json).toMatchObject({
			status: 'PARTIAL_AUTHORIZED',
			orderInformation: { amountDetails: { authorizedAmount: TEST_AMOUNTS.partialAuthorizedAmount } },
		});
		const failed = await api('POST', '/pts/v2/payments', payment({ amount: TEST_AMOUNTS.serverError }));
		expect(failed.status).toBe(502);
		expect(failed.json.status).toBe('SERVER_ERROR');
	});

	it('captures up to the authorized amount, refunds the capture and voids the refund once', async () => {
		const { id } = (await api('POST', '/pts/v2/payments', payment())).json;
		expect((await api('POST', `/pts/v2/payments/${id}/captures`, amount('100.01'))).json.reason).toBe('EXCEEDS_AUTH_AMOUNT');
		const capture = await api('POST', `/pts/v2/payments/${id}/captures`, amount('60.00'));
		expect(capture.status).toBe(201);
		expect(capture.json).toMatchObject({ status: 'PENDING', orderInformation: { amountDetails: { totalAmount: '60.00' } } });
		expect((await api('POST', `/pts/v2/payments/${id}/captures`, amount('40.01'))).json.reason).toBe('EXCEEDS_AUTH_AMOUNT');
		expect((await api('POST', `/pts/v2/captures/${capture.json.id}/refunds`, amount('60.01'))).json.reason).toBe('EXCEEDS_AUTH_AMOUNT');
		const refund = await api('POST', `/pts/v2/captures/${capture.json.id}/refunds`, amount('25.00'));
		expect(refund.json).toMatchObject({ status: 'PENDING', refundAmountDetails: { refundAmount: '25.00', currency: 'USD' } });
		expect((await api('POST', `/pts/v2/captures/${capture.json.id}/voids`, {})).json.reason).toBe('NOT_VOIDABLE');
		const voided = await api('POST', `/pts/v2/refunds/${refund.json.id}/voids`, { clientReferenceInformation: { code: 'void-1' } });
		expect(voided.json).toMatchObject({ status: 'VOIDED', voidAmountDetails: { voidAmount: '25.00' } });
		const again = await api('POST', `/pts/v2/refunds/${refund.json.id}/voids`);
		expect(again.status).toBe(400);
		expect(again.json.reason).toBe('NOT_VOIDABLE');
		expect((await api('POST', `/pts/v2/captures/${capture.json.id}/voids`)).json.status).toBe('VOIDED');
	});

	it('refunds and voids a sale', async () => {
		const sale = (await api('POST', '/pts/v2/payments', payment({ capture: true }))).json;
		expect(sale.status).toBe('AUTHORIZED');
		expect(sale._links.refund.href).toBe(`/pts/v2/payments/${sale.id}/refunds`);
		expect((await api('POST', `/pts/v2/payments/${sale.id}/captures`, amount('1.00'))).json.reason).toBe('EXCEEDS_AUTH_AMOUNT');
		const refund = await api('POST', `/pts/v2/payments/${sale.id}/refunds`, amount('100.00'));
		expect(refund.status).toBe(201);
		expect((await api('POST', `/pts/v2/payments/${sale.id}/refunds`, amount('0.01'))).json.reason).toBe('EXCEEDS_AUTH_AMOUNT');

		const other = (await api('POST', '/pts/v2/payments', payment({ capture: true }))).json;
		expect((await api('POST', `/pts/v2/payments/${other.id}/voids`)).json.status).toBe('VOIDED');
		expect((await api('POST', `/pts/v2/payments/${other.id}/refunds`, amount('1.00'))).status).toBe(400);
	});

	it('reverses an authorization once and then refuses to capture it', async () => {
		const { id } = (await api('POST', '/pts/v2/payments', payment())).json;
		expect((await api('POST', `/pts/v2/payments/${id}/voids`)).json.reason).toBe('NOT_VOIDABLE');
		const reversal = await api('POST', `/pts/v2/payments/${id}/reversals`, {
			reversalInformation: { amountDetails: { totalAmount: '100.00' }, reason: 'customer cancelled' },
		});
		expect(reversal.json).toMatchObject({ status: 'REVERSED', reversalAmountDetails: { reversedAmount: '100.00', currency: 'USD' } });
		const twice = await api('POST', `/pts/v2/payments/${id}/reversals`, { reversalInformation: { amountDetails: { totalAmount: '100.00' } } });
		expect(twice.json.reason).toBe('AUTH_ALREADY_REVERSED');
		expect((await api('POST', `/pts/v2/payments/${id}/captures`, amount('1.00'))).json.reason).toBe('AUTH_ALREADY_REVERSED');
	});

	it('answers 404 for unknown ids and for another merchant’s transactions', async () => {
		const { id } = (await api('POST', '/pts/v2/payments', payment())).json;
		const missing = await api('POST', '/pts/v2/payments/123/captures', amount('1.00'));
		expect(missing.status).toBe(404);
		expect(missing.json.status).toBe('NOT_FOUND');
		const stranger = sandbox.issueAccessToken('other_merchant');
		expect((await call('GET', `/tss/v2/transactions/${id}`, { token: stranger })).status).toBe(404);
		expect((await api('GET', '/pts/v2/nothing')).status).toBe(404);
	});

	it('returns transaction details and finds transactions by reference code and id', async () => {
		const first = (await api('POST', '/pts/v2/payments', payment({ code: 'order-A' }))).json;
		const capture = (await api('POST', `/pts/v2/payments/${first.id}/captures`, { ...amount('10.00'), clientReferenceInformation: { code: 'order-A' } })).json;
		await api('POST', '/pts/v2/payments', payment({ code: 'order-B' }));

		const details = await api('GET', `/tss/v2/transactions/${first.id}`);
		expect(details.status).toBe(200);
		expect(details.json).toMatchObject({
			id: first.id,
			applicationInformation: { status: 'AUTHORIZED', applications: [{ name: 'ics_auth', rFlag: 'SOK' }] },
			paymentInformation: { card: { prefix: '411111', suffix: '1111' } },
			_links: { relatedTransactions: [{ href: `/tss/v2/transactions/${capture.id}` }] },
		});
		expect(details.text).not.toContain(TEST_CARDS.visa);

		const byCode = await api('POST', '/tss/v2/searches', {
			name: 'by code',
			query: 'clientReferenceInformation.code:order-A AND submitTimeUtc:[NOW/DAY-7DAYS TO NOW/DAY+1DAY}',
			limit: 1,
			offset: 0,
			sort: 'submitTimeUtc:asc',
		});
		expect(byCode.status).toBe(201);
		expect(byCode.json).toMatchObject({ totalCount: 2, count: 1, limit: 1, offset: 0 });
		expect(byCode.json._embedded.transactionSummaries[0]).toMatchObject({ id: first.id, clientReferenceInformation: { code: 'order-A' } });
		const byId = await api('POST', '/tss/v2/searches', { query: `id:${capture.id}` });
		expect(byId.json._embedded.transactionSummaries.map((summary: { id: string }) => summary.id)).toEqual([capture.id]);
		const unsupported = await api('POST', '/tss/v2/searches', { query: 'orderInformation.billTo.email:a@b.c' });
		expect(unsupported.json.details).toEqual([{ field: 'query', reason: 'INVALID_DATA' }]);
	});
});

describe('keys-sym', () => {
	let bearer: string;
	beforeEach(() => {
		bearer = sandbox.issueAccessToken();
	});
	const keysSym = (body: unknown) => call('POST', '/kms/egress/v2/keys-sym', { body, token: bearer });
	const store = (change: Record<string, unknown> = {}) => ({
		clientRequestAction: 'STORE',
		keyInformation: {
			provider: 'n8n_sandbox_merchant',
			tenant: 'nrtd',
			keyType: 'oAuthClientCredentials',
			organizationId: 'n8n_sandbox_merchant',
			clientKeyId: 'webhook-client',
			key: 'webhook-client-secret',
			expiryDuration: '365',
			...change,
		},
	});

	it('stores OAuth client credentials and never sends the secret back', async () => {
		const reply = await keysSym(store());
		expect(reply.status).toBe(201);
		expect(reply.json).toMatchObject({
			status: 'SUCCESS',
			keyInformation: { clientKeyId: 'webhook-client', keyType: 'oAuthClientCredentials', status: 'active', keyId: expect.any(String) },
		});
		expect(reply.text).not.toContain('webhook-client-secret');
		expect(sandbox.storedKeys()[0]).toMatchObject({ key: 'webhook-client-secret', keyId: reply.json.keyInformation.keyId });
	});

	it.each([
		['a wrong tenant', { tenant: 'merchant' }, 'keyInformation.tenant', 'INVALID_DATA'],
		['a numeric expiry', { expiryDuration: 365 }, 'keyInformation.expiryDuration', 'INVALID_DATA'],
		['a missing client id', { clientKeyId: undefined }, 'keyInformation.clientKeyId', 'MISSING_FIELD'],
		['an undocumented field', { scope: 'all' }, 'keyInformation.scope', 'INVALID_DATA'],
		['another organization', { organizationId: 'other_merchant' }, 'keyInformation.organizationId', 'INVALID_DATA'],
	])('rejects a STORE with %s', async (_name, change, field, reason) => {
		const reply = await keysSym(store(change));
		expect(reply.status).toBe(400);
		expect(reply.json.details).toEqual([{ field, reason }]);
		expect(sandbox.storedKeys()).toEqual([]);
	});

	it('creates a digital signature key and returns it', async () => {
		const reply = await keysSym({
			clientRequestAction: 'CREATE',
			keyInformation: { provider: 'nrtd', tenant: 'n8n_sandbox_merchant', keyType: 'sharedSecret', organizationId: 'n8n_sandbox_merchant' },
		});
		expect(reply.status).toBe(201);
		expect(Buffer.from(reply.json.keyInformation.key, 'base64')).toHaveLength(32);
		expect(reply.json.keyInformation).toMatchObject({ keyType: 'sharedSecret', keyId: expect.any(String) });
	});

	it('rejects an unknown action', async () => {
		const reply = await keysSym({ ...store(), clientRequestAction: 'DELETE' });
		expect(reply.json.details).toEqual([{ field: 'clientRequestAction', reason: 'INVALID_DATA' }]);
	});
});

describe('webhooks', () => {
	let bearer: string;
	beforeEach(() => {
		bearer = sandbox.issueAccessToken();
	});
	const api = (method: string, path: string, body?: unknown) => call(method, path, { body, token: bearer });
	const base = '/notification-subscriptions/v2/webhooks';
	const subscription = (change: Record<string, unknown> = {}) => ({
		name: 'n8n',
		organizationId: 'n8n_sandbox_merchant',
		products: [{ productId: 'decisionManager', eventTypes: ['risk.casemanagement.decision.accept'] }],
		webhookUrl: 'https://hooks.example.test:8443/cybersource',
		healthCheckUrl: 'https://hooks.example.test/health',
		securityPolicy: { securityType: 'KEY' },
		...change,
	});
	const createSignatureKey = () =>
		api('POST', '/kms/egress/v2/keys-sym', {
			clientRequestAction: 'CREATE',
			keyInformation: { provider: 'nrtd', tenant: 'n8n_sandbox_merchant', keyType: 'sharedSecret', organizationId: 'n8n_sandbox_merchant' },
		});

	it('lists products with their event types', async () => {
		const reply = await api('GET', '/notification-subscriptions/v2/products/n8n_sandbox_merchant');
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual(expect.arrayContaining([expect.objectContaining({ productId: 'decisionManager' })]));
		expect(reply.json[0].eventTypes[0]).toEqual(expect.objectContaining({ eventName: expect.any(String) }));
	});

	it('requires a digital signature key before subscribing', async () => {
		const reply = await api('POST', base, subscription());
		expect(reply.status).toBe(400);
		expect(reply.json.message).toContain('digital signature key');
	});

	it('validates the subscription', async () => {
		await createSignatureKey();
		const reply = await api('POST', base, subscription({ webhookUrl: 'https://hooks.example.test:9000/x', products: [{ productId: 'decisionManager', eventTypes: [] }], name: undefined }));
		expect(reply.json.details).toEqual(
			expect.arrayContaining([
				{ field: 'webhookUrl', reason: 'INVALID_DATA' },
				{ field: 'eventTypes', reason: 'INVALID_DATA' },
				{ field: 'name', reason: 'MISSING_FIELD' },
			]),
		);
		const oauth = await api('POST', base, subscription({ securityPolicy: { securityType: 'oAuth', config: { oAuthURL: 'https://auth.example.test/token' } } }));
		expect(oauth.json.message).toContain('OAuth client credentials');
	});

	it('creates, lists, gets, updates, tests and deletes a subscription', async () => {
		await createSignatureKey();
		const created = await api('POST', base, subscription({ healthCheckUrl: undefined }));
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ status: 'INACTIVE', products: [{ productId: 'decisionManager' }], webhookId: expect.any(String) });
		const id = created.json.webhookId;
		const second = await api('POST', base, subscription({ name: 'second' }));
		expect(second.status).toBe(400);
		expect(second.json.message).toContain('already exist');

		expect((await api('GET', `${base}?organizationId=n8n_sandbox_merchant`)).json).toHaveLength(1);
		expect((await api('GET', `${base}?organizationId=n8n_sandbox_merchant&productId=eCheck`)).json).toHaveLength(0);
		expect((await api('GET', base)).json.details).toEqual([{ field: 'organizationId', reason: 'MISSING_FIELD' }]);
		expect((await api('GET', `${base}/${id}`)).json.name).toBe('n8n');

		const updated = await api('PATCH', `${base}/${id}`, { name: 'renamed', healthCheckUrl: 'https://hooks.example.test/health' });
		expect(updated.json).toMatchObject({ name: 'renamed', status: 'ACTIVE' });
		expect((await api('PUT', `${base}/${id}/status`, { status: 'INACTIVE' })).status).toBe(200);
		expect((await api('GET', `${base}/${id}`)).json.status).toBe('INACTIVE');
		const tested = await api('POST', `/notification-subscriptions/v1/webhooks/${id}`);
		expect(tested.status).toBe(200);
		expect((await api('GET', `${base}/${id}`)).json.status).toBe('ACTIVE');

		expect((await api('DELETE', `${base}/${id}`)).status).toBe(200);
		expect((await api('GET', `${base}/${id}`)).status).toBe(404);
	});

	it('signs notifications with the digital signature key', async () => {
		const key = (await createSignatureKey()).json.keyInformation;
		const id = (await api('POST', base, subscription())).json.webhookId;
		const payload = [{ data: { id: 'case-1' } }];
		const notification = sandbox.signedNotification(id, 'risk.casemanagement.decision.accept', payload, 1700000000000);
		const expected = createHmac('sha256', Buffer.from(key.key, 'base64')).update(`1700000000000.${JSON.stringify(payload)}`).digest('base64');
		expect(notification.headers['v-c-signature']).toBe(`t=1700000000000;keyId=${key.keyId};sig=${expected}`);
		expect(JSON.parse(notification.body).payload).toEqual(payload);
	});
});

describe('counters', () => {
	it('counts token requests by grant, failures and API operations', async () => {
		const granted = (await token(refreshForm(sandbox.issueRefreshToken()))).json;
		await token(codeForm('unknown'));
		await call('POST', '/pts/v2/payments', { body: payment(), token: granted.access_token });
		await call('POST', '/pts/v2/payments', { body: payment() });
		expect(sandbox.stats()).toMatchObject({
			tokenRequests: 2,
			tokenFailures: 1,
			byGrant: { refresh_token: 1, authorization_code: 1 },
			apiRequests: 2,
			apiUnauthorized: 1,
			byOperation: { 'payments.authorize': 1 },
			transactions: 1,
		});
		sandbox.resetStats();
		expect(sandbox.stats()).toMatchObject({ tokenRequests: 0, apiRequests: 0, transactions: 1 });
	});
});

/** One request to another sandbox instance: a token form, or an API GET with a bearer token. */
function sendTo(target: Sandbox, form: Record<string, string> | undefined, bearer?: string): Promise<Reply> {
	const via = new Agent(target.clientTls);
	const reply = form ? callOn(target, via, 'POST', '/oauth2/v3/token', { form }) : callOn(target, via, 'GET', '/tss/v2/transactions/1', { token: bearer });
	return reply.finally(() => via.destroy());
}

describe('merchant keys on the REST host (the sandbox\'s own checks)', () => {
	/** One plain-HTTP request to the REST host, signed by hand (not by the package) and then tampered with. */
	async function signed(method: string, path: string, body: string | undefined, tamper: (headers: Record<string, string>) => { headers: Record<string, string>; body?: string } = (h) => ({ headers: h, body })) {
		const host = new URL(sandbox.restUrl).host;
		const date = new Date().toUTCString();
		const key = sandbox.merchantKey;
		const digest = body === undefined ? undefined : `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
		const names = digest ? 'host date request-target digest v-c-merchant-id' : 'host date request-target v-c-merchant-id';
		const lines = [`host: ${host}`, `date: ${date}`, `request-target: ${method.toLowerCase()} ${path}`, ...(digest ? [`digest: ${digest}`] : []), `v-c-merchant-id: ${key.merchantId}`];
		const signature = createHmac('sha256', Buffer.from(key.secret, 'base64')).update(lines.join('\n')).digest('base64');
		const headers: Record<string, string> = {
			host,
			date,
			'v-c-merchant-id': key.merchantId,
			...(digest ? { digest, 'content-type': 'application/json' } : {}),
			signature: `keyid="${key.keyId}", algorithm="HmacSHA256", headers="${names}", signature="${signature}"`,
		};
		const sent = tamper(headers);
		return await new Promise<Pick<Reply, 'status' | 'json'>>((resolve, reject) => {
			const outgoing = plainRequest(`${sandbox.restUrl}${path}`, { method, headers: sent.headers }, (response) => {
				let text = '';
				response.on('data', (chunk: Buffer) => (text += chunk.toString()));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
			});
			outgoing.on('error', reject);
			outgoing.end(sent.body);
		});
	}
	const payment = JSON.stringify({ clientReferenceInformation: { code: 'SIG-1' }, paymentInformation: { card: { number: TEST_CARDS.visa, expirationMonth: '12', expirationYear: YEAR } }, orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } } });

	it('accepts a correctly signed POST and GET', async () => {
		const created = await signed('POST', '/pts/v2/payments', payment);
		expect(created.status).toBe(201);
		expect((await signed('GET', `/tss/v2/transactions/${String(created.json.id)}`, undefined)).status).toBe(200);
	});

	it.each([
		['a tampered body', (h: Record<string, string>) => ({ headers: h, body: payment.replace('10.00', '99.00') }), /digest does not match/],
		['a stale date', (h: Record<string, string>) => ({ headers: { ...h, date: new Date(Date.now() - 10 * 60_000).toUTCString() }, body: payment }), /date/],
		['a missing digest header', (h: Record<string, string>) => ({ headers: Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'digest')), body: payment }), /missing header digest/],
		['an unknown key id', (h: Record<string, string>) => ({ headers: { ...h, signature: h.signature.replace(/keyid="[^"]+"/, 'keyid="nobody"') }, body: payment }), /unknown keyid/],
		['another merchant id', (h: Record<string, string>) => ({ headers: { ...h, 'v-c-merchant-id': 'someone_else' }, body: payment }), /v-c-merchant-id/],
	])('refuses %s with 401, like Cybersource', async (_name, tamper, reason) => {
		sandbox.resetStats();
		const answer = await signed('POST', '/pts/v2/payments', payment, tamper);
		expect(answer.status).toBe(401);
		expect(answer.json.response.rmsg).toMatch(reason);
		expect(sandbox.stats().transactions).toBe(0);
	});
});
