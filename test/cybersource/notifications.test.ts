import fc from 'fast-check';

import { checkNotification, identityText, notificationKey, notificationSignature, parseSignatureHeader, ReplayMemory, savedAcceptance, verifyNotificationSignature } from '../../packages/n8n-nodes-cybersource/lib/cybersource/notifications';

const key = { keyId: 'key-1', key: Buffer.alloc(32, 3) };
const body = Buffer.from('{"webhookId":"w","eventType":"e","payload":[{"data":{"id":"1"}}]}');
const payloadText = '[{"data":{"id":"1"}}]';
const header = (text: string | Buffer, t = '1700000000000', keyId = 'key-1') => `t=${t};keyId=${keyId};sig=${notificationSignature(key.key, t, text)}`;
const verify = (value: string | undefined, raw = body) => verifyNotificationSignature(raw, value, [key], () => payloadText);

describe('v-c-signature', () => {
	it('parses t, keyId and one or more sig parts in any order', () => {
		expect(parseSignatureHeader('keyId=k;sig=YQ==;t=12;sig=Yg==')).toEqual({ timestamp: '12', keyId: 'k', signatures: ['YQ==', 'Yg=='] });
	});

	it.each(['', 't=1;keyId=k', 'keyId=k;sig=YQ==', 't=x;keyId=k;sig=YQ==', 't=1;t=2;keyId=k;sig=YQ==', 't=1;keyId=k;sig=not base64!', 'garbage'])('calls %j malformed', (value) => {
		expect(parseSignatureHeader(value)).toBeUndefined();
	});

	it('accepts a signature over the raw body and one over the payload JSON, whichever it tries first', () => {
		for (const firstTry of ['body', 'payload'] as const) {
			const check = (text: string | Buffer) => verifyNotificationSignature(body, header(text), [key], () => payloadText, firstTry);
			expect(check(body)).toEqual({ ok: true, keyId: 'key-1', timestamp: '1700000000000', signedText: 'body' });
			expect(check(payloadText)).toEqual({ ok: true, keyId: 'key-1', timestamp: '1700000000000', signedText: 'payload' });
			expect(check('[{"data":{"id":"2"}}]')).toEqual({ ok: false, problem: 'mismatch' });
		}
	});

	it('tells missing, malformed, unknown key and mismatch apart', () => {
		expect(verify(undefined)).toEqual({ ok: false, problem: 'missing' });
		expect(verify('sig=abc')).toEqual({ ok: false, problem: 'malformed' });
		expect(verify(header(body, '1', 'key-2'))).toEqual({ ok: false, problem: 'unknownKey' });
		expect(verify(header(body), Buffer.from(body.toString().replace('"1"', '"2"')))).toEqual({ ok: false, problem: 'mismatch' });
		expect(verify(header(body).replace('t=1700000000000', 't=1700000000001'))).toEqual({ ok: false, problem: 'mismatch' });
	});
});

describe('checkNotification', () => {
	it('checks the signature, then gives the body and its identity, parsing only when not given', () => {
		const checked = checkNotification(body, header(body), [key], 'body');
		expect(checked).toEqual({ ok: true, body: JSON.parse(body.toString()), notificationId: notificationKey(JSON.parse(body.toString())), keyId: 'key-1', signedText: 'body' });
		const given = { webhookId: 'w', eventType: 'e', payload: [{ data: { id: '1' } }] };
		expect(checkNotification(body, header(payloadText), [key], 'payload', given)).toMatchObject({ ok: true, body: given, signedText: 'payload' });
		expect(checkNotification(Buffer.from('not json'), header('not json'), [key], 'body')).toMatchObject({ ok: true, body: {} });
		expect(checkNotification(body, header('other'), [key], 'body')).toEqual({ ok: false, problem: 'mismatch' });
	});
});

