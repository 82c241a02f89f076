import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Cybersource webhook notifications (../shared/DESIGN.md §4), n8n-free and pure:
 * the signature check is a function of (bytes received, header, key), like stripe-node's
 * `constructEvent`.
 *
 * `v-c-signature: t=<timestamp>;keyId=<key id>;sig=<base64 HMAC-SHA256>`, keyed by the
 * base64-decoded digital signature key. Sources differ on the signed text: Cybersource's own
 * commerce plugins sign `t + "." + <raw body>`, its developer guide `t + "." + <JSON of the
 * payload field>`. Both need the key, so either is accepted; each comparison is timing-safe.
 */

export interface SignatureKey {
	keyId: string;
	/** The base64-decoded key. */
	key: Buffer;
}

export type SignatureProblem =
	/** No `v-c-signature` header. */
	| 'missing'
	/** The header is not `t=..;keyId=..;sig=..`. */
	| 'malformed'
	/** A key id this receiver does not hold. */
	| 'unknownKey'
	/** The signature does not match the bytes received. */
	| 'mismatch';

/** Which text the sender signed: the raw body, or the JSON of the body's `payload` field. */
export type SignedText = 'body' | 'payload';

export type SignatureCheck = { ok: true; keyId: string; timestamp: string; signedText: SignedText } | { ok: false; problem: SignatureProblem };

export interface SignatureHeader {
	timestamp: string;
	keyId: string;
	signatures: string[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A header longer than this is not Cybersource's (a key id, a timestamp and one or two signatures). */
const MAX_HEADER_LENGTH = 1024;

/** Parses `t=..;keyId=..;sig=..` (order free, `sig` may repeat); undefined when malformed. */
export function parseSignatureHeader(value: string): SignatureHeader | undefined {
	if (value.length > MAX_HEADER_LENGTH) return undefined;
	let timestamp: string | undefined;
	let keyId: string | undefined;
	const signatures: string[] = [];
	for (const part of value.split(';')) {
		const at = part.indexOf('=');
		if (at <= 0) return undefined;
		const name = part.slice(0, at).trim();
		const content = part.slice(at + 1).trim();
		if (content === '') return undefined;
		if (name === 't') {
			if (timestamp !== undefined || !/^\d{1,20}$/.test(content)) return undefined;
			timestamp = content;
		} else if (name === 'keyId') {
			if (keyId !== undefined) return undefined;
			keyId = content;
		} else if (name === 'sig') {
			if (!BASE64.test(content)) return undefined;
			signatures.push(content);
		}
	}
	if (timestamp === undefined || keyId === undefined || signatures.length === 0) return undefined;
	return { timestamp, keyId, signatures };
}

function hmac(key: Buffer, timestamp: string, text: Buffer | string): Buffer {
	return createHmac('sha256', key).update(`${timestamp}.`).update(text).digest();
}

function matchesAny(expected: Buffer, signatures: Buffer[]): boolean {
	let found = false;
	for (const signature of signatures) {
		// Every candidate is compared (no early exit), each in constant time.
		if (signature.length === expected.length && timingSafeEqual(signature, expected)) found = true;
	}
	return found;
}

/**
 * Checks a notification's `v-c-signature` against the exact bytes received.
 * `payloadJson` lazily gives the JSON text of the body's `payload` field. `firstTry` is the text
 * tried first (the one this sender signed last time, so a steady sender costs one HMAC); the
 * other is tried when the first does not match.
 */
export function verifyNotificationSignature(
	rawBody: Buffer,
	header: string | undefined,
	keys: readonly SignatureKey[],
	payloadJson: () => string | undefined,
	firstTry: SignedText = 'body',
): SignatureCheck {
	if (header === undefined || header === '') return { ok: false, problem: 'missing' };
	const parsed = parseSignatureHeader(header);
	if (!parsed) return { ok: false, problem: 'malformed' };
	const key = keys.find((candidate) => candidate.keyId === parsed.keyId);
	if (!key) return { ok: false, problem: 'unknownKey' };
	const signatures = parsed.signatures.map((signature) => Buffer.from(signature, 'base64'));
	for (const signedText of firstTry === 'body' ? (['body', 'payload'] as const) : (['payload', 'body'] as const)) {
		const text = signedText === 'body' ? rawBody : payloadJson();
		if (text !== undefined && matchesAny(hmac(key.key, parsed.timestamp, text), signatures)) {
			return { ok: true, keyId: key.keyId, timestamp: parsed.timestamp, signedText };
		}
	}
	return { ok: false, problem: 'mismatch' };
}

/** A notification's body: a JSON object, or `{}` for anything else. */
export type NotificationBody = Record<string, unknown>;

function bodyOf(raw: Buffer): NotificationBody {
	try {
		const value: unknown = JSON.parse(raw.toString('utf8'));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as NotificationBody) : {};
	} catch {
		return {};
	}
}

export type NotificationCheck =
	| { ok: true; body: NotificationBody; notificationId: string; keyId: string; signedText: SignedText }
	| { ok: false; problem: SignatureProblem };

/**
 * A notification as the trigger takes it: the signature over the bytes received (`firstTry`
 * first), then the body and its identity. `parsed` is the body when the caller has it already
 * (n8n's body parser, from the same bytes); otherwise it is parsed here, and only when needed.
 */
export function checkNotification(raw: Buffer, header: string | undefined, keys: readonly SignatureKey[], firstTry: SignedText, parsed?: NotificationBody): NotificationCheck {
	let body = parsed;
	const bodyNow = () => (body ??= bodyOf(raw));
	const signature = verifyNotificationSignature(
		raw,
		header,
		keys,
		() => {
			const payload = bodyNow().payload;
			return payload === undefined ? undefined : JSON.stringify(payload);
		},
		firstTry,
	);
	if (!signature.ok) return signature;
	const notice = bodyNow();
	return { ok: true, body: notice, notificationId: notificationKey(notice), keyId: signature.keyId, signedText: signature.signedText };
}

/** The signature a sender computes (`t + "." + text`): for tests, the sandbox and the benchmark. */
export function notificationSignature(key: Buffer, timestamp: string, text: Buffer | string): string {
	return hmac(key, timestamp, text).toString('base64');
}

/**
 * An unambiguous text of a JSON value with object keys sorted, so that the same data gives the
 * same text however it was ordered or escaped. Strings are length-prefixed rather than escaped
 * (`s<length>:<text>`), which keeps it injective and about twice as fast as sorted JSON for a
 * notification's long strings; it is hashed, never parsed back.
 */
export function identityText(value: unknown): string {
	switch (typeof value) {
		case 'string':
			return `s${value.length}:${value}`;
		case 'number':
			return `n${value};`;
		case 'boolean':
			return value ? 't' : 'f';
		case 'object': {
			if (value === null) return 'z';
			if (Array.isArray(value)) {
				let text = `a${value.length}[`;
				for (const entry of value as unknown[]) text += identityText(entry);
				return `${text}]`;
			}
			const record = value as Record<string, unknown>;
			const keys = Object.keys(record)
				.filter((key) => record[key] !== undefined)
				.sort();
			let text = `o${keys.length}{`;
			for (const key of keys) text += `s${key.length}:${key}${identityText(record[key])}`;
			return `${text}}`;
		}
		default:
			return 'z'; // undefined (only inside arrays: JSON has none)
	}
}

/**
 * A notification's identity across Cybersource's retries. The body has no notification id and
 * `transactionTraceId`, `retryNumber` and `requestType` change on every retry (DESIGN §4), so the
 * key is a SHA-256 over what stays the same: webhook id, event type and the payload's data.
 * UTF-16 code units are hashed as they are, so even a lone surrogate cannot make two strings one.
 */
export function notificationKey(body: { webhookId?: unknown; eventType?: unknown; payload?: unknown }): string {
	return createHash('sha256')
		.update(identityText([body.webhookId ?? null, body.eventType ?? null, body.payload ?? null]), 'utf16le')
		.digest('base64url');
}

/** Notifications remembered at most this long (Cybersource retries 3 times, a minute apart). */
export const REPLAY_WINDOW_MS = 24 * 3600 * 1000;
/** ... and at most this many (the oldest are forgotten first). */
export const REPLAY_MEMORY_SIZE = 1000;

/**
 * The replay memory as n8n's workflow static data keeps it: the keys and when each was accepted
 * (ms), oldest first. Two arrays, not an object keyed by notification: building an object with
 * a thousand keys costs about 50 times as much, on every accepted notification.
 */
export interface SavedReplays {
	keys: string[];
	at: number[];
}

function isSavedReplays(value: unknown): value is SavedReplays {
	const saved = value as SavedReplays | null | undefined;
	return typeof saved === 'object' && saved !== null && Array.isArray(saved.keys) && Array.isArray(saved.at) && saved.keys.length === saved.at.length;
}

/** When `key` was accepted according to saved replays, if within the window (another process, or before a restart). */
export function savedAcceptance(saved: unknown, key: string, now: number, window = REPLAY_WINDOW_MS): number | undefined {
	if (!isSavedReplays(saved)) return undefined;
	const index = saved.keys.indexOf(key);
	const at = index >= 0 ? saved.at[index] : undefined;
	return typeof at === 'number' && now - at < window ? at : undefined;
}

/**
 * The notifications accepted lately, bounded by time and size (the oldest are forgotten first).
 * Each step costs the same however full it is.
 */
export class ReplayMemory {
	private readonly seen = new Map<string, number>();

