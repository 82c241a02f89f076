import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { SignatureKey } from '../cybersource/notifications';
import { OAuth2Error } from '../oauth2/errors';
import type { IssuerClient } from '../oauth2/tokenIssuer';

/** The credential type that holds the trigger's keys (credentials/CybersourceWebhookApi). */
export const WEBHOOK_KEYS_TYPE = 'cybersourceWebhookApi';

/** A secret shorter than this is guessable; the trigger's token endpoint is public. */
export const MIN_CLIENT_SECRET_LENGTH = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Cybersource's key IDs are UUIDs (8-4-4-4-12 hexadecimal digits). */
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fieldError(field: string, message: string): OAuth2Error {
	return new OAuth2Error('configuration', `${field}: ${message}`, { field });
}

function text(credentials: ICredentialDataDecryptedObject, name: string): string {
	const value = credentials[name];
	return typeof value === 'string' ? value.trim() : '';
}

/** The digital signature key, checked (never echoed): base64 of at least 16 bytes. */
export function signatureKeyOf(credentials: ICredentialDataDecryptedObject): SignatureKey {
	const keyId = text(credentials, 'signatureKeyId');
	if (keyId === '') throw fieldError('Digital Signature Key ID', 'missing. Copy keyInformation.keyId from the answer of Webhook Key > Create Shared Secret Key.');
	if (!KEY_ID.test(keyId)) {
		throw fieldError('Digital Signature Key ID', 'is not a key ID: Cybersource\'s are UUIDs such as d8512fb5-1d8c-4f2d-e053-3cb8d30a764c. Copy keyInformation.keyId, not the key.');
	}
	const encoded = text(credentials, 'signatureSecret');
	if (encoded === '') throw fieldError('Digital Signature Key', 'missing. Copy keyInformation.key from the answer of Webhook Key > Create Shared Secret Key.');
	if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) throw fieldError('Digital Signature Key', 'is not base64 (copy the key exactly as Cybersource returned it).');
	const key = Buffer.from(encoded, 'base64');
	if (key.length < 16) throw fieldError('Digital Signature Key', 'is too short to be a Cybersource key (copy the whole key).');
	return { keyId, key };
}

/** The OAuth client of the OAuth-protected mode, checked. */
export function issuerClientOf(credentials: ICredentialDataDecryptedObject): IssuerClient {
	const clientId = text(credentials, 'oAuthClientId');
	if (clientId === '') throw fieldError('OAuth Client ID', 'missing. The OAuth-protected mode needs a client ID and secret in the Cybersource Webhook Keys credential.');
	if (/[\s:]/.test(clientId)) throw fieldError('OAuth Client ID', 'must not contain spaces or ":" (it travels in a Basic header).');
	const clientSecret = typeof credentials.oAuthClientSecret === 'string' ? credentials.oAuthClientSecret : '';
	if (clientSecret.length < MIN_CLIENT_SECRET_LENGTH) {
		throw fieldError('OAuth Client Secret', `must be at least ${MIN_CLIENT_SECRET_LENGTH} characters (e.g. openssl rand -base64 32).`);
	}
	return { clientId, clientSecret };
}

/** The credential test: every field checked locally, the OAuth client only when one is entered. */
export function checkWebhookKeys(credentials: ICredentialDataDecryptedObject): string {
	signatureKeyOf(credentials);
	const hasClient = text(credentials, 'oAuthClientId') !== '' || text(credentials, 'oAuthClientSecret') !== '';
	if (hasClient) issuerClientOf(credentials);
	return hasClient
		? 'The digital signature key and the OAuth client are well-formed (Cybersource confirms neither until it delivers)'
		: 'The digital signature key is well-formed (Cybersource confirms it only when it delivers)';
}
