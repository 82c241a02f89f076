'use strict';
// jest global teardown: stops the shared authorization server and removes the temporary
// N8N_USER_FOLDER that global-setup.js created (never a folder it did not create).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const state = require('./state');

module.exports = async function globalTeardown() {
	const { oidcServer, userFolder } = state.get();
	try {
		if (oidcServer) await oidcServer.stop();
	} finally {
		if (userFolder && path.dirname(userFolder) === os.tmpdir() && path.basename(userFolder).startsWith(state.TEMP_PREFIX)) {
			fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
			if (process.env.N8N_USER_FOLDER === userFolder) delete process.env.N8N_USER_FOLDER;
		}
		state.clear();
	}
};
