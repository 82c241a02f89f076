'use strict';
// The standard test clients of the local authorization server. Static ids and secrets are
// constants; the JWT clients' keys are generated with node:crypto when the test run (or demo)
// starts and never written to disk. Plain CommonJS for the same reason as launcher.js; the typed
// face is clients.ts.

const crypto = require('node:crypto');
const { promisify } = require('node:util');

const generateKeyPair = promisify(crypto.generateKeyPair);

const API_RESOURCE = 'https://api.example.test/';
const API2_RESOURCE = 'https://api2.example.test/';
const SHORT_LIVED_TTL = 2;

// An SAP XSUAA-style id ('!' and '|') and a secret with every character that breaks a client
// skipping the RFC 6749 §2.3.1 form-encoding before Basic: ':' '+' '%' '/' '=' and a space.
const BASIC_CLIENT = Object.freeze({
	name: 'basic',
	clientId: 'sb-basic-client!t42|it!b7',
	clientSecret: 's:e+c%r/e=t x',
	authMethod: 'client_secret_basic',
	scope: 'read write',
});

const POST_CLIENT = Object.freeze({
	name: 'post',
	clientId: 'post-client',
	clientSecret: 'post:secret+with%odd/chars= ok',
	authMethod: 'client_secret_post',
	scope: 'read write',
});

const RESOURCE_CLIENT = Object.freeze({
	name: 'resource',
	clientId: 'resource-client',
	clientSecret: 'resource-secret-3f9a',
	authMethod: 'client_secret_post',
	scope: 'read write',
	resource: API_RESOURCE,
});

const SHORT_LIVED_CLIENT = Object.freeze({
	name: 'shortLived',
	clientId: 'short-lived-client',
	clientSecret: 'short-lived-secret-77c1',
	authMethod: 'client_secret_post',
	scope: 'read write',
	ttl: SHORT_LIVED_TTL,
});

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const HS_ALGS = ['HS256', 'HS384', 'HS512'];

async function keyClient(name, clientId, keyType, keyOptions, alg, algs) {
	const { privateKey, publicKey } = await generateKeyPair(keyType, keyOptions);
	const publicJwk = publicKey.export({ format: 'jwk' });
	const kid = jwkThumbprint(publicJwk);
	return {
		name,
		clientId,
		authMethod: 'private_key_jwt',
		scope: 'read write',
		alg, // the one algorithm the server accepts from this client; undefined = any of `algs`
		algs,
		kid,
		privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }),
		publicJwk: { ...publicJwk, kid, use: 'sig', ...(alg ? { alg } : {}) },
	};
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA or EC public key. */
function jwkThumbprint(jwk) {
	const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
	return crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function hsClient(name, clientId, bytes, alg, algs) {
	return {
		name,
		clientId,
		clientSecret: crypto.randomBytes(bytes).toString('base64url'),
		authMethod: 'client_secret_jwt',
		scope: 'read write',
		alg,
		algs,
	};
}

/** Builds all standard clients, generating fresh keys and HMAC secrets. */
async function generateStandardClients() {
	const rsa = { modulusLength: 2048 };
	const [jwtRs256, jwtPs256, jwtRsaAny, jwtEs256, jwtEs384, jwtEs512] = await Promise.all([
		keyClient('jwtRs256', 'jwt-rs256-client', 'rsa', rsa, 'RS256', ['RS256']),
		keyClient('jwtPs256', 'jwt-ps256-client', 'rsa', rsa, 'PS256', ['PS256']),
		keyClient('jwtRsaAny', 'jwt-rsa-any-client', 'rsa', rsa, undefined, RSA_ALGS),
		keyClient('jwtEs256', 'jwt-es256-client', 'ec', { namedCurve: 'P-256' }, 'ES256', ['ES256']),
		keyClient('jwtEs384', 'jwt-es384-client', 'ec', { namedCurve: 'P-384' }, 'ES384', ['ES384']),
		keyClient('jwtEs512', 'jwt-es512-client', 'ec', { namedCurve: 'P-521' }, 'ES512', ['ES512']),
	]);
	return {
		basic: { ...BASIC_CLIENT },
		post: { ...POST_CLIENT },
		resource: { ...RESOURCE_CLIENT },
		shortLived: { ...SHORT_LIVED_CLIENT },
		jwtRs256,
		jwtPs256,
		jwtRsaAny,
		jwtEs256,
		jwtEs384,
		jwtEs512,
		jwtHs256: hsClient('jwtHs256', 'jwt-hs256-client', 32, 'HS256', ['HS256']),
		// 64 bytes: enough key material for HS512 as well (RFC 7518 §3.2: key >= hash size).
		jwtHsAny: hsClient('jwtHsAny', 'jwt-hs-any-client', 64, undefined, HS_ALGS),
	};
}

/** The server-side registration (oidc-provider client metadata) of the given clients. */
function toServerClients(clients) {
	return Object.values(clients).map((c) => {
		const metadata = {
			client_id: c.clientId,
			token_endpoint_auth_method: c.authMethod,
			scope: c.scope,
		};
		if (c.clientSecret !== undefined) metadata.client_secret = c.clientSecret;
		if (c.publicJwk !== undefined) metadata.jwks = { keys: [c.publicJwk] };
		if (c.alg !== undefined) metadata.token_endpoint_auth_signing_alg = c.alg;
		if (c.ttl !== undefined) metadata.access_token_ttl = c.ttl;
		return metadata;
	});
}

/**
 * Generates the standard clients and starts a server registering them (plus `extraClients`).
 * @returns {Promise<{ server: import('./launcher').OidcServerHandle, clients: object }>}
 */
async function startStandardOidcServer(options = {}) {
	const { startOidcServer } = require('./launcher');
	const { extraClients = [], ...serverOptions } = options;
	const clients = await generateStandardClients();
	const server = await startOidcServer({ ...serverOptions, clients: [...toServerClients(clients), ...extraClients] });
	return { server, clients };
}

module.exports = {
	startStandardOidcServer,
	API_RESOURCE,
	API2_RESOURCE,
	SHORT_LIVED_TTL,
	BASIC_CLIENT,
	POST_CLIENT,
	RESOURCE_CLIENT,
	SHORT_LIVED_CLIENT,
	generateStandardClients,
	toServerClients,
};
