import { fieldError } from './errors';

/**
 * Custom token-request parameters, with the rules of SAP Cloud Integration's OAuth2 Client
 * Credentials artifact (../shared/seeds/004): at most 20 entries; key and value non-empty, not
 * whitespace only, at most 1024 characters; the key is never client_id, client_secret or
 * grant_type; no two entries with the same key, value and place.
 */
export type ParameterPlacement = 'body' | 'header' | 'query';

export interface CustomParameter {
	key: string;
	value: string;
	sendAs: ParameterPlacement;
}

export const MAX_CUSTOM_PARAMETERS = 20;
export const MAX_CUSTOM_PARAMETER_LENGTH = 1024;
export const RESERVED_PARAMETER_KEYS: readonly string[] = ['client_id', 'client_secret', 'grant_type'];

const FIELD = 'Custom Parameters';
const PLACEMENTS: readonly ParameterPlacement[] = ['body', 'header', 'query'];
/** RFC 9110 §5.6.2 token characters: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * Control characters other than horizontal tab may not appear in a header value (RFC 9110 §5.5):
 * U+0000-U+0008, U+000A-U+001F and U+007F (the C1 range U+0080-U+009F is obs-text, allowed).
 */
const HEADER_VALUE_FORBIDDEN = /(?![\t\u0080-\u009f])\p{Cc}/u;
/** Half of a UTF-16 surrogate pair: not a character, and no encoding can carry it. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Header values travel as Latin-1 (ISO-8859-1); n8n's HTTP client drops anything beyond it. */
const BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/u;
/**
 * Headers that frame or authenticate the request: the HTTP client, the Content Type field and
 * the client authentication set them, and a second value breaks the request.
 */
const CONTROLLED_HEADERS = new Set([
	'accept',
	'authorization',
	'connection',
	'content-length',
	'content-type',
	'expect',
	'host',
	'keep-alive',
	'proxy-authorization',
	'proxy-connection',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
]);
/**
 * Header names n8n's HTTP client (axios) cannot carry: it keeps headers in an object whose
 * methods and prototype share these names, so such a header is dropped or mangled.
 */
const UNSENDABLE_HEADER_NAMES = new Set(
	[
		...Object.getOwnPropertyNames(Object.prototype),
		'constructor',
		'set',
		'get',
		'has',
		'delete',
		'clear',
		'normalize',
		'concat',
		'toJSON',
		'getSetCookie',
		'from',
		'accessor',
	].map((name) => name.toLowerCase()),
);

function describe(index: number, key: unknown): string {
	const shown = typeof key === 'string' && key.trim() !== '' ? ` ("${truncate(key)}")` : '';
	return `entry ${index + 1}${shown}`;
}

function truncate(text: string): string {
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Checks every rule and throws an OAuth2Error (kind `configuration`, field "Custom Parameters")
 * naming the first entry that breaks one, by position and key, and the rule it broke.
 * `extraReservedKeys` lets a credential reserve the parameters it sets itself.
 */
export function validateCustomParameters(
	parameters: readonly CustomParameter[],
	extraReservedKeys: readonly string[] = [],
): void {
	if (parameters.length > MAX_CUSTOM_PARAMETERS) {
		throw fieldError(
			FIELD,
			`${parameters.length} entries given, at most ${MAX_CUSTOM_PARAMETERS} are allowed. Remove ${parameters.length - MAX_CUSTOM_PARAMETERS}.`,
		);
	}
	const reserved = new Set([...RESERVED_PARAMETER_KEYS, ...extraReservedKeys].map((k) => k.toLowerCase()));
	const seen = new Map<string, number>();
	parameters.forEach((parameter, index) => {
		const where = describe(index, parameter.key);
		for (const part of ['key', 'value'] as const) {
			const text = parameter[part];
			const name = part === 'key' ? 'Key' : 'Value';
			if (typeof text !== 'string' || text.trim() === '') {
				throw fieldError(FIELD, `${where}: ${name} is empty or only whitespace. Fill it in or remove the entry.`);
			}
			if (LONE_SURROGATE.test(text)) {
				throw fieldError(FIELD, `${where}: ${name} holds a broken character (half of a surrogate pair) that no encoding can carry. Retype it.`);
			}
			if (text.length > MAX_CUSTOM_PARAMETER_LENGTH) {
				throw fieldError(
					FIELD,
					`${where}: ${name} is ${text.length} characters long, at most ${MAX_CUSTOM_PARAMETER_LENGTH} are allowed.`,
				);
			}
		}
		if (!PLACEMENTS.includes(parameter.sendAs)) {
			throw fieldError(FIELD, `${where}: Send As must be body, header or query, not "${String(parameter.sendAs)}".`);
		}
		if (reserved.has(parameter.key.toLowerCase())) {
			throw fieldError(
				FIELD,
				`${where}: the key "${parameter.key}" is reserved; the credential sets it itself. Use the credential's own field instead.`,
			);
		}
		if (parameter.sendAs === 'header') {
			if (!HEADER_NAME.test(parameter.key)) {
				throw fieldError(
					FIELD,
					`${where}: "${truncate(parameter.key)}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only, no spaces).`,
				);
			}
			const name = parameter.key.toLowerCase();
			if (CONTROLLED_HEADERS.has(name)) {
				throw fieldError(
					FIELD,
					`${where}: the ${parameter.key} header frames or authenticates the request; n8n and the credential set it${name === 'content-type' ? ' (choose it with the Content Type field)' : ''}. Remove the entry.`,
				);
			}
			if (UNSENDABLE_HEADER_NAMES.has(name)) {
				throw fieldError(FIELD, `${where}: n8n's HTTP client cannot send a header named "${parameter.key}". Send it in the body or the URL instead.`);
			}
			if (HEADER_VALUE_FORBIDDEN.test(parameter.value)) {
				throw fieldError(FIELD, `${where}: a header value may not contain line breaks or control characters.`);
			}
			if (parameter.value !== parameter.value.replace(/^[ \t]+|[ \t]+$/g, '')) {
				throw fieldError(FIELD, `${where}: the value starts or ends with spaces, which HTTP removes from header values. Remove them.`);
			}
			const beyond = BEYOND_LATIN1.exec(parameter.value);
			if (beyond !== null) {
				throw fieldError(
					FIELD,
					`${where}: "${beyond[0]}" cannot travel in a header (header values are Latin-1 characters only). Send the parameter in the body or the URL, or encode the value yourself.`,
				);
			}
		}
		// Header names are case-insensitive (RFC 9110 §5.1); body and query keys are not.
		const identity = JSON.stringify([
			parameter.sendAs,
			parameter.sendAs === 'header' ? parameter.key.toLowerCase() : parameter.key,
			parameter.value,
		]);
		const first = seen.get(identity);
		if (first !== undefined) {
			throw fieldError(
				FIELD,
				`${where} repeats entry ${first + 1}: the same key, value and Send As may appear only once.`,
			);
		}
		seen.set(identity, index);
	});
}
