import fc from 'fast-check';

import {
	MAX_CUSTOM_PARAMETERS,
	MAX_CUSTOM_PARAMETER_LENGTH,
	OAuth2Error,
	validateCustomParameters,
	type CustomParameter,
	type ParameterPlacement,
} from '../../packages/n8n-nodes-cybersource/lib/oauth2';

const placement = fc.constantFrom<ParameterPlacement>('body', 'header', 'query');
// Header-safe, non-blank, short: a valid key in every place (x- keeps it clear of the names
// n8n's HTTP client cannot carry and of the headers that frame or authenticate a request).
const key = fc.stringMatching(/^x-[a-z0-9_-]{0,30}$/);
// No spaces at either end: HTTP strips them from header values, so those are refused there.
const value = fc.stringMatching(/^[!-~]([ -~]{0,62}[!-~])?$/);
const parameter = fc.record<CustomParameter>({ key, value, sendAs: placement });
const uniqueList = (max: number) =>
	fc.uniqueArray(parameter, { maxLength: max, selector: (p) => `${p.sendAs}|${p.key.toLowerCase()}|${p.value}` });

function errorOf(parameters: CustomParameter[]): OAuth2Error {
	try {
		validateCustomParameters(parameters);
	} catch (error) {
		return error as OAuth2Error;
	}
	throw new Error('expected validateCustomParameters to throw');
}

describe('custom parameter rules', () => {
	it('accepts every list of at most 20 distinct, non-empty, non-reserved entries', () => {
		fc.assert(fc.property(uniqueList(MAX_CUSTOM_PARAMETERS), (list) => validateCustomParameters(list) === undefined));
	});

	it('rejects any list of more than 20 entries, saying how many to remove', () => {
		fc.assert(
			fc.property(fc.uniqueArray(parameter, { minLength: 21, maxLength: 40, selector: (p) => `${p.sendAs}|${p.key.toLowerCase()}|${p.value}` }), (list) => {
				const error = errorOf(list);
				expect(error.field).toBe('Custom Parameters');
				expect(error.message).toContain(`${list.length} entries given, at most 20`);
				expect(error.message).toContain(`Remove ${list.length - 20}`);
			}),
		);
	});

	it('rejects an empty or whitespace-only key or value, naming the entry by position', () => {
		fc.assert(
			fc.property(
				uniqueList(10),
				fc.nat(),
				fc.constantFrom('key', 'value'),
				fc.stringMatching(/^[ \t\n]{0,5}$/),
				(list, at, part, blank) => {
					const index = list.length === 0 ? 0 : at % (list.length + 1);
					const broken = { key: 'k', value: 'v', sendAs: 'body' as const, [part]: blank };
					const withBroken = [...list.slice(0, index), broken, ...list.slice(index)];
					const error = errorOf(withBroken);
					expect(error.kind).toBe('configuration');
					expect(error.message).toContain(`entry ${index + 1}`);
					expect(error.message).toContain(part === 'key' ? 'Key is empty' : 'Value is empty');
				},
			),
		);
	});

	it('rejects client_id, client_secret and grant_type as keys in any letter case and place', () => {
		const reserved = fc.constantFrom('client_id', 'client_secret', 'grant_type').chain((k) =>
			fc.array(fc.boolean(), { minLength: k.length, maxLength: k.length }).map((upper) =>
				[...k].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''),
			),
		);
		fc.assert(
			fc.property(reserved, placement, (k, sendAs) => {
				const error = errorOf([{ key: k, value: 'x', sendAs }]);
				expect(error.message).toContain(`entry 1 ("${k}")`);
				expect(error.message).toContain('is reserved');
			}),
		);
	});

	it('rejects a key or value longer than 1024 characters and accepts exactly 1024', () => {
		const long = 'a'.repeat(MAX_CUSTOM_PARAMETER_LENGTH);
		expect(() => validateCustomParameters([{ key: long, value: long, sendAs: 'body' }])).not.toThrow();
		expect(errorOf([{ key: 'k', value: `${long}b`, sendAs: 'query' }]).message).toContain('Value is 1025 characters long, at most 1024');
		expect(errorOf([{ key: `${long}b`, value: 'v', sendAs: 'body' }]).message).toContain('Key is 1025 characters long');
	});

	it('rejects a repeated key + value + place, naming both entries, but allows the same key elsewhere or with another value', () => {
		fc.assert(
			fc.property(parameter, (p) => {
				const error = errorOf([p, { ...p, key: 'other' }, { ...p }]);
				expect(error.message).toContain('entry 3');
				expect(error.message).toContain('repeats entry 1');
				const otherPlace: ParameterPlacement = p.sendAs === 'body' ? 'query' : 'body';
				expect(() => validateCustomParameters([p, { ...p, sendAs: otherPlace }, { ...p, value: `${p.value}2` }])).not.toThrow();
			}),
		);
	});

	it('treats header names case-insensitively when looking for duplicates', () => {
		expect(errorOf([{ key: 'X-Tenant', value: 'a', sendAs: 'header' }, { key: 'x-tenant', value: 'a', sendAs: 'header' }]).message).toContain(
			'repeats entry 1',
		);
		expect(() => validateCustomParameters([{ key: 'Tenant', value: 'a', sendAs: 'body' }, { key: 'tenant', value: 'a', sendAs: 'body' }])).not.toThrow();
	});

	it('rejects header names and values that cannot be sent as a header', () => {
		expect(errorOf([{ key: 'X Tenant', value: 'a', sendAs: 'header' }]).message).toContain('not a valid header name');
		expect(errorOf([{ key: 'X-Tenant', value: 'a\r\nInjected: 1', sendAs: 'header' }]).message).toContain('line breaks');
		expect(() => validateCustomParameters([{ key: 'with space', value: 'a\nb', sendAs: 'body' }])).not.toThrow();
	});

	it('rejects an unknown Send As value', () => {
		expect(errorOf([{ key: 'k', value: 'v', sendAs: 'cookie' as ParameterPlacement }]).message).toContain('Send As must be body, header or query');
	});
});
