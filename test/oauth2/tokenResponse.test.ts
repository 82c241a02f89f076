import { OAuth2Error, processTokenResponse, type HttpResponse } from '../../packages/n8n-nodes-cybersource/lib/oauth2';

const SECRET = 'super-secret-value';
const respond = (status: number, body: unknown, contentType = 'application/json'): HttpResponse => ({
	status,
	headers: { 'content-type': contentType },
	body: typeof body === 'string' ? body : JSON.stringify(body),
});
const errorOf = (response: HttpResponse): OAuth2Error => {
	try {
		processTokenResponse(response, { secrets: [SECRET] });
	} catch (error) {
		return error as OAuth2Error;
	}
	throw new Error('expected processTokenResponse to throw');
};

describe('processing the token response (RFC 6749 §5.1)', () => {
	it('reads access_token, token_type case-insensitively, expires_in, scope and keeps the rest', () => {
		const token = processTokenResponse(
			respond(200, { access_token: 'at', token_type: 'BEARER', expires_in: 899, scope: 'transactions', refresh_token: 'rt', client_status: 'active' }),
			{ secrets: [] },
		);
		expect(token).toEqual({ accessToken: 'at', tokenType: 'bearer', expiresIn: 899, scope: 'transactions', refreshToken: 'rt', extra: { client_status: 'active' } });
	});

	it('keeps with the token only small members of the rest: a padded answer does not make the cached token large', () => {
		const padding = 'p'.repeat(100_000);
		const members = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`m${i}`, i]));
		const token = processTokenResponse(respond(200, { access_token: 'at', client_status: 'active', padding, nested: { padding }, ...members }), { secrets: [] });
		expect(token.extra.client_status).toBe('active');
		expect(token.extra).not.toHaveProperty('padding');
		expect(token.extra).not.toHaveProperty('nested');
		expect(Object.keys(token.extra).length).toBeLessThanOrEqual(20);
		expect(JSON.stringify(token).length).toBeLessThan(2000);
	});

	it('takes expires_in as a numeric string, and leaves it undefined when absent or nonsense', () => {
		expect(processTokenResponse(respond(200, { access_token: 'a', expires_in: '120' }), { secrets: [] }).expiresIn).toBe(120);
		expect(processTokenResponse(respond(200, { access_token: 'a' }), { secrets: [] }).expiresIn).toBeUndefined();
		expect(processTokenResponse(respond(200, { access_token: 'a', expires_in: 'soon' }), { secrets: [] }).expiresIn).toBeUndefined();
		expect(processTokenResponse(respond(200, { access_token: 'a', expires_in: -5 }), { secrets: [] }).expiresIn).toBeUndefined();
	});

	it('defaults token_type to bearer and refuses other token types', () => {
		expect(processTokenResponse(respond(200, { access_token: 'a' }), { secrets: [] }).tokenType).toBe('bearer');
		expect(errorOf(respond(200, { access_token: 'a', token_type: 'mac' })).message).toMatch(/type "mac"; only Bearer/);
	});

	it('accepts an already parsed object and a form-encoded answer', () => {
		expect(processTokenResponse({ status: 200, headers: {}, body: { access_token: 'obj' } }, { secrets: [] }).accessToken).toBe('obj');
		expect(
			processTokenResponse(respond(200, 'access_token=form&token_type=bearer&expires_in=60', 'application/x-www-form-urlencoded'), { secrets: [] }),
		).toMatchObject({ accessToken: 'form', expiresIn: 60 });
	});
});

describe('token endpoint errors', () => {
	it('maps an OAuth error to its code, description, URI and a hint', () => {
		const error = errorOf(respond(401, { error: 'invalid_client', error_description: 'Client authentication failed', error_uri: 'https://as.test/e' }));
		expect(error.kind).toBe('oauth');
		expect(error.httpStatus).toBe(401);
		expect(error.oauthError).toBe('invalid_client');
		expect(error.message).toBe(
			'The token endpoint refused the token request (HTTP 401, invalid_client: Client authentication failed). Check the Client ID and Client Secret, and whether the server expects them in the body or in a Basic header (Client Authentication). See https://as.test/e.',
		);
	});

	it.each([
		['an HTML page', respond(500, '<!DOCTYPE html><html><title>Oops</title></html>', 'text/html'), /HTTP 500 with an HTML page \("Oops"\) instead of JSON/],
		['an empty body', respond(503, '', 'text/plain'), /HTTP 503 with an empty body/],
		['non-JSON text', respond(502, 'bad gateway', 'text/plain'), /HTTP 502 with a non-JSON body \("bad gateway"\)/],
		['a JSON body without error', respond(404, { message: 'nope' }), /HTTP 404 with a JSON body without an OAuth "error".*Check the Token URL/],
	])('says what happened for %s', (_what, response, message) => {
		const error = errorOf(response);
		expect(error.kind).toBe('http');
		expect(error.message).toMatch(message);
	});

	it('never quotes a 2xx body that is not a token response', () => {
		const error = errorOf(respond(200, 'access=eyJhbGciOi.secret-looking-token', 'text/plain'));
		expect(error.kind).toBe('invalid_response');
		expect(error.message).not.toContain('eyJhbGciOi');
		expect(errorOf(respond(200, '<html><title>Login</title></html>', 'text/html')).message).toMatch(/an HTML page instead of a JSON token response/);
	});

	it('requires access_token', () => {
		expect(errorOf(respond(200, { token_type: 'bearer' })).message).toMatch(/without an "access_token"/);
	});

	it('redacts the secret, raw and URL-encoded, wherever the server echoes it', () => {
		for (const echoed of [SECRET, encodeURIComponent(SECRET)]) {
			const oauth = errorOf(respond(400, { error: 'invalid_request', error_description: `bad ${echoed}` }));
			const text = errorOf(respond(500, `failed for ${echoed}`, 'text/plain'));
			for (const error of [oauth, text]) {
				expect(error.message).not.toContain(SECRET);
				expect(error.message).toContain('[redacted]');
			}
			expect(oauth.errorDescription).not.toContain(SECRET);
		}
	});
});
