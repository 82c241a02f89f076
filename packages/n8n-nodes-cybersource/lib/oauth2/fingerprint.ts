import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
		);
	}
	return value;
}

/**
 * SHA-256 over the canonical JSON of every field that shapes a token request, secrets
 * included: two credentials that differ in anything (even only the secret) never share a
 * token, and an edited credential gets a new one at once. The digest reveals nothing.
 */
export function fingerprint(fields: unknown): string {
	return createHash('sha256').update(JSON.stringify(canonical(fields))).digest('base64url');
}
