/**
 * The core sends HTTP through a function it is given, so it stays free of n8n and of any HTTP
 * library: n8n adapters pass `this.helpers.httpRequest`, tests may pass anything that speaks HTTP.
 */
export interface HttpRequest {
	method: 'POST' | 'GET';
	url: string;
	headers: Record<string, string>;
	/** Already serialized; undefined for requests without a body. */
	body?: string;
	/** Milliseconds before the request is abandoned. */
	timeoutMs: number;
	/**
	 * Most bytes of the answer to read; beyond it the sender stops reading and rejects with the
	 * code `ANSWER_TOO_LARGE` (nothing larger is buffered).
	 */
	maxAnswerBytes?: number;
}

/** The code a sender rejects with when an answer exceeds `maxAnswerBytes`. */
export const ANSWER_TOO_LARGE = 'ANSWER_TOO_LARGE';
/** The code a sender rejects with when the connection closed in the middle of the answer. */
export const ANSWER_CUT_OFF = 'ANSWER_CUT_OFF';

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** The raw text of the answer; an already parsed object or a Buffer is accepted too. */
	body: unknown;
}

/**
 * Sends a request and resolves with the answer whatever its status. Rejects only when there is
 * no answer; the rejection's `code` (ECONNREFUSED, ETIMEDOUT, ...) is kept for the message.
 */
export type SendHttpRequest = (request: HttpRequest) => Promise<HttpResponse>;

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value.join(', ') : value;
	}
	return undefined;
}
