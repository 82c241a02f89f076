import { serverText } from '../oauth2/errors';

/**
 * Cybersource's error body: `{ status, reason, message, details: [{ field, reason }] }`
 * (../shared/DESIGN.md §4). Turned into one readable line, card numbers masked.
 */
export interface CybersourceErrorBody {
	status?: unknown;
	reason?: unknown;
	message?: unknown;
	details?: unknown;
	errorInformation?: { reason?: unknown; message?: unknown; details?: unknown };
	response?: { rmsg?: unknown };
	/** Token Management's shape: `{ errors: [{ type, message, details: [{ name, location }] }] }`. */
	errors?: unknown;
}

/** What a Token Management status means for the user (research §1.0, TMS error types). */
const TMS_HINTS: Record<number, string> = {
	409: ' The token is in use: a customer\'s default payment instrument or shipping address cannot be deleted while it has others (set another default first), and an instrument identifier cannot be deleted while payment instruments use it.',
	410: ' The token is no longer available.',
	412: ' The token changed since its ETag was read (another update came first): leave ETag empty so the node reads the current one, or read the token again.',
	424: ' A token this request depends on was not found where it was expected (for example a payment instrument of another customer, or an instrument identifier that does not exist): check the IDs.',
};

/** Masks any run of 13 to 19 digits (a card number, possibly spaced or dashed), keeping the last 4. */
export function maskCardNumbers(text: string): string {
	return text.replace(/\b(?:\d[ -]?){12,18}\d\b/g, (match) => {
		const digits = match.replace(/\D/g, '');
		return `****${digits.slice(-4)}`;
	});
}

const MAX_FIELDS = 10;

export function describeApiError(status: number, body: unknown): { message: string; description?: string } {
	const error = (typeof body === 'object' && body !== null ? body : {}) as CybersourceErrorBody;
	if (Array.isArray(error.errors) && error.errors.length > 0) return describeTmsError(status, error.errors as unknown[]);
	const info = error.errorInformation ?? {};
	const found = (values: unknown[], max: number) => {
		const value = values.find((v) => typeof v === 'string' && v !== '') as string | undefined;
		return value === undefined ? undefined : serverText(value, max);
	};
	const reason = found([error.reason, info.reason, error.status], 100);
	const text = found([error.message, info.message, error.response?.rmsg], 300);
	const details = (Array.isArray(error.details) ? error.details : Array.isArray(info.details) ? info.details : []) as Array<Record<string, unknown>>;
	// A few fields are what a user can act on; a server listing thousands would drown the message.
	const fields = details
		.slice(0, MAX_FIELDS)
		.map((d) => serverText([d.field, d.reason].filter((v) => typeof v === 'string' && v !== '').join(' '), 150))
		.filter((line) => line !== '');
	if (details.length > MAX_FIELDS) fields.push(`and ${details.length - MAX_FIELDS} more`);
	const head = `Cybersource answered HTTP ${status}${reason ? ` ${reason}` : ''}${text ? `: ${text}` : ''}`;
	const hint =
		status === 401
			? ' The access token was refused even after a fresh one was fetched: check that the merchant still grants your application access.'
			: status === 403
				? ' Your application lacks the permission for this API; check its scopes in the Business Center.'
				: '';
	return {
		message: maskCardNumbers(`${head}${fields.length > 0 ? ` (${fields.join('; ')})` : ''}.${hint}`),
		description: fields.length > 0 ? maskCardNumbers(`Fields: ${fields.join('; ')}`) : undefined,
	};
}

/** Token Management's `{ errors: [{ type, message, details: [{ name, location }] }] }`. */
function describeTmsError(status: number, errors: unknown[]): { message: string; description?: string } {
	const first = (typeof errors[0] === 'object' && errors[0] !== null ? errors[0] : {}) as { type?: unknown; message?: unknown; details?: unknown };
	const text = (value: unknown, max: number) => (typeof value === 'string' && value !== '' ? serverText(value, max) : undefined);
	const type = text(first.type, 100);
	const message = text(first.message, 300);
	const details = (Array.isArray(first.details) ? first.details : []) as Array<Record<string, unknown>>;
	const fields = details
		.slice(0, MAX_FIELDS)
		.map((d) => serverText([d.name, d.location === undefined ? undefined : `(${String(d.location)})`].filter((v) => typeof v === 'string' && v !== '').join(' '), 150))
		.filter((line) => line !== '');
	if (details.length > MAX_FIELDS) fields.push(`and ${details.length - MAX_FIELDS} more`);
	const head = `Cybersource answered HTTP ${status}${type ? ` ${type}` : ''}${message ? `: ${message}` : ''}`;
	return {
		message: maskCardNumbers(`${head}${fields.length > 0 ? ` (${fields.join('; ')})` : ''}.${TMS_HINTS[status] ?? ''}`),
		description: fields.length > 0 ? maskCardNumbers(`Fields: ${fields.join('; ')}`) : undefined,
	};
}
