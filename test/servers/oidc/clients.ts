// The standard test clients of the local authorization server. Ids and static secrets are
// constants; the JWT clients' keys and HMAC secrets are generated once per test run by the global
// setup and reach the test workers through the environment (OIDC_TEST_CLIENTS).
import { BASIC_CLIENT, POST_CLIENT, RESOURCE_CLIENT, SHORT_LIVED_CLIENT } from './standard-clients';
import type { StandardClients } from './standard-clients';

export {
	API_RESOURCE,
	API2_RESOURCE,
	SHORT_LIVED_TTL,
	BASIC_CLIENT,
	POST_CLIENT,
	RESOURCE_CLIENT,
	SHORT_LIVED_CLIENT,
	generateStandardClients,
	toServerClients,
} from './standard-clients';
export type {
	ClientSecretJwtClient,
	PrivateKeyJwtClient,
	SecretAuthMethod,
	SecretClient,
	StandardClients,
} from './standard-clients';

/** client_secret_basic; the secret holds ': + % / =' and a space, the id '!' and '|'. */
export const BASIC_CLIENT_ID = BASIC_CLIENT.clientId;
export const BASIC_CLIENT_SECRET = BASIC_CLIENT.clientSecret;
/** client_secret_post. */
export const POST_CLIENT_ID = POST_CLIENT.clientId;
export const POST_CLIENT_SECRET = POST_CLIENT.clientSecret;
/** client_secret_post, meant to ask for RESOURCE_CLIENT.resource (https://api.example.test/). */
export const RESOURCE_CLIENT_ID = RESOURCE_CLIENT.clientId;
export const RESOURCE_CLIENT_SECRET = RESOURCE_CLIENT.clientSecret;
/** client_secret_post with a SHORT_LIVED_TTL (2 s) access-token lifetime. */
export const SHORT_LIVED_CLIENT_ID = SHORT_LIVED_CLIENT.clientId;
export const SHORT_LIVED_CLIENT_SECRET = SHORT_LIVED_CLIENT.clientSecret;

let cached: StandardClients | undefined;

/** All standard clients of the shared server, JWT keys included (from the global setup). */
export function standardClients(): StandardClients {
	if (!cached) {
		const json = process.env.OIDC_TEST_CLIENTS;
		if (!json) {
			throw new Error('OIDC_TEST_CLIENTS is not set: it is set by jest\'s global setup (test/setup/global-setup.js)');
		}
		cached = JSON.parse(json) as StandardClients;
	}
	return cached;
}
