import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny OAuth2 token endpoint on 127.0.0.1 for the manyCredentials scenario: every POST gets a
 * new random bearer token valid one hour, whatever the client (the benchmark measures the cache,
 * not client authentication). Plain HTTP, so a token request costs little.
 */
export interface TokenEndpoint {
	url: string;
	tokenRequests(): number;
	close(): Promise<void>;
}

export async function startTokenEndpoint(): Promise<TokenEndpoint> {
	let count = 0;
	const server: Server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			if (request.method !== 'POST') {
				response.writeHead(405).end();
				return;
			}
			count++;
			const body = JSON.stringify({ access_token: randomBytes(24).toString('base64url'), token_type: 'Bearer', expires_in: 3600 });
			response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(body);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/oauth/token`,
		tokenRequests: () => count,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
