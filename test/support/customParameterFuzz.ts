import fc from 'fast-check';

import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2/tokenCache';
import type { FaultServer } from '../servers/fault-server';
import { callApi, helperWith, stored } from './engineRun';

/**
 * The custom-parameter fuzz shared by the test suite (fixed seed) and the benchmark (larger
 * runs): sets of entries mixing ordinary and hostile keys and values, and the check that a
 * recorded request carries every entry exactly, in its place.
 */
export interface Entry {
	key: string;
	value: string;
	sendAs: string;
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

const HOSTILE_KEYS = [
	'__proto__',
	'constructor',
	'toString',
	'hasOwnProperty',
	'valueOf',
	'get',
	'set',
	'Content-Length',
	'Transfer-Encoding',
	'Host',
	'Content-Type',
	'Authorization',
	'Accept',
	'client_id',
	'Grant_Type',
];
const HOSTILE_VALUES = ['price in €', 'naïve café', ' padded ', '', 'a'.repeat(1025), 'line\nbreak', 'null', 'x=y&z', '%20+%2B', '"quoted"\\'];

const key = fc.oneof(
	{ arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,11}$/), weight: 6 },
	{ arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 2 },
	{ arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 1 },
	{ arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
);
const value = fc.oneof(
	{ arbitrary: fc.string({ minLength: 1, maxLength: 24 }), weight: 6 },
	{ arbitrary: fc.constantFrom(...HOSTILE_VALUES), weight: 2 },
	{ arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), weight: 2 },
	{ arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }), weight: 1 },
);
// n8n reads a field that starts with "=" as an expression and sends what it evaluates to: that
// is the user's intent, not an alteration, so such keys and values are left out here.
const notExpression = (text: string) => !text.startsWith('=');
const entry = fc.record({ key: key.filter(notExpression), value: value.filter(notExpression), sendAs: fc.constantFrom('body', 'header', 'query') });

export function parameterSets(maxEntries = 4) {
	return fc.record({ entries: fc.array(entry, { maxLength: maxEntries }), contentType: fc.constantFrom(FORM, JSON_TYPE) });
}

interface Recorded {
	query: string;
	rawHeaders: string[];
	body: string;
}

function grouped(entries: Entry[], normalize: (key: string) => string): Map<string, string[]> {
	const groups = new Map<string, string[]>();
	for (const { key, value } of entries) {
		const name = normalize(key);
		groups.set(name, [...(groups.get(name) ?? []), value]);
	}
	return groups;
}

function pairsProblem(place: string, pairs: Array<[string, string]>, entries: Entry[]): string | undefined {
	for (const { key, value } of entries) {
		const count = pairs.filter(([k, v]) => k === key && v === value).length;
		if (count !== 1) return `${place}: ${JSON.stringify(key)}=${JSON.stringify(value)} arrived ${count} times`;
	}
	return undefined;
}

/** What arrived differently from the entries, or undefined when each arrived exactly. */
export function deliveryProblem(request: Recorded, entries: Entry[], contentType: string): string | undefined {
	const bodyEntries = entries.filter((e) => e.sendAs === 'body');
	if (contentType === JSON_TYPE) {
		const parsed = JSON.parse(request.body) as Record<string, unknown>;
		for (const [name, values] of grouped(bodyEntries, (k) => k)) {
			const actual = Object.prototype.hasOwnProperty.call(parsed, name) ? parsed[name] : undefined;
			const expected = values.length === 1 ? values[0] : values;
			if (JSON.stringify(actual) !== JSON.stringify(expected)) return `JSON body: ${JSON.stringify(name)} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
		}
	} else {
		const problem = pairsProblem('form body', [...new URLSearchParams(request.body)], bodyEntries);
		if (problem) return problem;
	}
	const queryProblem = pairsProblem('query', [...new URLSearchParams(request.query)], entries.filter((e) => e.sendAs === 'query'));
	if (queryProblem) return queryProblem;
	const raw: Array<[string, string]> = [];
	for (let i = 0; i < request.rawHeaders.length; i += 2) raw.push([request.rawHeaders[i].toLowerCase(), request.rawHeaders[i + 1]]);
	for (const [name, values] of grouped(entries.filter((e) => e.sendAs === 'header'), (k) => k.toLowerCase())) {
		const arrived = raw.filter(([n]) => n === name).map(([, v]) => v);
		const expected = values.join(', ');
		if (arrived.length !== 1 || arrived[0] !== expected) return `header ${name}: arrived ${JSON.stringify(arrived)}, expected ${JSON.stringify(expected)}`;
	}
	return undefined;
}

/** The message of a refusal that names the entry at fault (or the count). */
export const REFUSAL = /^Custom Parameters: (entry \d+|\d+ entries given)/;

let sent = 0;

/**
 * One token request with these entries, through n8n's engine and HTTP client, to the fault
 * server's recording `/echo-token`: the error message, or the request as it arrived.
 */
export async function sendCustomParameters(faults: FaultServer, entries: Array<Entry | null>, contentType = FORM) {
	faults.requests.length = 0;
	// Every set is a new token request, also when one repeats an earlier set.
	replaceSharedTokenCache(new TokenCache());
	const credential = stored(`fuzz-${++sent}`, 'oAuth2ClientCredentialsApi', {
		tokenUrl: faults.url('/echo-token'),
		clientId: 'fuzz-client',
		clientSecret: 'fuzz-secret',
		contentType,
		customParameters: { parameter: entries },
	});
	const { error } = await callApi({ helper: helperWith([credential]), credential, urls: [faults.url('/api')] });
	return { error: error?.message, request: faults.requests.find((request) => request.path === '/echo-token') };
}
