import { X509Certificate, type KeyObject } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	httpSignatureHeaders,
	hasSignedBody,
	merchantJwtHeaders,
	type MerchantJwtKey,
	type SignedRequest,
} from '../cybersource/merchantSignature';
import {
	decryptedAnswer,
	encryptedRequestBody,
	isEncryptedResponse,
	requestEncryptionKey,
	responseDecryptionKey,
	subjectSerialNumber,
	type RequestEncryptionKey,
} from '../cybersource/messageEncryption';
import { requestEncryptionNeed } from '../cybersource/mleEndpoints';
import { fieldError } from '../oauth2/errors';
import { loadPrivateKey } from '../oauth2/jwtAssertion';
import { pemBlocks } from '../oauth2/pem';
import { validateTokenUrl } from '../oauth2/tokenRequest';
import { text } from './credentialFields';

/**
 * "Cybersource API" (merchant key) as n8n sees it: the credential's fields read once into a
 * signer (the secret decoded, the key parsed), and `authenticate`, which signs each request as
 * it will be sent. The body is serialized here, so the digest covers exactly the bytes n8n sends.
 */
export const MERCHANT_TYPE = 'cybersourceApi';

export const MERCHANT_HOSTS: Record<string, string> = {
	test: 'https://apitest.cybersource.com',
	production: 'https://api.cybersource.com',
	india: 'https://api.in.cybersource.com',
};

export interface MerchantSigner {
	apiBaseUrl: string;
	sign(request: SignedRequest): Record<string, string>;
	/** Message-level encryption (CYBERSOURCE-MLE.md §2-§3). */
	encryption: MessageEncryption;
}

export type RequestEncryptionChoice = 'never' | 'whereRequired' | 'whereAccepted';

export interface MessageEncryption {
	/** HTTP Signature cannot carry MLE: only a JWT can. */
	jwt: boolean;
	when: RequestEncryptionChoice;
	requestKey?: RequestEncryptionKey;
	/** Set when answers are to come encrypted (`v-c-response-mle-kid`). */
	response?: { keyId: string; privateKey: KeyObject };
}

const FIELDS = {
	type: 'Authentication Type',
	when: 'Encrypt Requests (MLE)',
	certificate: 'MLE Certificate',
	response: 'Encrypted Answers (Response MLE)',
	responseKeyId: 'Response MLE Key ID',
	responseKey: 'Response MLE Private Key',
};

const CHOICES: readonly RequestEncryptionChoice[] = ['never', 'whereRequired', 'whereAccepted'];

/** Reads the MLE fields; refuses what cannot work (HTTP Signature with MLE, a missing key) naming the fields. */
function messageEncryption(credentials: ICredentialDataDecryptedObject, jwt: boolean): MessageEncryption {
	const when = (text(credentials, 'requestEncryption') || 'whereRequired') as RequestEncryptionChoice;
	if (!CHOICES.includes(when)) throw fieldError(FIELDS.when, `must be never, whereRequired or whereAccepted, not "${when}".`);
	const certificate = text(credentials, 'mleCertificate').trim();
	const requestKey = certificate === '' || when === 'never' ? undefined : requestEncryptionKey(certificate, FIELDS.certificate);
	if (when === 'whereAccepted' && requestKey === undefined) {
		throw fieldError(FIELDS.certificate, `is empty, but ${FIELDS.when} is Wherever Cybersource Accepts It: paste Cybersource's MLE certificate (see the README), or choose Where Cybersource Requires It.`);
	}
	const encryption: MessageEncryption = { jwt, when, requestKey };
	if (credentials.responseEncryption === true) {
		const keyId = text(credentials, 'responseMleKeyId').trim();
		if (keyId === '') throw fieldError(FIELDS.responseKeyId, 'is empty. Copy the key ID of the REST – API Response MLE key from the Business Center (Key Management).');
		if (text(credentials, 'responseMlePrivateKey').trim() === '') throw fieldError(FIELDS.responseKey, 'is empty. Paste the PEM private key of the REST – API Response MLE key (see the README).');
		encryption.response = { keyId, privateKey: responseDecryptionKey(text(credentials, 'responseMlePrivateKey'), FIELDS.responseKey) };
	}
	if (!jwt && (when === 'whereAccepted' || encryption.response !== undefined)) {
		const chosen = when === 'whereAccepted' ? FIELDS.when : FIELDS.response;
		throw fieldError(FIELDS.type, `HTTP Signature cannot carry message-level encryption, which ${chosen} asks for: choose a JWT authentication type (the same shared secret works for JWT HS256), or turn ${chosen} off.`);
	}
	return encryption;
}

/**
 * The request body to send: encrypted when Cybersource requires it for this endpoint, or accepts
 * it and the credential asks for it. A request Cybersource requires encrypted that cannot be is
 * refused before it is sent, naming the fields to change.
 */
