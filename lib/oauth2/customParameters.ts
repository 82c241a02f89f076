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
/** Control characters other than horizontal tab may not appear in a header value (RFC 9110 §5.5). */
const HEADER_VALUE_FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f]/;

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
			if (HEADER_VALUE_FORBIDDEN.test(parameter.value)) {
				throw fieldError(FIELD, `${where}: a header value may not contain line breaks or control characters.`);
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
