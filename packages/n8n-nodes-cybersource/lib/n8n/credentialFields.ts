import type { ICredentialDataDecryptedObject, ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

import type { CustomParameter, ParameterPlacement } from '../oauth2/customParameters';
import { FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, type TokenContentType } from '../oauth2/tokenRequest';
import { accessTokenProperty } from './bearerAuth';

/**
 * Fields shared by the generic OAuth2 credentials (client credentials, JWT client assertion).
 * Their names are part of the contract: users' stored credentials depend on them.
 */
export const tokenUrlProperty: INodeProperties = {
	displayName: 'Token URL',
	name: 'tokenUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://auth.example.com/oauth/token',
	description: "The authorization server's token endpoint",
};

export const scopeProperty: INodeProperties = {
	displayName: 'Scope',
	name: 'scope',
	type: 'string',
	default: '',
	placeholder: 'read write',
	description: 'Space-separated scopes to request (RFC 6749 §3.3). Leave empty for the server default.',
};

export const contentTypeProperty: INodeProperties = {
	displayName: 'Content Type',
	name: 'contentType',
	type: 'options',
	options: [
		{ name: 'Form (application/x-www-form-urlencoded)', value: FORM_CONTENT_TYPE, description: 'What RFC 6749 specifies; almost every server expects it' },
		{ name: 'JSON (application/json)', value: JSON_CONTENT_TYPE, description: 'For servers that only accept a JSON body' },
	],
	default: FORM_CONTENT_TYPE,
	description: 'How the token request body is encoded',
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'string',
	default: '',
	placeholder: 'https://api.example.com/',
	description:
		'Absolute URI of the API the token is for (RFC 8707 resource indicator), sent as "resource". Separate several with spaces.',
};

export const audienceProperty: INodeProperties = {
	displayName: 'Audience',
	name: 'audience',
	type: 'string',
	default: '',
	description: 'Identifier of the API the token is for, sent as "audience" (Auth0, Okta and others use it instead of Resource)',
};

export const customParametersProperty: INodeProperties = {
	displayName: 'Custom Parameters',
	name: 'customParameters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Parameter',
	default: {},
	description:
		'Extra parameters for the token request, each sent in the body, as a header or in the URL. At most 20; key and value each 1 to 1024 characters; not client_id, client_secret or grant_type; no exact duplicates.',
	options: [
		{
			name: 'parameter',
			displayName: 'Parameter',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '', description: 'Parameter or header name' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				{
					displayName: 'Send As',
					name: 'sendAs',
					type: 'options',
					options: [
						{ name: 'Body Parameter', value: 'body' },
						{ name: 'Header', value: 'header' },
						{ name: 'URL Query Parameter', value: 'query' },
					],
					default: 'body',
					description: 'Where the parameter goes in the token request',
				},
			],
		},
	],
};

/** The fields after the client authentication, the same in both generic credentials. */
export const grantProperties = (): INodeProperties[] => [
	scopeProperty,
	contentTypeProperty,
	resourceProperty,
	audienceProperty,
	customParametersProperty,
	accessTokenProperty,
];

/**
 * The credential test sends the token request itself: `authenticate` turns a request to the
 * token endpoint into the client-authenticated token request, so a green test means a token.
 */
export const tokenEndpointTest = (): ICredentialTestRequest => ({
	request: { method: 'POST', url: '={{$credentials.tokenUrl}}' },
});

export function text(credentials: ICredentialDataDecryptedObject, field: string): string {
	const value = credentials[field];
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

export function contentTypeOf(credentials: ICredentialDataDecryptedObject): TokenContentType {
	return (text(credentials, 'contentType') || FORM_CONTENT_TYPE) as TokenContentType;
}

/** The fixedCollection value `{ parameter: [{ key, value, sendAs }] }` as a list. */
export function customParametersOf(credentials: ICredentialDataDecryptedObject): CustomParameter[] {
	const collection = credentials.customParameters as { parameter?: unknown } | undefined;
	const entries = Array.isArray(collection?.parameter) ? (collection.parameter as Array<Record<string, unknown>>) : [];
	// Entries come from the editor, an import or the API: a null entry or a null value is
	// possible and is reported as empty (by position), never sent as the text "null".
	return entries.map((raw) => {
		const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
		const value = entry.value;
		return {
			key: typeof entry.key === 'string' ? entry.key : '',
			value: typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '',
			sendAs: ((entry.sendAs as string | undefined) ?? 'body') as ParameterPlacement,
		};
	});
}