function bodyToSend(encryption: MessageEncryption, method: string, path: string, body: string): string {
	const need = requestEncryptionNeed(method, path);
	if (body === '' || need === 'none' || (need === 'optional' && encryption.when !== 'whereAccepted')) return body;
	if (!encryption.jwt || encryption.when === 'never' || encryption.requestKey === undefined) {
		throw fieldError(
			FIELDS.when,
			`${method} ${path} must be sent encrypted (Cybersource requires message-level encryption for it): choose a JWT ${FIELDS.type}, paste the ${FIELDS.certificate}, and do not set ${FIELDS.when} to Never.`,
		);
	}
	return encryptedRequestBody(body, encryption.requestKey);
}

/**
 * An answer of Cybersource to a request signed with this credential, as everything else reads it:
 * decrypted when it came as `{"encryptedResponse": ...}`, else as it is. Errors name the field.
 */
export function merchantAnswer(credentials: ICredentialDataDecryptedObject, body: unknown): unknown {
	// A plain answer needs no key: the signer (found by joining the credential's fields) is not looked up.
	if (!isEncryptedResponse(body)) return body;
	return decryptedAnswer(body, signerOf(credentials).encryption.response?.privateKey, FIELDS.responseKey);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function sharedSecret(credentials: ICredentialDataDecryptedObject): Buffer {
	const value = text(credentials, 'sharedSecretKey').trim();
	if (value === '') throw fieldError('Shared Secret Key', 'is empty. Paste the shared secret of the REST key from the Business Center (Key Management).');
	if (!BASE64.test(value)) throw fieldError('Shared Secret Key', 'is not base64. Paste the shared secret exactly as the Business Center shows it (letters, digits, + and /, ending in =).');
	return Buffer.from(value, 'base64');
}

function keyId(credentials: ICredentialDataDecryptedObject): string {
	const value = text(credentials, 'keyId').trim();
	if (value === '') throw fieldError('Key ID', 'is empty. Copy the key ID (a UUID) of the REST key from the Business Center.');
	return value;
}

/** The JWT `kid` of a P12 certificate: the serialNumber attribute of its subject. */
function certificateSerial(certificatePem: string, privateKey: KeyObject): string {
	const block = pemBlocks(certificatePem).find((b) => b.label === 'CERTIFICATE');
	if (block === undefined) throw fieldError('Certificate', 'is not a PEM certificate. Convert the .p12 with openssl (see the README) and paste the BEGIN CERTIFICATE block.');
	const certificate = new X509Certificate(block.pem);
	if (!certificate.checkPrivateKey(privateKey)) throw fieldError('Private Key', 'does not belong to the Certificate. Paste the key and certificate from the same .p12 file.');
	const serial = subjectSerialNumber(certificate);
	if (!serial) throw fieldError('Certificate', "has no serialNumber in its subject; use the certificate of the .p12 file Cybersource generated for this merchant.");
	return serial;
}

function apiBaseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const environment = text(credentials, 'environment') || 'test';
	if (environment === 'custom') return validateTokenUrl(text(credentials, 'baseUrl'), 'Base URL').toString().replace(/\/+$/, '');
	const host = MERCHANT_HOSTS[environment];
	if (host === undefined) throw fieldError('Environment', `must be test, production, india or custom, not "${environment}".`);
	return host;
}

/** Reads and checks every field; throws a field-named error before anything is sent. */
export function merchantSigner(credentials: ICredentialDataDecryptedObject): MerchantSigner {
	const apiBaseUrl = apiBaseUrlOf(credentials);
	const merchantId = text(credentials, 'merchantId').trim();
	if (merchantId === '') throw fieldError('Merchant ID', 'is empty. Enter the merchant ID the REST key belongs to.');
	const type = text(credentials, 'authenticationType') || 'httpSignature';
	if (type === 'httpSignature') {
		const key = { merchantId, keyId: keyId(credentials), secret: sharedSecret(credentials) };
		return { apiBaseUrl, sign: (request) => httpSignatureHeaders(key, request), encryption: messageEncryption(credentials, false) };
	}
	let key: MerchantJwtKey;
	if (type === 'jwtHs256') {
		key = { merchantId, algorithm: 'HS256', keyId: keyId(credentials), secret: sharedSecret(credentials) };
	} else if (type === 'jwtRs256') {
		const privateKey = loadPrivateKey(text(credentials, 'privateKey'), text(credentials, 'privateKeyPassphrase'), { key: 'Private Key', passphrase: 'Private Key Passphrase' });
		if (privateKey.asymmetricKeyType !== 'rsa') throw fieldError('Private Key', 'is not an RSA key; RS256 needs the RSA key of the .p12 file.');
		key = { merchantId, algorithm: 'RS256', privateKey, keyId: certificateSerial(text(credentials, 'certificate'), privateKey) };
	} else {
		throw fieldError('Authentication Type', `must be httpSignature, jwtRs256 or jwtHs256, not "${type}".`);
	}
	const encryption = messageEncryption(credentials, true);
	const responseKid = encryption.response?.keyId;
	return { apiBaseUrl, sign: (request) => merchantJwtHeaders(key, request, undefined, responseKid), encryption };
}

