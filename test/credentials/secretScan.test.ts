/**
 * Runs every failure path of the generic credentials through n8n's engine and the core, and
 * checks that no secret, no Basic header, no private key and no token reaches any message.
 */
import { createServer } from 'node:net';

import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { basicAuthorization, clientSecretBasic, OAuth2Error, requestToken, TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2';
import { globalOidcServer } from '../servers/oidc';
import { BASIC_CLIENT, POST_CLIENT, standardClients } from '../servers/oidc/clients';
import { SLOW_DELAY_MS, startFaultServer, type FaultServer } from '../servers/fault-server';
import { callApi, helperWith, stored } from '../support/engineRun';
import { nodeHttpSender } from '../support/nodeHttpSender';

const SECRET = 'S3cr:t+%/= with spaces-and-more';
/** A secret that JSON must escape: a quote, a backslash and slashes. */
const JSON_SECRET = 'q"uo\\te/sl/ash-secret';
let faults: FaultServer;
let closedPort: number;

beforeAll(async () => {
	faults = await startFaultServer();
	// A port nothing listens on: bind one, note it, close it.
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	closedPort = (probe.address() as { port: number }).port;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
	await faults?.close();
});

beforeEach(() => {
	replaceSharedTokenCache(new TokenCache());
});

function forbidden(): string[] {
	const jwt = standardClients().jwtRs256;
	const keyLines = jwt.privateKeyPem.split('\n').filter((line) => line.length > 40);
	return [
		SECRET,
		encodeURIComponent(SECRET),
		new URLSearchParams({ s: SECRET }).toString().slice(2),
		basicAuthorization('client', SECRET).slice(6),
		BASIC_CLIENT.clientSecret,
		basicAuthorization(BASIC_CLIENT.clientId, 'wrong-secret-value').slice(6),
		'wrong-secret-value',
		...keyLines,
		'string-expiry-token',
		'no-expiry-token',
		'mac-token',
		'slow-token',
		JSON_SECRET,
		JSON.stringify(JSON_SECRET).slice(1, -1),
		JSON.stringify(JSON_SECRET).slice(1, -1).replace(/\//g, '\\/'),
		// Enough of the secret to be recognised, in any encoding.
		'uo\\te',
		'sl/ash-secret',
		'sl\\/ash-secret',
	];
}

function expectClean(text: string) {
	for (const value of forbidden()) expect(text).not.toContain(value);
}

describe('no secret in any failure message', () => {
	const faultPaths = ['/cut-mid-answer', '/html-500', '/html-200', '/not-json', '/not-json-200', '/empty-503', '/no-access-token', '/mac-token', '/echo-error', '/echo-500', '/nowhere'];

	it.each(faultPaths.flatMap((path) => [[path, 'body'], [path, 'header']]))('token endpoint %s with client authentication in the %s', async (path, mode) => {
		const credential = stored('fault', 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url(path), clientId: 'client', clientSecret: SECRET, clientAuthentication: mode });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
		expect(error).toBeDefined();
		expectClean(error!.message);
		expectClean(JSON.stringify(error));
		expectClean(String(error!.description ?? ''));
	});

	it('the echoing server\'s answer is still explained, with the secret redacted', async () => {
		const credential = stored('echo', 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url('/echo-error'), clientId: 'client', clientSecret: SECRET });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
		expect(error?.message).toMatch(/invalid_client: client authentication failed for .*\[redacted\]/);
	});

	it('a refused connection names the host and the cause, nothing else', async () => {
		const credential = stored('closed', 'oAuth2ClientCredentialsApi', { tokenUrl: `http://127.0.0.1:${closedPort}/token`, clientId: 'client', clientSecret: SECRET });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
		expect(error?.message).toBe(`Could not reach the token endpoint (127.0.0.1:${closedPort}): the connection was refused; check the host and port of the URL and that the server is running.`);
		expectClean(JSON.stringify(error));
	});

	it('an answer cut off mid-way says so', async () => {
		const credential = stored('cut', 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url('/cut-mid-answer'), clientId: 'client', clientSecret: SECRET });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
		expect(error?.message).toMatch(/^The token endpoint \(127\.0\.0\.1:\d+\) cut its answer off before it was complete/);
		expectClean(JSON.stringify(error));
	});

	it('a token answer far larger than any token is not read to its end', async () => {
		const credential = stored('huge', 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url('/huge-token'), clientId: 'client', clientSecret: SECRET });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
		expect(error?.message).toMatch(/^The token endpoint \(127\.0\.0\.1:\d+\) sent an answer \(HTTP 200\) larger than 256 KB/);
		expect(error!.message.length).toBeLessThan(400);
	});

	it.each([
		['/huge-html-500', /sent an answer \(HTTP 500\) larger than 256 KB.*Check the Token URL\.$/],
		['/huge-text-500', /sent an answer \(HTTP 500\) larger than 256 KB.*Check the Token URL\.$/],
		['/huge-oauth-error', /sent an answer \(HTTP 400, OAuth error "invalid_grant"\) larger than 256 KB.*Check the Token URL and what "invalid_grant" means for this request\.$/],
	])('a 20 MB error answer (%s) is cut off and named by its HTTP status and OAuth error code', async (path, message) => {
		const credential = stored(`huge${path}`, 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url(path), clientId: 'client', clientSecret: SECRET });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
		expect(error?.message).toMatch(message);
		expect(error!.message.length).toBeLessThan(400);
		expectClean(JSON.stringify(error));
	});

	it.each([['/echo-json-403'], ['/echo-json-slashes-403']])('a JSON answer that echoes a secret needing JSON escapes (%s) shows it redacted', async (path) => {
		for (const mode of ['body', 'header']) {
			const credential = stored(`json-${mode}`, 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url(path), clientId: 'client', clientSecret: JSON_SECRET, clientAuthentication: mode });
			const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
			expect(error?.message).toMatch(/answered HTTP 403 with a JSON body/);
			expectClean(error!.message);
			expectClean(JSON.stringify(error));
		}
	});

	it('a server\'s very long error text is cut to a few hundred characters', async () => {
		const credential = stored('long', 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url('/huge-error'), clientId: 'client', clientSecret: SECRET });
		const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/unused')] });
		expect(error?.message).toMatch(/^The token endpoint refused the token request \(HTTP 400, invalid_request: very long description very long/);
		expect(error!.message.length).toBeLessThan(700);
		expect(JSON.stringify(error).length).toBeLessThan(5000);
	});

	it('HTTP 429 says the server is rate limiting, and when to retry when it says so', async () => {
		const withHeader = stored('429a', 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url('/429-retry-after'), clientId: 'client', clientSecret: SECRET });
		const first = await callApi({ helper: helperWith([withHeader]), credential: withHeader, urls: [faults.url('/unused')] });
		expect(first.error?.message).toMatch(/HTTP 429.*rate limiting token requests \(HTTP 429\)\. It asks to retry after 30 s\./);
		expect(first.error?.message).not.toMatch(/Check the Token URL/);
		const withoutHeader = stored('429b', 'oAuth2ClientCredentialsApi', { tokenUrl: faults.url('/429-json'), clientId: 'client', clientSecret: SECRET });
		const second = await callApi({ helper: helperWith([withoutHeader]), credential: withoutHeader, urls: [faults.url('/unused')] });
		expect(second.error?.message).toMatch(/rate_limit_exceeded: slow down\)\. The server is rate limiting token requests \(HTTP 429\)\. Wait a moment/);
	});

	it('a slow token endpoint times out with a clear message', async () => {
		const error = await requestToken(
			{ tokenUrl: faults.url('/slow'), grantType: 'client_credentials', clientAuthentication: clientSecretBasic('client', SECRET), timeoutMs: SLOW_DELAY_MS / 3 },
			nodeHttpSender,
		).catch((e: unknown) => e as OAuth2Error);
		expect(error).toBeInstanceOf(OAuth2Error);
		expect((error as OAuth2Error).kind).toBe('timeout');
		expect((error as OAuth2Error).message).toMatch(/did not answer within 0\.5 s/);
		expectClean(JSON.stringify(error) + (error as Error).message);
	});

	it('a real server refusing a wrong secret, in both client authentication modes', async () => {
		const server = globalOidcServer();
		for (const [clientId, mode] of [[BASIC_CLIENT.clientId, 'header'], [POST_CLIENT.clientId, 'body']]) {
			const credential = stored(`wrong-${mode}`, 'oAuth2ClientCredentialsApi', { tokenUrl: server.tokenUrl, clientId, clientSecret: 'wrong-secret-value', clientAuthentication: mode });
			const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
			expect(error?.message).toMatch(/invalid_client/);
			expectClean(JSON.stringify(error) + error!.message);
		}
	});

	it('a JWT credential with an unknown key or a wrong passphrase', async () => {
		const server = globalOidcServer();
		const jwt = standardClients().jwtRs256;
		const wrongAudience = stored('jwt-aud', 'oAuth2JwtClientAssertionApi', {
			tokenUrl: server.tokenUrl,
			clientId: jwt.clientId,
			algorithm: 'RS256',
			privateKey: jwt.privateKeyPem,
			assertionAudience: 'custom',
			customAudience: 'https://nobody.example.test',
		});
		const badKey = stored('jwt-key', 'oAuth2JwtClientAssertionApi', {
			tokenUrl: server.tokenUrl,
			clientId: jwt.clientId,
			algorithm: 'ES256',
			privateKey: jwt.privateKeyPem,
		});
		for (const credential of [wrongAudience, badKey]) {
			const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [server.apiUrl] });
			expect(error).toBeDefined();
			expectClean(JSON.stringify(error) + error!.message);
		}
	});
});
