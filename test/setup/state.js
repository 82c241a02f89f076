'use strict';
// What global-setup.js hands to global-teardown.js. jest runs both in its parent process, so a
// property of globalThis survives between them (module registries may differ, the global does not).
const KEY = Symbol.for('n8n-nodes-cybersource.test.global-state');
const TEMP_PREFIX = 'n8n-nodes-cybersource-test-';

function get() {
	return globalThis[KEY] ?? {};
}

function set(values) {
	globalThis[KEY] = { ...get(), ...values };
}

function clear() {
	delete globalThis[KEY];
}

module.exports = { TEMP_PREFIX, get, set, clear };
