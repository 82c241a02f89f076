import type { IHttpRequestOptions } from 'n8n-workflow';

import { ANSWER_CUT_OFF, ANSWER_TOO_LARGE, type HttpRequest, type HttpResponse, type SendHttpRequest } from '../oauth2/http';
import type { ClientTlsMaterial } from '../oauth2/mutualTls';
import { requireClientCertificateSupport } from './n8nLine';

/**
 * The part of n8n's helpers the core needs: n8n's own HTTP client (axios, proxy, SSRF rules).
 * A node's context has it, and so has a credential's `preAuthentication` (on n8n 2.x it is the
 * only helper there, restricted to the credential's domains).
 */
export interface HttpRequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
}

interface FullResponse {
	statusCode: number;
	headers: HttpResponse['headers'];
	body: unknown;
}

/**
 * A SendHttpRequest over n8n's `httpRequest`: every status is an answer (the core maps errors),
 * the body stays raw text, and an optional client certificate rides on the connection (mutual
 * TLS, RFC 8705) in `agentOptions`, which n8n 2.x honours. On n8n 1.x, whose `httpRequest`
 * drops it, a sender with a certificate is refused before anything is sent.
 */
export function sendWithHelpers(helpers: HttpRequestHelpers, tls?: ClientTlsMaterial): SendHttpRequest {
	// Refused here, not in the sender: a sender's failure reads as "no answer" to the core.
	if (tls !== undefined) requireClientCertificateSupport();
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
		return { status: response.statusCode, headers: response.headers ?? {}, body: await answerText(response, request, started) };
	};
}

/** An OAuth error code (RFC 6749 §5.2) in the first bytes of an answer, if they carry one. */
function oauthErrorIn(firstBytes: string): string | undefined {
	return /"error"\s*:\s*"([A-Za-z0-9_.-]{1,64})"/.exec(firstBytes)?.[1];
}

/**
 * The answer as text. With `maxAnswerBytes` the helpers hand over the answer as a stream (n8n's
 * helpers buffer whole answers of any size otherwise), read here up to the limit and within
 * what is left of `timeoutMs`: n8n's timeout only limits the silence between two packets, so a
 * server dripping a byte now and then would hold the request forever.
 */
async function answerText(response: FullResponse, request: HttpRequest, started: number): Promise<unknown> {
	const { body } = response;
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
	if (outcome === 'too large') {
		// What was read (up to the limit) is enough to say what the server meant.
		const firstBytes = Buffer.concat(chunks).toString('utf8');
		throw Object.assign(new Error(`The answer exceeds ${limit} bytes.`), {
			code: ANSWER_TOO_LARGE,
			httpStatus: response.statusCode,
			oauthError: oauthErrorIn(firstBytes),
		});
	}
	return Buffer.concat(chunks).toString('utf8');
}
