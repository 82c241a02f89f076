/** The n8n-free OAuth2 client core. Nothing here imports n8n. */
export * from './clientAuthentication';
export * from './customParameters';
export * from './errors';
export * from './fingerprint';
export * from './http';
export * from './jwtAssertion';
export * from './mutualTls';
export * from './pem';
export * from './tokenCache';
export * from './tokenEndpoint';
export * from './tokenRequest';
export * from './tokenResponse';
