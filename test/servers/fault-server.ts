import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A token endpoint that does what a conformant server never does, one path per fault, on
 * 127.0.0.1 and an ephemeral port. It records the requests it gets so tests can check that
 * nothing was sent when input was bad.
 */
export interface FaultServer {
	url(path: string): string;
	requests: Array<{ path: string; query: string; headers: IncomingMessage['headers']; rawHeaders: string[]; body: string }>;
	close(): Promise<void>;
}

type Fault = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** 20 MB: `head`, 320 pieces of 64 KB, `tail`, written as the client reads; stops when it hangs up. */
function streamHuge(r: ServerResponse, status: number, contentType: string, head: string, tail: string): void {
	r.writeHead(status, { 'Content-Type': contentType });
	const piece = 'x'.repeat(64 * 1024);
	let left = 320;
	const write = () => {
		while (left > 0) {
			left--;
			if (!r.write(left === 319 ? `${head}${piece}` : piece)) return void r.once('drain', write);
		}
		r.end(tail);
	};
	r.on('close', () => (left = 0));
	write();
}

const json = (response: ServerResponse, status: number, value: unknown) => {
	response.writeHead(status, { 'Content-Type': 'application/json' });
	response.end(JSON.stringify(value));
};

export const SLOW_DELAY_MS = 1500;

const faults: Record<string, Fault> = {
	'/html-500': (_q, r) => {
		r.writeHead(500, { 'Content-Type': 'text/html' });
		r.end('<!DOCTYPE html><html><head><title>Internal Server Error</title></head><body>oops</body></html>');
	},
	'/html-200': (_q, r) => {
		r.writeHead(200, { 'Content-Type': 'text/html' });
		r.end('<html><head><title>Sign in</title></head><body>login page</body></html>');
	},
	'/not-json': (_q, r) => {
		r.writeHead(502, { 'Content-Type': 'text/plain' });
		r.end('upstream connect error or disconnect/reset before headers');
	},
	'/not-json-200': (_q, r) => {
		r.writeHead(200, { 'Content-Type': 'text/plain' });
		r.end('token=abc');
	},
	'/empty-503': (_q, r) => {
		r.writeHead(503);
		r.end();
	},
	// Headers and half of a token answer, then the connection is cut.
	'/cut-mid-answer': (_q, r) => {
		const body = JSON.stringify({ access_token: 'cut-token-never-complete', token_type: 'Bearer', expires_in: 3600 });
		r.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
		r.write(body.slice(0, 20), () => r.socket?.destroy());
	},
	// 20 MB of a valid-looking token answer, written in 64 KB pieces while the client reads.
	'/huge-token': (_q, r) => streamHuge(r, 200, 'application/json', '{"token_type":"Bearer","access_token":"', '"}'),
	// 20 MB error pages: HTML, plain text, and an OAuth error whose description is 20 MB long.
	'/huge-html-500': (_q, r) => streamHuge(r, 500, 'text/html', '<html><body><h1>Internal Server Error</h1><p>', '</p></body></html>'),
	'/huge-text-500': (_q, r) => streamHuge(r, 500, 'text/plain', 'Internal Server Error: ', '.'),
	'/huge-oauth-error': (_q, r) => streamHuge(r, 400, 'application/json', '{"error":"invalid_grant","error_description":"', '"}'),
	// A 403 whose JSON echoes the request's form fields: the secret arrives JSON-escaped.
	'/echo-json-403': (_q, r, body) => json(r, 403, { message: 'forbidden', received: Object.fromEntries(new URLSearchParams(body)) }),
	// The same with escaped slashes, as PHP's json_encode writes them.
	'/echo-json-slashes-403': (_q, r, body) => {
		r.writeHead(403, { 'Content-Type': 'application/json' });
		r.end(JSON.stringify({ message: 'forbidden', received: Object.fromEntries(new URLSearchParams(body)) }).replace(/\//g, '\\/'));
	},
	// An OAuth error whose description is 200 KB long (under the size cap of a token answer).
	'/huge-error': (_q, r) => json(r, 400, { error: 'invalid_request', error_description: `${'very long description '.repeat(10_000)}end` }),
	'/429-retry-after': (_q, r) => {
		r.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '30' });
		r.end('Too Many Requests');
	},
	'/429-json': (_q, r) => json(r, 429, { error: 'rate_limit_exceeded', error_description: 'slow down' }),
	// Headers at once, then one byte every 300 ms for 12 s: never silent long enough for an idle timeout.
	'/drip-token': (_q, r) => {
		r.writeHead(200, { 'Content-Type': 'application/json' });
		r.write('{');
		let left = 40;
		const timer = setInterval(() => {
			if (--left > 0) r.write(' ');
			else {
				clearInterval(timer);
				r.end('"access_token": "drip-token", "token_type": "Bearer"}');
			}
		}, 300);
		r.on('close', () => clearInterval(timer));
	},
	// An API that accepts any call (tests of the token request need one to call).
	'/api': (_q, r) => json(r, 200, { ok: true }),
	// A token for anyone: tests read what arrived from `requests`.
	'/echo-token': (_q, r) => json(r, 200, { access_token: 'echo-token', token_type: 'Bearer', expires_in: 300 }),
	'/no-access-token': (_q, r) => json(r, 200, { token_type: 'Bearer', expires_in: 3600 }),
	'/string-expires-in': (_q, r) => json(r, 200, { access_token: 'string-expiry-token', token_type: 'BEARER', expires_in: '120' }),
	'/no-expires-in': (_q, r) => json(r, 200, { access_token: 'no-expiry-token' }),
	'/mac-token': (_q, r) => json(r, 200, { access_token: 'mac-token', token_type: 'mac' }),
	// A server that echoes what it was sent: messages built from it must still hide the secret.
	'/echo-error': (_q, r, body) =>
		json(r, 401, { error: 'invalid_client', error_description: `client authentication failed for ${body}`, error_uri: 'https://docs.example.test/errors#invalid_client' }),
	'/echo-500': (q, r, body) => {
		r.writeHead(500, { 'Content-Type': 'text/plain' });
		r.end(`failed: ${body} ${q.headers.authorization ?? ''}`);
	},
	// A server that takes only JSON token requests (some do), and checks the grant.
	'/json-token': (q, r, body) => {
		let parsed: Record<string, unknown> = {};
		try {
			parsed = JSON.parse(body) as Record<string, unknown>;
		} catch {
			// Not JSON: refused below.
		}
		if (!String(q.headers['content-type']).startsWith('application/json') || parsed.grant_type !== 'client_credentials') {
			json(r, 400, { error: 'invalid_request', error_description: 'JSON body with grant_type=client_credentials expected' });
			return;
		}
		json(r, 200, { access_token: `json-token-for-${String(parsed.client_id)}`, token_type: 'Bearer', expires_in: 300 });
	},
	'/slow': (_q, r) => {
		const timer = setTimeout(() => json(r, 200, { access_token: 'slow-token', expires_in: 60 }), SLOW_DELAY_MS);
		r.on('close', () => clearTimeout(timer));
	},
};

export async function startFaultServer(): Promise<FaultServer> {
	const requests: FaultServer['requests'] = [];
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const [path, ...rest] = (request.url ?? '/').split('?');
			requests.push({ path, query: rest.join('?'), headers: request.headers, rawHeaders: request.rawHeaders, body });
			const fault = faults[path];
			if (fault) fault(request, response, body);
			else json(response, 404, { message: 'no such fault' });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (path) => `http://127.0.0.1:${port}${path}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
