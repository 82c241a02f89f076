import type { IHttpRequestOptions } from 'n8n-workflow';

import { ANSWER_CUT_OFF, ANSWER_TOO_LARGE, type HttpRequest, type HttpResponse, type SendHttpRequest } from '../oauth2/http';
import type { ClientTlsMaterial } from '../oauth2/mutualTls';

/** n8n's legacy `helpers.request` (request-promise style options). */
export type LegacyRequest = (options: object) => Promise<unknown>;

/**
 * The part of n8n's helpers the core needs: n8n's own HTTP client (axios, proxy, SSRF rules).
 * `request` is there in a node's execution context on every n8n line and in a credential's
 * `preAuthentication` on n8n 1.x; n8n 2.x hands `preAuthentication` `httpRequest` only.
 */
export interface HttpRequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
	request?: LegacyRequest;
}

interface FullResponse {
	statusCode: number;
	headers: HttpResponse['headers'];
	body: unknown;
}

/**
 * A SendHttpRequest over n8n's helpers: every status is an answer (the core maps errors), the
 * body stays raw text, and an optional client certificate rides on the connection (mutual TLS,
 * RFC 8705).
 *
 * Which helper: n8n 1.x's `httpRequest` builds its TLS options from scratch and drops
 * `agentOptions` (no client certificate, no CA: ../shared/DESIGN.md §5); its legacy `request`
 * keeps them, on 1.x and 2.x alike. So a request with a client certificate goes through the
 * legacy helper whenever it is offered, and through `httpRequest` only where it is the one
 * helper there is (n8n 2.x's `preAuthentication`, whose `httpRequest` honours `agentOptions`).
 */
export function sendWithHelpers(helpers: HttpRequestHelpers, tls?: ClientTlsMaterial): SendHttpRequest {
	if (tls !== undefined && typeof helpers.request === 'function') return sendWithLegacyRequest(helpers.request, tls);
	return async (request) => {
		const started = Date.now();
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body,
			timeout: request.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: request.maxAnswerBytes === undefined ? 'text' : 'stream',
		};
		if (tls !== undefined) options.agentOptions = { ...tls };
		const response = (await helpers.httpRequest(options)) as FullResponse;
		return { status: response.statusCode, headers: response.headers ?? {}, body: await answerText(response.body, request, started) };
	};
}

/**
 * The answer as text. With `maxAnswerBytes` the helpers hand over the answer as a stream (n8n's
 * helpers buffer whole answers of any size otherwise), read here up to the limit and within
 * what is left of `timeoutMs`: n8n's timeout only limits the silence between two packets, so a
 * server dripping a byte now and then would hold the request forever.
 */
async function answerText(body: unknown, request: HttpRequest, started: number): Promise<unknown> {
	const limit = request.maxAnswerBytes;
	if (limit === undefined || body === null || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return body;
	const stream = body as AsyncIterable<Buffer | string> & { destroy?: () => void };
	const chunks: Buffer[] = [];
	let size = 0;
	const deadline = started + request.timeoutMs;
	const read = async (): Promise<'complete' | 'too large' | 'too slow'> => {
		for await (const chunk of stream) {
			// Checked as each piece arrives (no timer): a dripping server is cut off at its next
			// byte after the deadline, a silent one by n8n's own timeout.
			if (Date.now() > deadline) return 'too slow';
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > limit) return 'too large';
			chunks.push(bytes);
		}
		return 'complete';
	};
	// The status and headers arrived: a failure from here on is an answer cut off midway.
	const outcome = await read().catch(() => {
		throw Object.assign(new Error('The connection closed in the middle of the answer.'), { code: ANSWER_CUT_OFF });
	});
	if (outcome !== 'complete') stream.destroy?.();
	if (outcome === 'too slow') throw Object.assign(new Error(`No complete answer within ${request.timeoutMs} ms.`), { code: 'ETIMEDOUT' });
	if (outcome === 'too large') throw Object.assign(new Error(`The answer exceeds ${limit} bytes.`), { code: ANSWER_TOO_LARGE });
	return Buffer.concat(chunks).toString('utf8');
}

/** A SendHttpRequest over the legacy helper, with the same contract as `sendWithHelpers`. */
export function sendWithLegacyRequest(request: LegacyRequest, tls?: ClientTlsMaterial): SendHttpRequest {
	return async (outgoing) => {
		const started = Date.now();
		const response = (await request({
			method: outgoing.method,
			uri: outgoing.url,
			headers: outgoing.headers,
			body: outgoing.body,
			timeout: outgoing.timeoutMs,
			resolveWithFullResponse: true,
			simple: false,
			json: false,
			useStream: outgoing.maxAnswerBytes !== undefined,
			...(tls !== undefined ? { agentOptions: { ...tls } } : {}),
		})) as FullResponse;
		return { status: response.statusCode, headers: response.headers ?? {}, body: await answerText(response.body, outgoing, started) };
	};
}