describe('notification identity', () => {
	it('is the same across retries (trace id, retry number, key order) and differs for another payload', () => {
		const first = { webhookId: 'w', eventType: 'e', transactionTraceId: 'a', retryNumber: 0, payload: [{ data: { id: '1', b: 2 } }] };
		const retry = { retryNumber: 1, transactionTraceId: 'b', payload: [{ data: { b: 2, id: '1' } }], eventType: 'e', webhookId: 'w' };
		expect(notificationKey(retry)).toBe(notificationKey(first));
		expect(notificationKey({ ...first, payload: [{ data: { id: '2', b: 2 } }] })).not.toBe(notificationKey(first));
	});

	it('gives equal data the same identity text and different data different ones', () => {
		expect(identityText({ b: [1, { d: 1, c: 2 }], a: null })).toBe(identityText({ a: null, b: [1, { c: 2, d: 1 }] }));
		const distinct = [['ab', 'c'], ['a', 'bc'], ['a1:b'], [1], ['1'], [true], ['t'], [null], ['z'], [[]], [{}], [['a']], [{ a: 'b' }], [{ 'a1:b': 'z' }], ['\ud800'], ['\ufffd']];
		expect(new Set(distinct.map((value) => identityText(value))).size).toBe(distinct.length);
		// Any two JSON values: the same text exactly when they are deeply equal (key order aside).
		const sorted = (value: unknown): unknown =>
			Array.isArray(value) ? value.map(sorted) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])])) : value;
		fc.assert(
			fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
				expect(identityText(a) === identityText(b)).toBe(JSON.stringify(sorted(a)) === JSON.stringify(sorted(b)));
			}),
			{ numRuns: 2000 },
		);
		fc.assert(
			fc.property(fc.jsonValue(), (a) => {
				expect(identityText(JSON.parse(JSON.stringify(a)))).toBe(identityText(a));
			}),
		);
	});

	it('remembers a key once, forgets after the window, and keeps at most the given number', () => {
		const memory = new ReplayMemory(3, 1000);
		expect(memory.acceptOnce('a', 0)).toBe(true);
		expect(memory.acceptOnce('a', 999)).toBe(false);
		expect(memory.acceptOnce('a', 1000)).toBe(true);
		for (const next of ['b', 'c', 'd']) expect(memory.acceptOnce(next, 1001)).toBe(true);
		expect(memory.toSaved()).toEqual({ keys: ['b', 'c', 'd'], at: [1001, 1001, 1001] });
		expect(memory.acceptOnce('a', 1002)).toBe(true); // 'a' was the oldest, forgotten for 'd'
		expect(memory.entries).toBe(3);
		expect(memory.acceptOnce('b', 2001)).toBe(true); // every entry as old as the window is gone
		expect(memory.toSaved()).toEqual({ keys: ['a', 'b'], at: [1002, 2001] });
	});

	it('survives a restart through what it saves, and reads another process\'s save', () => {
		const before = new ReplayMemory(3, 1000);
		for (const key of ['a', 'b', 'c', 'd']) before.acceptOnce(key, 500);
		const saved: unknown = JSON.parse(JSON.stringify(before.toSaved())); // as n8n stores the static data
		const after = new ReplayMemory(3, 1000);
		after.restore(saved, 600);
		expect(['b', 'c', 'd', 'a'].map((key) => after.acceptOnce(key, 700))).toEqual([false, false, false, true]);
		expect(savedAcceptance(saved, 'c', 1499, 1000)).toBe(500);
		expect(savedAcceptance(saved, 'c', 1500, 1000)).toBeUndefined();
		expect(savedAcceptance(saved, 'a', 600, 1000)).toBeUndefined();
		for (const malformed of [undefined, null, {}, { keys: ['a'], at: [] }, { a: 1 }, 'a']) {
			const memory = new ReplayMemory(3, 1000);
			memory.restore(malformed, 0);
			expect([memory.entries, savedAcceptance(malformed, 'a', 0)]).toEqual([0, undefined]);
		}
		const mixed = new ReplayMemory(3, 1000);
		mixed.restore({ keys: ['a', 7, 'b', 'c'], at: [1, 2, 'x', 3] }, 10);
		expect(mixed.toSaved()).toEqual({ keys: ['a', 'c'], at: [1, 3] });
	});
});
