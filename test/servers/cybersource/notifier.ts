import { request as httpRequest } from 'node:http';

/**
 * The sending half of Cybersource's webhooks, for tests: health checks, the OAuth token fetch of
 * the `oAuth` security policy, and deliveries with retries (DESIGN §4).
 *
 * Webhook URLs are public https URLs on port 443 or 8443 (Cybersource's rule). Nothing leaves
 * 127.0.0.1: a test routes a public origin to a local plain-HTTP base (`route`), the way a TLS
 * terminating reverse proxy stands in front of n8n. A URL whose origin is not routed is never
 * called (the sandbox then behaves as before: no health check, no delivery).
 */
export interface HttpAnswer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** A request that got no answer (refused, reset, timed out). */
export const NO_ANSWER = 0;
const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;

export class Notifier {
	private readonly routes = new Map<string, string[]>();
	private turn = 0;

	reset(): void {
		this.routes.clear();
	}

	/**
	 * Requests to `publicOrigin` (e.g. `https://n8n.example.test`) go to `localBase`
	 * (`http://127.0.0.1:5678`); with several bases, to one after the other, like a load balancer
	 * in front of several n8n webhook processes.
	 */
	route(publicOrigin: string, localBase: string | string[]): void {
		const origin = new URL(publicOrigin).origin;
		const bases = (Array.isArray(localBase) ? localBase : [localBase]).map((text) => {
			const base = new URL(text);
			if (base.hostname !== '127.0.0.1' || base.protocol !== 'http:') throw new Error('webhook routes lead to http://127.0.0.1 only');
			return base.origin;
		});
		if (bases.length === 0) throw new Error('a webhook route needs a local base');
		this.routes.set(origin, bases);
	}

	/**
	 * The local URL a public URL is delivered to, or undefined when its origin is not routed.
	 * `attempt` picks the base (attempt modulo their number: a retry goes to the next one);
	 * without it, the bases take turns.
	 */
	resolve(publicUrl: string, attempt?: number): URL | undefined {
		let url: URL;
		try {
			url = new URL(publicUrl);
		} catch {
			return undefined;
		}
		const bases = this.routes.get(url.origin);
		if (bases === undefined) return undefined;
		const base = bases[(attempt ?? this.turn++) % bases.length];
		return new URL(`${url.pathname}${url.search}`, base);
	}

	routed(publicUrl: string): boolean {
		return this.resolve(publicUrl, 0) !== undefined;
	}

	/** One request to a routed public URL; NO_ANSWER when nothing came back. */
	send(publicUrl: string, method: string, headers: Record<string, string>, body?: string, attempt?: number): Promise<HttpAnswer> {
		const target = this.resolve(publicUrl, attempt);
		if (!target) return Promise.reject(new Error(`not routed: ${publicUrl}`));
		return new Promise((resolve) => {
			const outgoing = httpRequest(
				target,
				{
					method,
					headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
					timeout: TIMEOUT_MS,
				},
				(answer) => {
					const chunks: Buffer[] = [];
					let size = 0;
					answer.on('data', (chunk: Buffer) => {
						size += chunk.length;
						if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
					});
					answer.on('end', () => resolve({ status: answer.statusCode ?? NO_ANSWER, headers: answer.headers, body: Buffer.concat(chunks).toString('utf8') }));
					answer.on('error', () => resolve({ status: NO_ANSWER, headers: {}, body: '' }));
				},
			);
			outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
			outgoing.on('error', () => resolve({ status: NO_ANSWER, headers: {}, body: '' }));
			outgoing.end(body);
		});
	}
}
