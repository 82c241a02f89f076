import { acceptOnce, canonicalJson, notificationKey, notificationSignature, parseSignatureHeader, verifyNotificationSignature } from '../../lib/cybersource/notifications';

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

	it('accepts a signature over the raw body and one over the payload JSON', () => {
		expect(verify(header(body))).toEqual({ ok: true, keyId: 'key-1', timestamp: '1700000000000' });
		expect(verify(header(payloadText))).toMatchObject({ ok: true });
	});

	it('tells missing, malformed, unknown key and mismatch apart', () => {
		expect(verify(undefined)).toEqual({ ok: false, problem: 'missing' });
		expect(verify('sig=abc')).toEqual({ ok: false, problem: 'malformed' });
		expect(verify(header(body, '1', 'key-2'))).toEqual({ ok: false, problem: 'unknownKey' });
		expect(verify(header(body), Buffer.from(body.toString().replace('"1"', '"2"')))).toEqual({ ok: false, problem: 'mismatch' });
		expect(verify(header(body).replace('t=1700000000000', 't=1700000000001'))).toEqual({ ok: false, problem: 'mismatch' });
	});
});

describe('notification identity', () => {
	it('is the same across retries (trace id, retry number, key order) and differs for another payload', () => {
		const first = { webhookId: 'w', eventType: 'e', transactionTraceId: 'a', retryNumber: 0, payload: [{ data: { id: '1', b: 2 } }] };
		const retry = { retryNumber: 1, transactionTraceId: 'b', payload: [{ data: { b: 2, id: '1' } }], eventType: 'e', webhookId: 'w' };
		expect(notificationKey(retry)).toBe(notificationKey(first));
		expect(notificationKey({ ...first, payload: [{ data: { id: '2', b: 2 } }] })).not.toBe(notificationKey(first));
		expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
	});

	it('remembers a key once, forgets after the window, and keeps at most the given number', () => {
		const memory = {};
		expect(acceptOnce(memory, 'a', 0, 1000, 3)).toBe(true);
		expect(acceptOnce(memory, 'a', 999, 1000, 3)).toBe(false);
		expect(acceptOnce(memory, 'a', 1000, 1000, 3)).toBe(true);
		for (const next of ['b', 'c', 'd']) acceptOnce(memory, next, 1001, 1000, 3);
		expect(Object.keys(memory)).toEqual(['b', 'c', 'd']);
	});
});
