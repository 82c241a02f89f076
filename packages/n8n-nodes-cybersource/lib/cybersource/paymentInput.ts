import { fieldError } from '../oauth2/errors';

/**
 * Checks of payment fields before anything is sent, with the rules Cybersource applies
 * (../shared/DESIGN.md §4). Messages name the field and never repeat a card number or CVV.
 */
export function amount(value: unknown, field = 'Amount', allowZero = false): string {
	const text = typeof value === 'number' ? value.toFixed(2) : String(value ?? '').trim();
	if (!/^\d{1,13}(\.\d{1,4})?$/.test(text) || Number(text) < 0 || (Number(text) === 0 && !allowZero)) {
		throw fieldError(field, `"${text}" is not a ${allowZero ? '' : 'positive '}decimal amount such as 49.95 (a dot as decimal separator, no currency sign).`);
	}
	return text;
}

export function currency(value: unknown, field = 'Currency'): string {
	const text = String(value ?? '').trim().toUpperCase();
	if (!/^[A-Z]{3}$/.test(text)) throw fieldError(field, `"${text}" is not a three-letter ISO 4217 currency code such as USD or EUR.`);
	return text;
}

/** Luhn check (ISO/IEC 7812-1). */
export function luhnValid(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let digit = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

export function cardNumber(value: unknown, field = 'Card Number'): string {
	const digits = String(value ?? '').replace(/[\s-]/g, '');
	if (!/^\d{12,19}$/.test(digits)) throw fieldError(field, 'must be 12 to 19 digits (spaces and dashes are ignored).');
	if (!luhnValid(digits)) throw fieldError(field, 'fails the check digit (Luhn) test; check for a typing error.');
	return digits;
}

export function expirationMonth(value: unknown, field = 'Expiration Month'): string {
	const text = String(value ?? '').trim();
	const month = Number(text);
	if (!/^\d{1,2}$/.test(text) || month < 1 || month > 12) throw fieldError(field, `"${text}" is not a month from 1 to 12.`);
	return String(month).padStart(2, '0');
}

export function expirationYear(value: unknown, field = 'Expiration Year'): string {
	const text = String(value ?? '').trim();
	if (!/^\d{4}$/.test(text)) throw fieldError(field, `"${text}" is not a four-digit year such as 2031.`);
	return text;
}

export function securityCode(value: unknown, field = 'Security Code'): string | undefined {
	const text = String(value ?? '').trim();
	if (text === '') return undefined;
	if (!/^\d{3,4}$/.test(text)) throw fieldError(field, 'must be 3 or 4 digits.');
	return text;
}

export function required(value: unknown, field: string, what = 'a value'): string {
	const text = String(value ?? '').trim();
	if (text === '') throw fieldError(field, `is empty; enter ${what}.`);
	return text;
}

/** An id that becomes part of a URL path: letters, digits, dashes, underscores, dots only. */
export function pathId(value: unknown, field: string): string {
	const text = required(value, field, 'the ID Cybersource returned');
	if (!/^[A-Za-z0-9._-]+$/.test(text)) throw fieldError(field, `"${text.slice(0, 40)}" is not a valid ID (letters, digits, dots, dashes and underscores only).`);
	return text;
}

/** An email address (optional): something@domain, nothing more is checked. */
export function email(value: unknown, field = 'Email'): string | undefined {
	const text = String(value ?? '').trim();
	if (text === '') return undefined;
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) throw fieldError(field, `"${text.slice(0, 80)}" is not an email address.`);
	return text;
}

/**
 * A Token Management ID (customer, payment instrument, shipping address, instrument identifier):
 * 1 to 32 letters and digits. A card number is refused without being repeated: it does not belong
 * in a token field (instrument identifiers are digits too, but start with 7, not a card network).
 */
export function tokenId(value: unknown, field: string): string {
	const text = required(value, field, 'the ID Token Management returned');
	const digits = text.replace(/[\s-]/g, '');
	if (/^[2-6]\d{11,18}$/.test(digits) && luhnValid(digits)) {
		throw fieldError(field, 'looks like a card number, not a token ID. Enter the ID Token Management returned for the card; card numbers never go in this field.');
	}
	if (!/^[A-Za-z0-9]{1,32}$/.test(text)) throw fieldError(field, 'is not a Token Management ID (1 to 32 letters and digits, as Cybersource returned it).');
	return text;
}

/**
 * A transient token from Microform or Unified Checkout: the JWT (`tokenInformation.transientTokenJwt`)
 * or its 64-hex-digit `jti` (`tokenInformation.jti`).
 */
export function transientToken(value: unknown, field = 'Transient Token'): { transientTokenJwt: string } | { jti: string } {
	const text = required(value, field, 'the transient token your checkout page received');
	if (/^[0-9a-fA-F]{64}$/.test(text)) return { jti: text };
	if (text.length > 8192 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)) {
		throw fieldError(field, 'is not a transient token: expected the JWT Microform or Unified Checkout returned (three parts separated by dots) or its 64-hex-digit jti.');
	}
	return { transientTokenJwt: text };
}

/** A report's name: letters, digits, spaces, - and _ (at most 128), as Cybersource takes it. */
export function reportName(value: unknown, field = 'Report Name'): string {
	const name = required(value, field, 'the name of the report');
	if (!/^[A-Za-z0-9 _-]{1,128}$/.test(name)) throw fieldError(field, 'may hold only letters, digits, spaces, - and _ (at most 128).');
	return name;
}

/** Cybersource delivers webhooks only to https URLs on port 443 or 8443 (../shared/DESIGN.md §4). */
export function webhookUrl(value: unknown, field = 'Webhook URL'): string {
	const text = required(value, field, 'the https URL of your endpoint');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw fieldError(field, `"${text}" is not a valid URL.`);
	}
	if (url.protocol !== 'https:') throw fieldError(field, 'must start with https://; Cybersource delivers webhooks over HTTPS only.');
	if (url.port !== '' && url.port !== '8443') throw fieldError(field, `uses port ${url.port}; Cybersource delivers only to port 443 or 8443.`);
	return url.toString();
}

/** A list (chosen from options) or a comma- or newline-separated text, e.g. event types. */
export function list(value: unknown, field: string, what: string): string[] {
	const items = (Array.isArray(value) ? value.map((item) => String(item ?? '')) : String(value ?? '').split(/[,\n]/))
		.map((item) => item.trim())
		.filter((item) => item !== '');
	if (items.length === 0) throw fieldError(field, `is empty; enter ${what}, separated by commas.`);
	return items;
}

/** A whole number of items (Limit: at least 1; Offset: at least 0). */
export function count(value: unknown, field: string, min = 1): number {
	const number = typeof value === 'number' ? value : Number(String(value ?? '').trim());
	if (!Number.isInteger(number) || number < min) throw fieldError(field, `"${String(value)}" is not a whole number of ${min} or more.`);
	return number;
}
