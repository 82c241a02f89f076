// Types for launcher.js (plain CommonJS so that jest's global setup and node scripts can use it).

/** oidc-provider client metadata plus two keys of ours (see server.mjs). */
export interface OidcClientConfig {
	client_id: string;
	client_secret?: string;
	token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt';
	/** Space-separated; values must be among the server's scopes. */
	scope?: string;
	/** Public keys for private_key_jwt. */
	jwks?: { keys: Array<Record<string, unknown>> };
	/** Pins the client-assertion algorithm; any enabled one of the key's family when absent. */
	token_endpoint_auth_signing_alg?: string;
	/** Access-token lifetime in whole seconds for this client (ours). */
	access_token_ttl?: number;
	/** Resource indicators this client may request (ours); all configured ones when absent. */
	resources?: string[];
	[metadata: string]: unknown;
}

export interface OidcResourceConfig {
	/** Space-separated scopes a token for this resource may carry. */
	scope: string;
	/** The token's `aud`; the indicator itself when absent. */
	audience?: string;
	/** Lifetime in seconds for tokens of this resource (a client's access_token_ttl wins). */
	accessTokenTTL?: number;
}

export interface OidcServerOptions {
	clients: OidcClientConfig[];
	/** Default access-token lifetime in whole seconds (300). */
	defaultTtl?: number;
	/** Extra scopes besides the built-in `read` and `write`. */
	scopes?: string[];
	/** Accepted resource indicators; default https://api.example.test/ and https://api2.example.test/. */
	resources?: Record<string, OidcResourceConfig>;
	/**
	 * true (default): a client registered for client_secret_basic must send its secret in the
	 * Authorization header and one registered for client_secret_post in the body (as Okta does).
	 * false: oidc-provider's own behaviour, which accepts either for both.
	 */
	strictSecretMethod?: boolean;
	/** 0 (ephemeral) by default. The host is always 127.0.0.1. */
	port?: number;
	/** How long to wait for the child to report ready (15000 ms). */
	startTimeoutMs?: number;
}

export interface ClientCounts {
	total: number;
	/** Answered 200. */
	ok: number;
	/** Answered with an error status. */
	failed: number;
}

export interface OidcServerStats {
	tokenRequests: ClientCounts & {
		/** Keyed by the client id the request claimed ('' when none could be read). */
		byClient: Record<string, ClientCounts>;
	};
	apiRequests: number;
	apiUnauthorized: number;
	/** Requests per client whose token was recognised (accepted or expired). */
	apiByClient: Record<string, number>;
}

export interface TokenRequestRecord {
	clientId: string;
	method: string;
	path: string;
	/** Raw query string without '?', '' when none. */
	query: string;
	/** Header names lower-cased (as node delivers them). */
	headers: Record<string, string | string[] | undefined>;
	/** Raw request body (UTF-8), at most 64 KiB. */
	body: string;
	bodyTruncated: boolean;
	/** Status the provider answered with. */
	status: number;
	/** OAuth `error` code of a failed request. */
	error?: string;
	/** Why it failed, as the provider logged it (e.g. which check an invalid_client failed). */
	errorDetail?: string;
	at: string;
}

export interface OidcServerHandle {
	/** http://127.0.0.1:<port> (no trailing slash: client-assertion `aud` must match it exactly). */
	issuer: string;
	port: number;
	tokenUrl: string;
	/** <issuer>/api/echo */
	apiUrl: string;
	/** <issuer>/api/ : every path below it is protected the same way. */
	apiBaseUrl: string;
	introspectionUrl: string;
	revocationUrl: string;
	adminUrl: string;
	/** Child process id; only on handles returned by startOidcServer. */
	pid?: number;
	stats(): Promise<OidcServerStats>;
	/**
	 * Zeroes every counter and forgets recorded requests. With clientId: only that client's token
	 * counters (also subtracted from the totals), its apiByClient entry and its recorded request.
	 */
	reset(clientId?: string): Promise<void>;
	/** Revokes every issued access token (only this client's with clientId); resolves to the count. */
	revokeAll(clientId?: string): Promise<number>;
	/** The newest token request claiming this client id (the newest of all without one). */
	lastTokenRequest(clientId?: string): Promise<TokenRequestRecord | undefined>;
	/** Stops the child (SIGTERM, then SIGKILL after 3 s). Idempotent; a no-op on connected handles. */
	stop(): Promise<void>;
}

export function startOidcServer(options: OidcServerOptions): Promise<OidcServerHandle>;
export function connectOidcServer(issuer: string, stop?: () => Promise<void>): OidcServerHandle;
