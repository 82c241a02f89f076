/**
 * Lets examples/http-request-client-credentials.json run unmodified against the local
 * authorization server: its URLs point at https://api.example.com, so the n8n process gets the
 * standard proxy settings (HTTPS_PROXY, NO_PROXY) and trusts one more CA (NODE_EXTRA_CA_CERTS).
 * The proxy on 127.0.0.1 tunnels CONNECT api.example.com:443 to a local HTTPS server that holds a
 * certificate for api.example.com and forwards each request, bearer token included, to the
 * oidc-provider's protected API. Any other CONNECT target is refused: nothing leaves 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXAMPLE_API_HOST = 'api.example.com';

export interface ExampleApi {
	/** Environment for the n8n process. */
	env: Record<string, string>;
	/** Requests forwarded to the API. */
	forwarded(): number;
	close(): Promise<void>;
}

/** A throwaway CA and a server certificate for api.example.com (openssl; node:crypto cannot sign X.509). */
function exampleCertificates(dir: string): { ca: string; key: string; cert: string } {
	const file = (name: string) => join(dir, name);
	writeFileSync(
		file('openssl.cnf'),
		`[req]\ndistinguished_name = dn\n[dn]\n[ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign\n[server]\nbasicConstraints = critical, CA:FALSE\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:${EXAMPLE_API_HOST}\n`,
	);
	const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, OPENSSL_CONF: file('openssl.cnf') } });
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(['req', '-x509', '-new', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=n8n-nodes-cybersource example API CA', '-config', 'openssl.cnf', '-extensions', 'ca']);
	openssl(['req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${EXAMPLE_API_HOST}`, '-config', 'openssl.cnf']);
	openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x1d', '-days', '2', '-out', 'server.pem', '-extfile', 'openssl.cnf', '-extensions', 'server']);
	return { ca: readFileSync(file('ca.pem'), 'utf8'), key: readFileSync(file('server.key'), 'utf8'), cert: readFileSync(file('server.pem'), 'utf8') };
}

const listen = (server: Server) =>
	new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** `apiBaseUrl`: where requests for https://api.example.com/<path> go (http://127.0.0.1:<port>/api/). */
export async function startExampleApi(apiBaseUrl: string): Promise<ExampleApi> {
	const dir = mkdtempSync(join(tmpdir(), 'example-api-'));
	const { ca, key, cert } = exampleCertificates(dir);
	const caFile = join(dir, 'ca.pem');
	writeFileSync(caFile, ca);
	const target = new URL(apiBaseUrl);
	let forwarded = 0;

	const api = createHttpsServer({ key, cert }, (incoming, outgoing) => {
		forwarded++;
		const path = `${target.pathname.replace(/\/$/, '')}${incoming.url ?? '/'}`;
		const upstream = httpRequest(
			{ host: target.hostname, port: target.port, method: incoming.method, path, headers: { ...incoming.headers, host: target.host } },
			(answer) => {
				outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(outgoing);
			},
		);
		upstream.on('error', () => outgoing.destroy());
		incoming.pipe(upstream);
	});
	const apiPort = await listen(api as unknown as Server);

	const proxy = createHttpServer((_request, response) => {
		response.writeHead(405).end('CONNECT only');
	});
	const tunnels = new Set<{ destroy(): void }>();
	proxy.on('connect', (request, socket, head) => {
		tunnels.add(socket);
		socket.once('close', () => tunnels.delete(socket));
		if (request.url !== `${EXAMPLE_API_HOST}:443`) {
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		const tunnel = connect(apiPort, '127.0.0.1', () => {
			socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			tunnel.write(head);
			tunnel.pipe(socket);
			socket.pipe(tunnel);
		});
		tunnel.on('error', () => socket.destroy());
		socket.on('error', () => tunnel.destroy());
	});
	const proxyPort = await listen(proxy);
	const proxyUrl = `http://127.0.0.1:${proxyPort}`;

	return {
		env: {
			HTTPS_PROXY: proxyUrl,
			https_proxy: proxyUrl,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: caFile,
		},
		forwarded: () => forwarded,
		close: async () => {
			for (const socket of tunnels) socket.destroy();
			const closed = Promise.all([new Promise((resolve) => proxy.close(resolve)), new Promise((resolve) => api.close(resolve))]);
			proxy.closeAllConnections();
			api.closeAllConnections();
			await closed;
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
