// The local OAuth 2.0 authorization server (oidc-provider in a child process) for tests and the
// demo. Free of jest imports. The implementation is plain JavaScript (launcher.js,
// standard-clients.js) so that jest's global setup and node scripts can use it without a
// TypeScript compiler; this module adds the types and the contract with the global setup.
import { connectOidcServer } from './launcher';
import type { OidcServerHandle } from './launcher';

export { startOidcServer, connectOidcServer } from './launcher';
export type {
	ClientCounts,
	OidcClientConfig,
	OidcResourceConfig,
	OidcServerHandle,
	OidcServerOptions,
	OidcServerStats,
	TokenRequestRecord,
} from './launcher';
export { startStandardOidcServer } from './standard-clients';

/** Environment variables set by test/setup/global-setup.js for the shared server. */
export const OIDC_ENV = {
	/** http://127.0.0.1:<port> */
	issuer: 'OIDC_ISSUER',
	tokenUrl: 'OIDC_TOKEN_URL',
	/** The protected echo endpoint, <issuer>/api/echo */
	apiUrl: 'OIDC_API_URL',
	/** JSON of StandardClients (see clients.ts), private keys included. */
	clients: 'OIDC_TEST_CLIENTS',
} as const;

/**
 * The server the global setup started, shared by every test worker. `stop()` is a no-op on this
 * handle. Workers run in parallel against it: read counters per client (or as differences), and
 * scope `reset`/`revokeAll` to your own client id, or start a private server for tests that need
 * the whole server to themselves.
 */
export function globalOidcServer(): OidcServerHandle {
	const issuer = process.env[OIDC_ENV.issuer];
	if (!issuer) {
		throw new Error(`${OIDC_ENV.issuer} is not set: the shared server is started by jest's global setup (test/setup/global-setup.js)`);
	}
	return connectOidcServer(issuer);
}