	constructor(
		private readonly size = REPLAY_MEMORY_SIZE,
		private readonly window = REPLAY_WINDOW_MS,
	) {}

	get entries(): number {
		return this.seen.size;
	}

	/**
	 * Remembers `key` and tells whether it is new. Synchronous, so two deliveries of the same
	 * notification in one process cannot both be new.
	 */
	acceptOnce(key: string, now: number): boolean {
		for (const [oldest, at] of this.seen) {
			if (now - at < this.window) break;
			this.seen.delete(oldest);
		}
		const at = this.seen.get(key);
		if (at !== undefined && now - at < this.window) return false;
		this.seen.delete(key);
		this.seen.set(key, now);
		if (this.seen.size > this.size) this.seen.delete(this.seen.keys().next().value as string);
		return true;
	}

	/** Takes in saved replays (static data after a restart), oldest first; malformed entries are skipped. */
	restore(saved: unknown, now: number): void {
		if (!isSavedReplays(saved)) return;
		saved.keys.forEach((key, index) => {
			const at = saved.at[index];
			if (typeof key === 'string' && typeof at === 'number' && now - at < this.window && !this.seen.has(key)) {
				this.seen.set(key, at);
				if (this.seen.size > this.size) this.seen.delete(this.seen.keys().next().value as string);
			}
		});
	}

	/** What to save in the static data. */
	toSaved(): SavedReplays {
		return { keys: [...this.seen.keys()], at: [...this.seen.values()] };
	}
}
