/**
 * The one classifier of requests that got no answer, used for token requests and Cybersource API
 * requests alike: only `not-connected` may say that nothing was sent.
 */
import { classifyNetworkFailure } from '../../packages/n8n-nodes-cybersource/lib/oauth2/networkFailure';

const coded = (code: string) => Object.assign(new Error('library text that may carry the request'), { code });

describe('classifyNetworkFailure', () => {
	it.each([
		['ECONNREFUSED', 'not-connected'],
		['ENOTFOUND', 'not-connected'],
		['ENETUNREACH', 'not-connected'],
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'not-connected'],
		['ERR_TLS_CERT_ALTNAME_INVALID', 'not-connected'],
		['ETIMEDOUT', 'timed-out'],
		['ERR_CANCELED', 'timed-out'],
		['UND_ERR_CONNECT_TIMEOUT', 'timed-out'],
		['ERR_STREAM_PREMATURE_CLOSE', 'cut-off'],
		['ECONNRESET', 'closed'],
		['EPIPE', 'closed'],
	])('%s is %s', (code, kind) => {
		expect(classifyNetworkFailure(coded(code))).toEqual({ kind, code });
	});

	it("reads the code along the cause chain and from n8n's httpCode", () => {
		expect(classifyNetworkFailure(new Error('wrapped', { cause: new Error('again', { cause: coded('ECONNREFUSED') }) }))).toEqual({ kind: 'not-connected', code: 'ECONNREFUSED' });
		expect(classifyNetworkFailure({ message: 'n8n text', httpCode: 'ETIMEDOUT' })).toEqual({ kind: 'timed-out', code: 'ETIMEDOUT' });
		// An HTTP status in httpCode is no error code.
		expect(classifyNetworkFailure({ message: 'failed', httpCode: '502' })).toEqual({ kind: 'closed', code: undefined });
	});

	it("falls back on n8n's own wording only, and calls anything else closed (it may have been processed)", () => {
		expect(classifyNetworkFailure(new Error('The service refused the connection - perhaps it is offline')).kind).toBe('not-connected');
		expect(classifyNetworkFailure(new Error('timeout of 1000ms exceeded')).kind).toBe('timed-out');
		expect(classifyNetworkFailure(new Error('socket hang up')).kind).toBe('closed');
		expect(classifyNetworkFailure(undefined).kind).toBe('closed');
	});
});
