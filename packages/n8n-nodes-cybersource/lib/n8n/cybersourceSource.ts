import { randomUUID } from 'node:crypto';

import { sleep, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { endpointsFor, type CybersourceEndpoints } from '../cybersource/hosts';
import { grantOf, lineageOf, RefreshLedger } from '../cybersource/refreshLedger';
import { CYBERSOURCE_TOKEN_ERROR_HINTS } from '../cybersource/tokenErrors';
import { clientSecretPost } from '../oauth2/clientAuthentication';
import { fieldError, OAuth2Error } from '../oauth2/errors';
import { fingerprint } from '../oauth2/fingerprint';
import type { SendHttpRequest } from '../oauth2/http';
import { checkClientTls, clientTls, type ClientTlsFields, type ClientTlsMaterial } from '../oauth2/mutualTls';
import { requestToken } from '../oauth2/tokenEndpoint';
import type { TokenSet } from '../oauth2/tokenResponse';
import type { TokenSource } from './bearerAuth';
import { text } from './credentialFields';

export const CYBERSOURCE_TYPE = 'cybersourceOAuth2Api';
export const CYBERSOURCE_ENDPOINT_NAME = "Cybersource's token endpoint";

const TLS_FIELDS: ClientTlsFields = {
	certificate: 'Client Certificate',
	privateKey: 'Client Private Key',
	passphrase: 'Client Private Key Passphrase',
	ca: 'CA Certificate',
};

/** What this process knows of every merchant grant's refresh tokens (lib/cybersource/refreshLedger). */
const ledger = new RefreshLedger();

/** The hidden field that carries the grant's lineage beside the refresh token (not a secret: digests). */
export const LINEAGE_FIELD = 'grantLineage';

export interface CybersourceConnection {
	endpoints: CybersourceEndpoints;
	clientId: string;
	clientSecret: string;
	redirectUrl: string;
	sendCorrelationId: boolean;
	tls: ClientTlsMaterial;
}

/** The partner application's settings, without the merchant's refresh token. */
export function cybersourceConnection(credentials: ICredentialDataDecryptedObject): CybersourceConnection {
	const endpoints = endpointsFor(text(credentials, 'environment') || 'test', {
		apiBaseUrl: text(credentials, 'apiBaseUrl'),
		authorizationBaseUrl: text(credentials, 'authorizationBaseUrl'),
	});
	const clientId = text(credentials, 'clientId');
	if (clientId.trim() === '') throw fieldError('Client ID', 'is empty. Copy it from Authorized Applications in the Business Center.');
	const clientSecret = text(credentials, 'clientSecret');
	if (clientSecret === '') throw fieldError('Client Secret', 'is empty. Copy it from Authorized Applications in the Business Center.');
	return {
		endpoints,
		clientId,
		clientSecret,
		redirectUrl: text(credentials, 'redirectUrl'),
		sendCorrelationId: credentials.sendCorrelationId !== false,
		tls: clientTls(
			{
				certificate: text(credentials, 'clientCertificate'),
				privateKey: text(credentials, 'clientPrivateKey'),
				passphrase: text(credentials, 'clientPrivateKeyPassphrase'),
				ca: text(credentials, 'caCertificate'),
			},
			TLS_FIELDS,
		),
	};
}

/** Every field of the credential, checked without a request: the connection, the certificate and key, the refresh token's presence. */
export function checkCybersourceCredential(credentials: ICredentialDataDecryptedObject): void {
	cybersourceSource(credentials);
	checkClientTls(cybersourceConnection(credentials).tls, TLS_FIELDS);
}

/**
 * One request to Cybersource's token endpoint: form body only, client id and secret in the
 * body, a fresh `v-c-client-correlation-id`, the client certificate on the connection
 * (../shared/seeds/001). Every failure arrives as HTTP 500 with an OAuth code; each code's
 * hint says what to do.
 */
export async function cybersourceTokenRequest(
	connection: CybersourceConnection,
	grant: { grantType: 'refresh_token' | 'authorization_code'; parameters: Array<[string, string]> },
	send: SendHttpRequest,
): Promise<TokenSet> {
	checkClientTls(connection.tls, TLS_FIELDS);
	return await requestToken(
		{
			tokenUrl: connection.endpoints.tokenUrl,
			grantType: grant.grantType,
			parameters: grant.parameters,
			clientAuthentication: clientSecretPost(connection.clientId, connection.clientSecret),
			headers: connection.sendCorrelationId ? { 'v-c-client-correlation-id': randomUUID() } : {},
		},
		send,
		{
			endpoint: CYBERSOURCE_ENDPOINT_NAME,
			hints: CYBERSOURCE_TOKEN_ERROR_HINTS,
			secrets: grant.parameters.map(([, value]) => value),
		},
	);
}

/** The merchant's refresh token in a copy of the credential, and the grant it belongs to. */
function grantIn(credentials: ICredentialDataDecryptedObject): { grant: string; refreshToken: string } {
	const refreshToken = text(credentials, 'refreshToken').trim();
	return { grant: grantOf(refreshToken, text(credentials, LINEAGE_FIELD)), refreshToken };
}

/**
 * "Cybersource OAuth2 API" as a token source: refresh_token grant. The cache key names the
 * merchant's grant, not its current refresh token, so an access token keeps serving in this
 * process whoever rotated the refresh token last; a refresh sends the newest refresh token this
 * process knows of (lib/cybersource/refreshLedger), and only the new refresh token it receives
 * is handed to n8n to store, with its lineage.
 */
export function cybersourceSource(credentials: ICredentialDataDecryptedObject): TokenSource {
	const connection = cybersourceConnection(credentials);
	const { grant, refreshToken: stored } = grantIn(credentials);
	if (stored === '') {
		throw fieldError(
			'Refresh Token',
			'is empty. Authorize the merchant first (Cybersource node: OAuth > Get Authorization URL, then Exchange Authorization Code) and paste the refresh token it returns.',
		);
	}
	const { endpoints, clientId, clientSecret, tls } = connection;
	return {
		key: `${CYBERSOURCE_TYPE}:${fingerprint({ tokenUrl: endpoints.tokenUrl, clientId, clientSecret, grant, tls })}`,
		tls,
		fetch: async (send) => {
			const sent = ledger.tokenToSend(grant, stored);
			if (ledger.isSpent(grant, sent)) throw alreadyUsed();
			const token = await cybersourceTokenRequest(connection, { grantType: 'refresh_token', parameters: [['refresh_token', sent]] }, send).catch(
				(error: unknown) => {
					if (refreshTokenRefused(error)) ledger.refused(grant, sent);
					throw error;
				},
			);
			if (token.refreshToken !== undefined) ledger.rotated(grant, sent, token.refreshToken);
			return token;
		},
		issued: (token) =>
			token.refreshToken === undefined ? undefined : { refreshToken: token.refreshToken, [LINEAGE_FIELD]: lineageOf(grant, token.refreshToken) },
	};
}

/** The refresh token to send was refused before: it is not sent again (Cybersource would refuse it). */
function alreadyUsed(): OAuth2Error {
	return new OAuth2Error(
		'oauth',
		`${CYBERSOURCE_ENDPOINT_NAME} already refused this refresh token in this n8n process (invalid_request), and no newer one is stored in the credential. ${CYBERSOURCE_TOKEN_ERROR_HINTS.invalid_request}`,
		{ oauthError: 'invalid_request' },
	);
}

/** Cybersource refused the refresh token: `invalid_request` is its answer for one already used. */
function refreshTokenRefused(error: unknown): boolean {
	return error instanceof OAuth2Error && error.kind === 'oauth' && error.oauthError === 'invalid_request';
}

const REREAD_ATTEMPTS = 3;
const REREAD_INTERVAL_MS = 1000;

/**
 * Two n8n processes (queue-mode workers, or `n8n execute` next to the server) that refresh the
 * same merchant at the same moment both send the newest refresh token they know; Cybersource
 * rotates it for the first and refuses it for the second. The first stores the new token at
 * once, so the second reads the credential again (a few times, a second apart, while the first
 * is storing): a refresh token there that this process has not used up is the one to use.
 * Returns that copy of the credential, or undefined when the failure was something else or
 * nothing usable appeared. Safe: the token request failed, so the API request it was for was
 * never sent.
 */
export async function newerStoredRefreshToken(
	error: unknown,
	read: () => Promise<ICredentialDataDecryptedObject>,
): Promise<ICredentialDataDecryptedObject | undefined> {
	if (!refreshTokenRefused(error)) return undefined;
	for (let attempt = 0; attempt < REREAD_ATTEMPTS; attempt++) {
		if (attempt > 0) await sleep(REREAD_INTERVAL_MS);
		const stored = await read();
		const { grant, refreshToken } = grantIn(stored);
		if (refreshToken !== '' && !ledger.isSpent(grant, refreshToken)) return stored;
	}
	return undefined;
}
