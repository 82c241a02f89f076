import type { FieldCheck } from './http';
import { CARD_TYPES } from './testValues';

/**
 * Cards as the sandbox reads them: from a request (`paymentInformation.card`), and what may be kept
 * of one in a transaction (BIN and last four). Only the token vault (tms.ts) holds whole numbers,
 * in memory, as Cybersource's vault does.
 */
export interface Card {
	number: string;
	type: string;
	expirationMonth: string;
	expirationYear: string;
}

export interface CardSummary {
	prefix: string;
	suffix: string;
	type: string;
	expirationMonth: string;
	expirationYear: string;
}

export const CARD_NUMBER_PATTERN = /^\d{12,19}$/;
export const MONTH_PATTERN = /^(0[1-9]|1[0-2])$/;
export const YEAR_PATTERN = /^\d{4}$/;
export const CVV_PATTERN = /^\d{3,4}$/;
export const CARD_TYPE_PATTERN = /^\d{3}$/;

/** A whole card at `base` (number, expiry, optional security code and type). */
export function readCard(check: FieldCheck, base = 'paymentInformation.card'): Card | undefined {
	const number = readCardNumber(check, `${base}.number`);
	const expiry = readExpiry(check, base);
	check.optionalString(`${base}.securityCode`, CVV_PATTERN);
	const givenType = check.optionalString(`${base}.type`, CARD_TYPE_PATTERN);
	const type = givenType ?? (number === undefined ? undefined : cardType(number));
	if (number !== undefined && type === undefined) check.missing(`${base}.type`); // brand not derivable from the BIN
	if (!check.ok || number === undefined || !expiry || !type) return undefined;
	return { number, type, ...expiry };
}

export function readCardNumber(check: FieldCheck, path: string): string | undefined {
	const number = check.requiredString(path, CARD_NUMBER_PATTERN);
	if (number !== undefined && !luhn(number)) check.invalid(path);
	return number !== undefined && luhn(number) ? number : undefined;
}

export function readExpiry(check: FieldCheck, base: string): { expirationMonth: string; expirationYear: string } | undefined {
	const expirationMonth = check.requiredString(`${base}.expirationMonth`, MONTH_PATTERN);
	const expirationYear = check.requiredString(`${base}.expirationYear`, YEAR_PATTERN);
	return expirationMonth && expirationYear ? { expirationMonth, expirationYear } : undefined;
}

export function luhn(number: string): boolean {
	let sum = 0;
	for (let index = 0; index < number.length; index++) {
		let digit = number.charCodeAt(number.length - 1 - index) - 48;
		if (index % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

/** Card brand from the BIN, as Cybersource's type codes. */
export function cardType(number: string): string | undefined {
	const two = Number(number.slice(0, 2));
	const four = Number(number.slice(0, 4));
	if (number[0] === '4') return CARD_TYPES.visa;
	if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return CARD_TYPES.mastercard;
	if (two === 34 || two === 37) return CARD_TYPES.amex;
	if (four === 6011 || two === 65 || (four >= 6440 && four <= 6499)) return CARD_TYPES.discover;
	if (two === 36 || two === 38 || (four >= 3000 && four <= 3059)) return CARD_TYPES.diners;
	if (four >= 3528 && four <= 3589) return CARD_TYPES.jcb;
	return undefined;
}

export function expired(card: Pick<Card, 'expirationMonth' | 'expirationYear'>, nowMs: number): boolean {
	const now = new Date(nowMs);
	const year = Number(card.expirationYear);
	const month = Number(card.expirationMonth);
	return year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1);
}

/** What may be kept of a card: BIN and last four (never the full number, never the CVV). */
export function summarize(card: Card): CardSummary {
	return {
		prefix: card.number.slice(0, 6),
		suffix: card.number.slice(-4),
		type: card.type,
		expirationMonth: card.expirationMonth,
		expirationYear: card.expirationYear,
	};
}

/** A card number as Token Management shows it: BIN, X's, last four. */
export function maskedNumber(number: string): string {
	return `${number.slice(0, 6)}${'X'.repeat(Math.max(number.length - 10, 0))}${number.slice(-4)}`;
}
