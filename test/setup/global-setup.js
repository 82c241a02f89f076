'use strict';
// jest global setup (runs once, in jest's parent process, before any worker starts; workers
// inherit process.env). Plain CommonJS: no TypeScript compiler is available here.
//  - N8N_USER_FOLDER: one temporary folder for the run, unless already set.
//  - The shared local authorization server (oidc-provider, child process on 127.0.0.1) with the
//    standard clients: OIDC_ISSUER, OIDC_TOKEN_URL, OIDC_API_URL, and OIDC_TEST_CLIENTS (JSON
//    of every standard client: ids, secrets, generated private keys). See test/servers/oidc.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startStandardOidcServer } = require('../servers/oidc/standard-clients');
const state = require('./state');

module.exports = async function globalSetup() {
	if (!process.env.N8N_USER_FOLDER) {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), state.TEMP_PREFIX));
		state.set({ userFolder: folder });
		process.env.N8N_USER_FOLDER = folder;
	}

	// n8n's error reporter prints every failed node's stack; tests assert on errors instead.
	if (!process.env.N8N_LOG_LEVEL) process.env.N8N_LOG_LEVEL = 'silent';

	const started = Date.now();
	let server;
	let clients;
	try {
		({ server, clients } = await startStandardOidcServer());
	} catch (err) {
		// jest skips the global teardown when the setup fails: clean up here.
		await require('./global-teardown')();
		throw err;
	}
	state.set({ oidcServer: server });
	process.env.OIDC_ISSUER = server.issuer;
	process.env.OIDC_TOKEN_URL = server.tokenUrl;
	process.env.OIDC_API_URL = server.apiUrl;
	process.env.OIDC_TEST_CLIENTS = JSON.stringify(clients);
	if (process.env.OIDC_SERVER_DEBUG) {
		process.stderr.write(`\n[global-setup] oidc server ${server.issuer} ready in ${Date.now() - started} ms\n`);
	}
};
