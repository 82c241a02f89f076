import { fieldError } from '../oauth2/errors';

/**
 * Times as Cybersource's reporting API takes them (ISO 8601 with a zone, e.g.
 * `2026-12-01T00:00:00Z`), from what n8n's date picker gives (a wall time without a zone, in the
 * workflow's time zone) or an ISO time with a zone. n8n-free: the zone's offset comes from Intl.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The offset of `timeZone` at the instant `utcMs`, in minutes east of UTC. */
function offsetMinutes(timeZone: string, utcMs: number): number {
	const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
	const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const wall = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
	return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** Epoch milliseconds of a date or time; a wall time without a zone is read in `timeZone`. */
export function instantOf(value: unknown, field: string, timeZone: string): number {
	const text = String(value ?? '').trim();
	const match = DATE_TIME.exec(text);
	if (match === null) throw fieldError(field, `"${text.slice(0, 40)}" is not a date such as 2026-12-01 or 2026-12-01T08:00:00.`);
	const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match;
	const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
	if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== Number(day)) throw fieldError(field, `"${text.slice(0, 40)}" is not a date that exists.`);
	if (zone === 'Z') return wall;
	if (zone !== undefined) {
		const sign = zone.startsWith('-') ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
	}
	let zoneName = timeZone;
	try {
		offsetMinutes(zoneName, wall);
	} catch {
		zoneName = 'UTC';
	}
	// Twice: the offset at the guessed instant settles around a daylight-saving change.
	const first = wall - offsetMinutes(zoneName, wall) * 60_000;
	return wall - offsetMinutes(zoneName, first) * 60_000;
}

/** `2026-12-01T08:00:00Z`: a time as the reporting API takes it. */
export function utcTime(value: unknown, field: string, timeZone: string): string {
	return `${new Date(instantOf(value, field, timeZone)).toISOString().slice(0, 19)}Z`;
}

/** `2026-12-01`: the calendar date of a value (a report date); a time is cut to its date as written. */
export function calendarDate(value: unknown, field: string): string {
	const text = String(value ?? '').trim();
	const match = DATE_TIME.exec(text);
	if (match === null) throw fieldError(field, `"${text.slice(0, 40)}" is not a date such as 2026-12-01.`);
	return `${match[1]}-${match[2]}-${match[3]}`;
}
