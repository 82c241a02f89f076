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
		return { status: response.statusCode, headers: response.headers ?? {}, body: await answerText(response.body, request) };
	};
}

/**
 * The answer as text. With `maxAnswerBytes` the helpers hand over the answer as a stream (n8n's
 * helpers buffer whole answers of any size otherwise), read here up to the limit.
 */
async function answerText(body: unknown, request: HttpRequest): Promise<unknown> {
	const limit = request.maxAnswerBytes;
	if (limit === undefined || body === null || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return body;
	const stream = body as AsyncIterable<Buffer | string> & { destroy?: () => void };
	const chunks: Buffer[] = [];
	let size = 0;
	const read = async () => {
		for await (const chunk of stream) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > limit) return false;
			chunks.push(bytes);
		}
		return true;
	};
	// The status and headers arrived: a failure from here on is an answer cut off midway.
	const complete = await read().catch(() => {
		throw Object.assign(new Error('The connection closed in the middle of the answer.'), { code: ANSWER_CUT_OFF });
	});
	if (!complete) {
		stream.destroy?.();
		throw Object.assign(new Error(`The answer exceeds ${limit} bytes.`), { code: ANSWER_TOO_LARGE });
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** A SendHttpRequest over the legacy helper, with the same contract as `sendWithHelpers`. */
export function sendWithLegacyRequest(request: LegacyRequest, tls?: ClientTlsMaterial): SendHttpRequest {
	return async (outgoing) => {
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
		return { status: response.statusCode, headers: response.headers ?? {}, body: await answerText(response.body, outgoing) };
	};
}
