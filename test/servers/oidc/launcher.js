'use strict';
// Starts server.mjs (oidc-provider, ESM-only) as a child process and talks to its admin endpoints.
// Plain CommonJS without dependencies so that jest's global setup (no TypeScript there), the
// TypeScript tests (through index.ts and launcher.d.ts) and a plain `node` demo script can all use
// it. Every wait is bounded; the child dies with its parent (IPC disconnect).

const { fork } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const SERVER_SCRIPT = path.join(__dirname, 'server.mjs');
const DEFAULT_START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;
const ADMIN_TIMEOUT_MS = 5_000;
const STDERR_TAIL = 8 * 1024;

// oidc-provider 9 warns on every start that it prefers Node 22; it runs fine on Node 20.
const NOISE = [/oidc-provider WARNING: Unsupported runtime/];

/** Forwards the child's output line by line (minus known noise) and keeps a tail for errors. */
function pipeOutput(stream, sink, tail) {
	let partial = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk) => {
		tail.text = (tail.text + chunk).slice(-STDERR_TAIL);
		const lines = (partial + chunk).split('\n');
		partial = lines.pop();
		for (const line of lines) {
			if (line && !NOISE.some((re) => re.test(line))) sink.write(`[oidc-server] ${line}\n`);
		}
	});
}

/**
 * Sends one request to the server's admin API and parses the JSON answer.
 * @returns {Promise<{ status: number, body: any }>}
 */
function adminRequest(issuer, method, endpoint, clientId) {
	const url = new URL(`/__admin/${endpoint}`, issuer);
	if (clientId !== undefined) url.searchParams.set('client_id', clientId);
	if (url.hostname !== '127.0.0.1') return Promise.reject(new Error(`refusing to call ${url.href}`));
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, agent: false, timeout: ADMIN_TIMEOUT_MS }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				try {
					resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
				} catch {
					reject(new Error(`admin ${endpoint}: invalid JSON (${res.statusCode}): ${text.slice(0, 200)}`));
				}
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`admin ${endpoint}: timed out`)));
		req.on('error', reject);
		req.end();
	});
}

async function adminOk(issuer, method, endpoint, clientId) {
	const { status, body } = await adminRequest(issuer, method, endpoint, clientId);
	if (status !== 200) throw new Error(`admin ${endpoint}: HTTP ${status} ${JSON.stringify(body)}`);
	return body;
}

/**
 * A handle on a running server, given its issuer (`http://127.0.0.1:<port>`). Used for the server
 * the global setup started: `stop` is then a no-op (the global teardown stops it).
 */
function connectOidcServer(issuer, stop = async () => {}) {
	const base = new URL(issuer);
	if (base.hostname !== '127.0.0.1' || base.protocol !== 'http:') {
		throw new Error(`the test authorization server must be http://127.0.0.1:<port>, got ${issuer}`);
	}
	const origin = base.origin;
	return {
		issuer: origin,
		port: Number(base.port),
		tokenUrl: `${origin}/token`,
		apiUrl: `${origin}/api/echo`,
		apiBaseUrl: `${origin}/api/`,
		introspectionUrl: `${origin}/token/introspection`,
		revocationUrl: `${origin}/token/revocation`,
		adminUrl: `${origin}/__admin/`,
		stats: () => adminOk(origin, 'GET', 'stats'),
		reset: (clientId) => adminOk(origin, 'POST', 'reset', clientId).then(() => undefined),
		revokeAll: (clientId) => adminOk(origin, 'POST', 'revoke-all', clientId).then((b) => b.revoked),
		lastTokenRequest: async (clientId) => {
			const { status, body } = await adminRequest(origin, 'GET', 'last-token-request', clientId);
			if (status === 404) return undefined;
			if (status !== 200) throw new Error(`admin last-token-request: HTTP ${status}`);
			return body;
		},
		stop,
	};
}

/**
 * Forks server.mjs with the given configuration and resolves once it listens.
 * @param {object} options { clients, defaultTtl?, scopes?, resources?, port?, startTimeoutMs? }
 */
function startOidcServer(options = {}) {
	const { startTimeoutMs = DEFAULT_START_TIMEOUT_MS, ...config } = options;
	const child = fork(SERVER_SCRIPT, [], {
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		execArgv: [], // not the parent's flags (jest workers, inspectors, loaders)
		env: { ...process.env, NODE_OPTIONS: '' },
		serialization: 'json',
	});
	const tail = { text: '' };
	pipeOutput(child.stdout, process.stderr, tail);
	pipeOutput(child.stderr, process.stderr, tail);

	let exited = child.exitCode !== null;
	const exitPromise = new Promise((resolve) => {
		child.once('exit', () => {
			exited = true;
			resolve();
		});
	});
	// Belt and braces next to the child's own IPC-disconnect watch.
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);

	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			process.removeListener('exit', killOnExit);
			if (!exited) {
				child.kill('SIGTERM');
				let timer;
				const timeout = new Promise((resolve) => {
					timer = setTimeout(resolve, STOP_GRACE_MS);
				});
				await Promise.race([exitPromise, timeout]);
				clearTimeout(timer);
				if (!exited) {
					child.kill('SIGKILL');
					const hardTimeout = new Promise((resolve) => {
						timer = setTimeout(resolve, STOP_GRACE_MS);
					});
					await Promise.race([exitPromise, hardTimeout]);
					clearTimeout(timer);
				}
			}
		})();
		return stopping;
	};

	return new Promise((resolve, reject) => {
		let settled = false;
		const fail = (message) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			void stop().then(() => reject(new Error(`${message}\n--- server output ---\n${tail.text}`)));
		};
		const timer = setTimeout(() => fail(`oidc server did not start within ${startTimeoutMs} ms`), startTimeoutMs);

		child.once('error', (err) => fail(`oidc server failed: ${err.message}`));
		child.once('exit', (code, signal) => fail(`oidc server exited before it was ready (${code ?? signal})`));
		child.on('message', (message) => {
			if (settled) return;
			if (message && message.type === 'ready') {
				settled = true;
				clearTimeout(timer);
				// An unstopped server must not keep the parent alive; it exits with the parent anyway.
				child.unref();
				child.channel?.unref();
				child.stdout?.unref?.();
				child.stderr?.unref?.();
				resolve({ ...connectOidcServer(message.issuer, stop), pid: child.pid });
			} else if (message && message.type === 'error') {
				fail(`oidc server failed to start: ${message.message}`);
			}
		});
		child.send({ type: 'start', config });
	});
}

module.exports = { startOidcServer, connectOidcServer };
