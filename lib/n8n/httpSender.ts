import type { IHttpRequestOptions } from 'n8n-workflow';

import type { HttpResponse, SendHttpRequest } from '../oauth2/http';
import type { ClientTlsMaterial } from '../oauth2/mutualTls';

/** The part of n8n's helpers the core needs: n8n's own HTTP client (axios, proxy, SSRF rules). */
export interface HttpRequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
}


interface FullResponse {
	statusCode: number;
	headers: HttpResponse['headers'];
	body: unknown;
}

/**
 * A SendHttpRequest over n8n's `helpers.httpRequest`: every status is an answer (the core maps
 * errors), the body stays raw text, and an optional client certificate rides on the connection
 * (mutual TLS, RFC 8705).
 */
export function sendWithHelpers(helpers: HttpRequestHelpers, tls?: ClientTlsMaterial): SendHttpRequest {
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
			encoding: 'text',
		};
		if (tls !== undefined) options.agentOptions = { ...tls };
		const response = (await helpers.httpRequest(options)) as FullResponse;
		return { status: response.statusCode, headers: response.headers ?? {}, body: response.body };
	};
}

/** n8n's legacy `helpers.request`: the only HTTP helper a credential-test function gets. */
export type LegacyRequest = (options: object) => Promise<unknown>;

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
			...(tls !== undefined ? { agentOptions: { ...tls } } : {}),
		})) as FullResponse;
		return { status: response.statusCode, headers: response.headers ?? {}, body: response.body };
	};
}
