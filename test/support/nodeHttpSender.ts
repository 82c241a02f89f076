import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { SendHttpRequest } from '../../packages/n8n-nodes-cybersource/lib/oauth2/http';

/**
 * A SendHttpRequest over node:http(s) for tests of the n8n-free core. (Credential and node
 * tests go through n8n's own HTTP helper instead.)
 */
export const nodeHttpSender: SendHttpRequest = (request) =>
	new Promise((resolve, reject) => {
		const url = new URL(request.url);
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const outgoing = send(url, { method: request.method, headers: request.headers, timeout: request.timeoutMs }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
			);
			response.on('error', reject);
		});
		outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
		outgoing.on('error', reject);
		if (request.body !== undefined) outgoing.write(request.body);
		outgoing.end();
	});
