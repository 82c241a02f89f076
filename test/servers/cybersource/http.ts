import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Small HTTP pieces shared by the sandbox's endpoints: reading bodies, writing JSON, and the
 * Cybersource REST error body `{submitTimeUtc, status, reason, message, details: [{field, reason}]}`
 * (DESIGN §4). Kept allocation-light: the benchmark pushes tens of thousands of requests through.
 */

/** What an API handler returns; the router writes it. `body` undefined = empty body. */
export interface ApiResult {
	status: number;
	body?: unknown;
	/** Answer headers beyond the content type (Token Management's `ETag`, `X-Total-Count`). */
	headers?: Record<string, string>;
	/** A file instead of JSON (a report download). */
	file?: { contentType: string; text: string };
}

export type FieldReason = 'MISSING_FIELD' | 'INVALID_DATA';

export interface FieldProblem {
	field: string;
	reason: FieldReason;
}

/** Largest request body the sandbox reads; anything bigger is answered 413 without buffering it. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const MESSAGE_MISSING_FIELD = 'Declined - The request is missing one or more fields';
export const MESSAGE_INVALID_DATA = 'Declined - One or more fields in the request contains invalid data';

/** Cybersource's timestamp format: `YYYY-MM-DDThh:mm:ssZ` (no milliseconds). */
export function submitTimeUtc(nowMs: number): string {
	return new Date(nowMs).toISOString().slice(0, 19) + 'Z';
}

/** Reads the whole body as UTF-8; resolves `undefined` when it exceeds `MAX_BODY_BYTES`. */
export function readBody(request: IncomingMessage): Promise<string | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		request.on('data', (chunk: Buffer) => {
			if (tooLarge) return;
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				tooLarge = true;
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		request.on('end', () => resolve(tooLarge ? undefined : chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
	if (body === undefined) {
		response.writeHead(status, { 'Content-Length': '0', ...headers });
		response.end();
		return;
	}
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'Content-Type': 'application/json;charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	response.end(text);
}

/** 400 for field validation failures; `MISSING_FIELD` wins over `INVALID_DATA` as the top-level reason. */
export function invalidFields(problems: FieldProblem[], nowMs: number): ApiResult {
	const missing = problems.some((problem) => problem.reason === 'MISSING_FIELD');
	return {
		status: 400,
		body: {
			submitTimeUtc: submitTimeUtc(nowMs),
			status: 'INVALID_REQUEST',
			reason: missing ? 'MISSING_FIELD' : 'INVALID_DATA',
			message: missing ? MESSAGE_MISSING_FIELD : MESSAGE_INVALID_DATA,
			details: problems,
		},
	};
}

/** 400 for a request that is well formed but not allowed in the current state (e.g. `NOT_VOIDABLE`). */
export function rejected(reason: string, message: string, nowMs: number): ApiResult {
	return { status: 400, body: { submitTimeUtc: submitTimeUtc(nowMs), status: 'INVALID_REQUEST', reason, message } };
}

export function notFound(message: string, nowMs: number): ApiResult {
	return { status: 404, body: { submitTimeUtc: submitTimeUtc(nowMs), status: 'NOT_FOUND', reason: 'NOT_FOUND', message } };
}

/** DESIGN §4: Cybersource answers `SERVER_ERROR` with HTTP 502. */
export function serverError(nowMs: number): ApiResult {
	return { status: 502, body: { submitTimeUtc: submitTimeUtc(nowMs), status: 'SERVER_ERROR', reason: 'SYSTEM_ERROR', message: 'Error - General system failure.' } };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Dotted paths are a small fixed set (the handlers' field names): split each once. */
const SPLIT_PATHS = new Map<string, string[]>();

/**
 * Collects field problems while reading a JSON body by dotted paths, the way Cybersource names
 * fields in `details[].field` (`orderInformation.amountDetails.totalAmount`).
 */
export class FieldCheck {
	readonly problems: FieldProblem[] = [];

	constructor(private readonly root: unknown) {}

	get ok(): boolean {
		return this.problems.length === 0;
	}

	value(path: string): unknown {
		let current: unknown = this.root;
		let keys = SPLIT_PATHS.get(path);
		if (!keys) SPLIT_PATHS.set(path, (keys = path.split('.')));
		for (const key of keys) {
			if (Array.isArray(current) && /^\d+$/.test(key)) {
				current = current[Number(key)];
				continue;
			}
			if (!isRecord(current)) return undefined;
			current = current[key];
		}
		return current;
	}

	missing(field: string): void {
		this.problems.push({ field, reason: 'MISSING_FIELD' });
	}

	invalid(field: string): void {
		this.problems.push({ field, reason: 'INVALID_DATA' });
	}

	/** A required string; empty or whitespace-only counts as missing, a non-string as invalid. */
	requiredString(path: string, pattern?: RegExp): string | undefined {
		const value = this.value(path);
		if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
			this.missing(path);
			return undefined;
		}
		return this.checkString(path, value, pattern);
	}

	optionalString(path: string, pattern?: RegExp): string | undefined {
		const value = this.value(path);
		if (value === undefined || value === null) return undefined;
		return this.checkString(path, value, pattern);
	}

	optionalBoolean(path: string): boolean | undefined {
		const value = this.value(path);
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'boolean') {
			this.invalid(path);
			return undefined;
		}
		return value;
	}

	/** Flags every key of the object at `path` that is not in `allowed` (typos must not pass silently). */
	onlyKeys(path: string, allowed: readonly string[]): void {
		const value = path === '' ? this.root : this.value(path);
		if (!isRecord(value)) return;
		for (const key of Object.keys(value)) {
			if (!allowed.includes(key)) this.invalid(path === '' ? key : `${path}.${key}`);
		}
	}

	private checkString(path: string, value: unknown, pattern?: RegExp): string | undefined {
		if (typeof value !== 'string' || (pattern && !pattern.test(value))) {
			this.invalid(path);
			return undefined;
		}
		return value;
	}
}
