// Types for standard-clients.js (plain CommonJS, shared with jest's global setup).
import type { OidcClientConfig, OidcServerHandle, OidcServerOptions } from './launcher';

export type SecretAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface SecretClient {
	name: string;
	clientId: string;
	clientSecret: string;
	authMethod: SecretAuthMethod;
	scope: string;
	/** Resource indicator this client is meant to use. */
	resource?: string;
	/** Access-token lifetime in seconds when not the server default. */
	ttl?: number;
}

export interface PrivateKeyJwtClient {
	name: string;
	clientId: string;
	authMethod: 'private_key_jwt';
	scope: string;
	/** The only algorithm the server accepts from this client; any of `algs` when undefined. */
	alg?: string;
	algs: string[];
	/** RFC 7638 thumbprint, also the `kid` of the registered public JWK. */
	kid: string;
	/** PKCS#8 PEM ('BEGIN PRIVATE KEY'), generated for this run. */
	privateKeyPem: string;
	publicJwk: Record<string, unknown>;
}

export interface ClientSecretJwtClient {
	name: string;
	clientId: string;
	/** Random base64url text; the HMAC key is its UTF-8 bytes. */
	clientSecret: string;
	authMethod: 'client_secret_jwt';
	scope: string;
	alg?: string;
	algs: string[];
}

export interface StandardClients {
	basic: SecretClient;
	post: SecretClient;
	resource: SecretClient & { resource: string };
	shortLived: SecretClient & { ttl: number };
	jwtRs256: PrivateKeyJwtClient;
	jwtPs256: PrivateKeyJwtClient;
	/** RSA key, any of RS256/384/512 and PS256/384/512. */
	jwtRsaAny: PrivateKeyJwtClient;
	jwtEs256: PrivateKeyJwtClient;
	jwtEs384: PrivateKeyJwtClient;
	jwtEs512: PrivateKeyJwtClient;
	/** 32-byte secret, HS256 only. */
	jwtHs256: ClientSecretJwtClient;
	/** 64-byte secret, any of HS256/384/512. */
	jwtHsAny: ClientSecretJwtClient;
}

export const API_RESOURCE: 'https://api.example.test/';
export const API2_RESOURCE: 'https://api2.example.test/';
export const SHORT_LIVED_TTL: 2;
export const BASIC_CLIENT: Readonly<SecretClient>;
export const POST_CLIENT: Readonly<SecretClient>;
export const RESOURCE_CLIENT: Readonly<SecretClient & { resource: string }>;
export const SHORT_LIVED_CLIENT: Readonly<SecretClient & { ttl: number }>;

export function generateStandardClients(): Promise<StandardClients>;
export function toServerClients(clients: Partial<StandardClients> | Record<string, SecretClient | PrivateKeyJwtClient | ClientSecretJwtClient>): OidcClientConfig[];

/** Generates the standard clients and starts a server that registers them plus `extraClients`. */
export function startStandardOidcServer(
	options?: Omit<OidcServerOptions, 'clients'> & { extraClients?: OidcClientConfig[] },
): Promise<{ server: OidcServerHandle; clients: StandardClients }>;