/**
 * n8n decrypts a fresh copy of the credential for every request: signers are kept by the fields
 * that shape them, so the secret is decoded and the key parsed once.
 */
const MAX_SIGNERS = 1000;
const signers = new Map<string, MerchantSigner>();

/** The fields that shape a signer, joined: the key material of RS256 only when RS256 is chosen. */
function signerKey(credentials: ICredentialDataDecryptedObject): string {
	const type = text(credentials, 'authenticationType');
	const fields = ['environment', 'baseUrl', 'merchantId', 'authenticationType', 'keyId', 'sharedSecretKey', 'requestEncryption', 'mleCertificate'];
	if (type === 'jwtRs256') fields.push('certificate', 'privateKey', 'privateKeyPassphrase');
	if (credentials.responseEncryption === true) fields.push('responseMleKeyId', 'responseMlePrivateKey');
	return [String(credentials.responseEncryption === true), ...fields.map((field) => text(credentials, field))].join('\u0000');
}

export function signerOf(credentials: ICredentialDataDecryptedObject): MerchantSigner {
	const raw = signerKey(credentials);
	let signer = signers.get(raw);
	if (signer === undefined) {
		signer = merchantSigner(credentials);
		if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value as string);
		signers.set(raw, signer);
	}
	return signer;
}

type AnyRequestOptions = IHttpRequestOptions & { uri?: string; form?: IDataObject; formData?: unknown };

function queryPairs(qs: IDataObject | undefined): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	for (const [name, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null) continue;
		for (const item of Array.isArray(value) ? value : [value]) pairs.push([name, typeof item === 'object' ? JSON.stringify(item) : String(item)]);
	}
	return pairs;
}

function headerIndex(headers: IDataObject, name: string): string | undefined {
	return Object.keys(headers).find((key) => key.toLowerCase() === name);
}

/**
 * Signs one request, as n8n's current (`url`, `qs`, `body`) or legacy (`uri`, `qs`, `body`,
 * `form`) helper will send it. The query moves into the URL and the body becomes the exact
 * string sent, so that what is signed is what goes out.
 */
export async function merchantAuthenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const signer = signerOf(credentials);
	const options = { ...(requestOptions as AnyRequestOptions) };
	const legacy = options.uri !== undefined && options.url === undefined;
	const url = new URL(legacy ? (options.uri as string) : options.url, options.baseURL ?? `${signer.apiBaseUrl}/`);
	for (const [name, value] of queryPairs(options.qs)) url.searchParams.append(name, value);
	delete options.qs;
	delete options.baseURL;
	const headers: IDataObject = { ...(options.headers ?? {}) };
	const method = (options.method ?? 'GET').toUpperCase();
	let body: string | undefined;
	if (hasSignedBody(method)) {
		if (options.formData !== undefined) throw fieldError('Body', 'a multipart (form-data) body cannot be signed for Cybersource; send JSON.');
		const raw: unknown = options.form ?? options.body;
		if (options.form !== undefined || raw instanceof URLSearchParams) {
			body = new URLSearchParams(raw as Record<string, string>).toString();
			headers[headerIndex(headers, 'content-type') ?? 'Content-Type'] = 'application/x-www-form-urlencoded';
		} else if (raw === undefined || raw === null || raw === '') body = '';
		else if (typeof raw === 'string') body = raw.trim();
		else if (Buffer.isBuffer(raw)) body = raw.toString('utf8');
		else {
			body = JSON.stringify(raw);
			if (headerIndex(headers, 'content-type') === undefined) headers['Content-Type'] = 'application/json';
		}
		delete options.form;
		const sent = bodyToSend(signer.encryption, method, url.pathname, body);
		if (sent !== body) {
			headers[headerIndex(headers, 'content-type') ?? 'Content-Type'] = 'application/json';
			body = sent;
		}
		options.body = body;
	}
	const pathWithQuery = `${url.pathname}${url.search}`;
	for (const [name, value] of Object.entries(signer.sign({ method, host: url.host, pathWithQuery, body }))) {
		const existing = headerIndex(headers, name.toLowerCase());
		if (existing !== undefined) delete headers[existing];
		headers[name] = value;
	}
	if (legacy) options.uri = url.toString();
	else options.url = url.toString();
	return { ...options, headers };
}
