import {
	buildTokenRequest,
	clientCredentialsParameters,
	clientSecretBasic,
	clientSecretPost,
	JSON_CONTENT_TYPE,
	OAuth2Error,
	parseResources,
	validateTokenUrl,
} from '../../packages/n8n-nodes-cybersource/lib/oauth2';

const tokenUrl = 'https://as.example.test/oauth/token?tenant=a';

describe('building the client credentials token request', () => {
	it('sends grant_type, scope, resources and audience as a form body by default, client credentials in the body', async () => {
		const request = await buildTokenRequest({
			tokenUrl,
			grantType: 'client_credentials',
			parameters: clientCredentialsParameters({ scope: ' read   write ', resource: 'https://api.one.test/ https://api.two.test/x', audience: 'api://aud' }),
			clientAuthentication: clientSecretPost('client', 's p+c'),
		});
		expect(request.method).toBe('POST');
		expect(request.url).toBe(tokenUrl);
		expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		expect(request.headers.Accept).toBe('application/json');
		expect([...new URLSearchParams(request.body)]).toEqual([
			['grant_type', 'client_credentials'],
			['scope', 'read write'],
			['resource', 'https://api.one.test/'],
			['resource', 'https://api.two.test/x'],
			['audience', 'api://aud'],
			['client_id', 'client'],
			['client_secret', 's p+c'],
		]);
	});

	it('puts custom parameters in the body, a header or the URL query as each one says', async () => {
		const request = await buildTokenRequest({
			tokenUrl,
			grantType: 'client_credentials',
			clientAuthentication: clientSecretBasic('client', 'secret'),
			customParameters: [
				{ key: 'tenant_hint', value: 'a b', sendAs: 'body' },
				{ key: 'X-Tenant', value: 't1', sendAs: 'header' },
				{ key: 'x-tenant', value: 't2', sendAs: 'header' },
				{ key: 'api-version', value: '2.0', sendAs: 'query' },
			],
		});
		const url = new URL(request.url);
		expect(url.searchParams.getAll('tenant')).toEqual(['a']);
		expect(url.searchParams.getAll('api-version')).toEqual(['2.0']);
		expect(request.headers['X-Tenant']).toBe('t1, t2');
		expect(new URLSearchParams(request.body).get('tenant_hint')).toBe('a b');
		expect(new URLSearchParams(request.body).has('client_secret')).toBe(false);
		expect(request.headers.Authorization).toMatch(/^Basic /);
	});

	it('lets no custom header overwrite client authentication: an Authorization entry is refused', async () => {
		await expect(
			buildTokenRequest({
				tokenUrl,
				grantType: 'client_credentials',
				clientAuthentication: clientSecretBasic('client', 'secret'),
				customParameters: [{ key: 'Authorization', value: 'Bearer forged', sendAs: 'header' }],
			}),
		).rejects.toThrow(/^Custom Parameters: entry 1 \("Authorization"\): the Authorization header frames or authenticates the request/);
	});

	it('sends a JSON body when asked, repeated keys becoming arrays', async () => {
		const request = await buildTokenRequest({
			tokenUrl,
			grantType: 'client_credentials',
			parameters: clientCredentialsParameters({ resource: 'https://a.test/ https://b.test/' }),
			clientAuthentication: clientSecretPost('client', 'secret'),
			contentType: JSON_CONTENT_TYPE,
			customParameters: [{ key: 'extra', value: '1', sendAs: 'body' }],
		});
		expect(request.headers['Content-Type']).toBe('application/json');
		expect(JSON.parse(request.body!)).toEqual({
			grant_type: 'client_credentials',
			resource: ['https://a.test/', 'https://b.test/'],
			client_id: 'client',
			client_secret: 'secret',
			extra: '1',
		});
	});

	it('refuses a bad custom parameter before building anything', async () => {
		await expect(
			buildTokenRequest({
				tokenUrl,
				grantType: 'client_credentials',
				clientAuthentication: clientSecretPost('client', 'secret'),
				customParameters: [{ key: 'Client_Secret', value: 'x', sendAs: 'query' }],
			}),
		).rejects.toThrow(/^Custom Parameters: entry 1 \("Client_Secret"\): the key "Client_Secret" is reserved/);
	});
});

describe('validating URLs', () => {
	it.each([
		['', /Token URL: is empty/],
		['auth.example.com/token', /is not a valid URL/],
		['ftp://auth.example.com/token', /must start with https:\/\//],
		['https://auth.example.com/token#x', /must not contain a fragment/],
		['https://user:pw@auth.example.com/token', /must not contain a user name or password/],
	])('rejects the token URL %p', (url, message) => {
		expect(() => validateTokenUrl(url)).toThrow(message);
		try {
			validateTokenUrl(url);
		} catch (error) {
			expect((error as OAuth2Error).field).toBe('Token URL');
		}
	});

	it('accepts several resources and rejects relative or fragment URIs (RFC 8707 §2)', () => {
		expect(parseResources(' https://a.test/\nurn:example:b ')).toEqual(['https://a.test/', 'urn:example:b']);
		expect(() => parseResources('/relative')).toThrow(/^Resource: "\/relative" is not an absolute URI/);
		expect(() => parseResources('https://a.test/#frag')).toThrow(/must not contain a fragment/);
	});
});
