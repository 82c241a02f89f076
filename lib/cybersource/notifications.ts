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

export type SignatureCheck = { ok: true; keyId: string; timestamp: string } | { ok: false; problem: SignatureProblem };

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
 * `payloadJson` lazily gives the JSON text of the body's `payload` field (only needed when the
 * raw-body text does not match).
 */
export function verifyNotificationSignature(
	rawBody: Buffer,
	header: string | undefined,
	keys: readonly SignatureKey[],
	payloadJson: () => string | undefined,
): SignatureCheck {
	if (header === undefined || header === '') return { ok: false, problem: 'missing' };
	const parsed = parseSignatureHeader(header);
	if (!parsed) return { ok: false, problem: 'malformed' };
	const key = keys.find((candidate) => candidate.keyId === parsed.keyId);
	if (!key) return { ok: false, problem: 'unknownKey' };
	const signatures = parsed.signatures.map((signature) => Buffer.from(signature, 'base64'));
	if (matchesAny(hmac(key.key, parsed.timestamp, rawBody), signatures)) return { ok: true, keyId: key.keyId, timestamp: parsed.timestamp };
	const payload = payloadJson();
	if (payload !== undefined && matchesAny(hmac(key.key, parsed.timestamp, payload), signatures)) {
		return { ok: true, keyId: key.keyId, timestamp: parsed.timestamp };
	}
	return { ok: false, problem: 'mismatch' };
}

/** The signature a sender computes (`t + "." + text`): for tests, the sandbox and the benchmark. */
export function notificationSignature(key: Buffer, timestamp: string, text: Buffer | string): string {
	return hmac(key, timestamp, text).toString('base64');
}

/** JSON with object keys sorted, so that the same data gives the same text however it was ordered. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry === undefined ? null : entry)).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value)
			.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * A notification's identity across Cybersource's retries. The body has no notification id and
 * `transactionTraceId`, `retryNumber` and `requestType` change on every retry (DESIGN §4), so the
 * key is a SHA-256 over what stays the same: webhook id, event type and the payload's data.
 */
export function notificationKey(body: { webhookId?: unknown; eventType?: unknown; payload?: unknown }): string {
	return createHash('sha256')
		.update(canonicalJson([body.webhookId ?? null, body.eventType ?? null, body.payload ?? null]))
		.digest('base64url');
}

/** Notifications remembered at most this long (Cybersource retries 3 times, a minute apart). */
export const REPLAY_WINDOW_MS = 24 * 3600 * 1000;
/** ... and at most this many (the oldest are forgotten first). */
export const REPLAY_MEMORY_SIZE = 1000;

/** The replay memory as kept in n8n's workflow static data: key -> first accepted (ms). */
export type ReplayMemory = Record<string, number>;

/**
 * Remembers `key` and tells whether it is new. Synchronous, so two deliveries of the same
 * notification in one process cannot both be new. Bounded by time and size.
 */
export function acceptOnce(memory: ReplayMemory, key: string, now: number, window = REPLAY_WINDOW_MS, size = REPLAY_MEMORY_SIZE): boolean {
	const seen = memory[key];
	if (seen !== undefined && now - seen < window) return false;
	// Keys are added in time order, so the oldest come first.
	const keys = Object.keys(memory);
	let drop = Math.max(0, keys.length + 1 - size);
	for (const existing of keys) {
		const at = memory[existing];
		if (drop > 0 || typeof at !== 'number' || now - at >= window) {
			delete memory[existing];
			if (drop > 0) drop--;
		} else break;
	}
	delete memory[key];
	memory[key] = now;
	return true;
}
