/**
 * notificationVerify: what the Cybersource Trigger spends on a notification before it answers,
 * for a 2 KB notification: the `v-c-signature` check over the raw body (and, for a sender that
 * signs the payload's JSON instead, the second text), the body parsed, the notification's
 * identity (SHA-256 over webhook id, event type and payload) and the replay memory, for new
 * notifications (the memory full, so each evicts the oldest) and for replays.
 * Goal (issue 10): at most 20 µs per notification.
 */
import { randomUUID } from 'node:crypto';

import { checkNotification, notificationSignature, ReplayMemory, verifyNotificationSignature, type SignedText } from '../../packages/n8n-nodes-cybersource/lib/cybersource/notifications';
import { check, measureAsync, round, type Scenario } from './common';

const KEY = { keyId: 'bench-key', key: Buffer.alloc(32, 11) };

function notification(id: string, signed: 'body' | 'payload'): { raw: Buffer; header: string } {
	const payload = [{ data: { id, type: 'case', comments: 'x'.repeat(1500), amount: '102.21' }, organizationId: 'bench_merchant' }];
	const body = JSON.stringify({ webhookId: 'wh-1', transactionTraceId: randomUUID(), productId: 'decisionManager', organizationId: 'bench_merchant', eventType: 'risk.casemanagement.decision.accept', eventDate: new Date().toISOString(), requestType: 'NEW', retryNumber: 0, payload });
	const t = String(Date.now());
	return { raw: Buffer.from(body), header: `t=${t};keyId=${KEY.keyId};sig=${notificationSignature(KEY.key, t, signed === 'body' ? body : JSON.stringify(payload))}` };
}

/** The static data's copy of the replay memory, as receive.ts keeps it. */
const saved: { replays?: unknown } = {};

/**
 * The trigger's steps for one notification (receive.ts), without n8n around them. The JSON parse
 * is counted although in n8n its body parser has done it (the trigger reuses that).
 */
function accept(raw: Buffer, header: string, memory: ReplayMemory, now: number, hint: { signedText: SignedText }): boolean {
	const check = checkNotification(raw, header, [KEY], hint.signedText);
	if (!check.ok) return false;
	hint.signedText = check.signedText;
	if (!memory.acceptOnce(check.notificationId, now)) return false;
	saved.replays = memory.toSaved();
	return true;
}

export const notificationVerify: Scenario = {
	name: 'notificationVerify',
	label: ({ quick }) => `notificationVerify: 2 KB notifications checked, new ones and replays, per signed text${quick ? ' (quick)' : ''}`,
	async run({ quick }) {
		const fresh = quick ? 2000 : 20_000;
		const result: Record<string, number> = {};
		const checks = [];
		for (const signed of ['body', 'payload'] as const) {
			// The first 1,000 fill the replay memory to its bound; every later new one evicts the oldest.
			const samples = Array.from({ length: 1000 + fresh }, (_, index) => notification(`case-${index}`, signed));
			const memory = new ReplayMemory();
			const hint = { signedText: 'body' as SignedText }; // as receive.ts: the text that matched last is tried first
			let index = 0;
			let accepted = 0;
			const one = async () => {
				const sample = samples[index++];
				if (accept(sample.raw, sample.header, memory, Date.now(), hint)) accepted++;
			};
			for (let i = 0; i < 1000; i++) await one();
			result[`usPerNewNotification_${signed}Signed`] = round((await measureAsync(fresh / 100, one)) / 1000, 2);
			const newAccepted = accepted - 1000;
			// Replays: the last 1,000 again, round and round (each answered 200 without a run).
			accepted = 0;
			const replays = samples.slice(-1000);
			let replayIndex = 0;
			const replay = async () => {
				const sample = replays[replayIndex++ % replays.length];
				if (accept(sample.raw, sample.header, memory, Date.now(), hint)) accepted++;
			};
			result[`usPerReplay_${signed}Signed`] = round((await measureAsync(fresh / 100, replay)) / 1000, 2);
			checks.push(check(`${signed}-signed: ${fresh} new notifications accepted`, newAccepted === fresh), check(`${signed}-signed: every replay recognised`, accepted === 0));
			result[`memoryEntries_${signed}`] = memory.entries;
			// The signature check alone, over the same 2 KB.
			const sample = samples[samples.length - 1];
			const signature = async () => {
				if (!verifyNotificationSignature(sample.raw, sample.header, [KEY], () => JSON.stringify((JSON.parse(sample.raw.toString('utf8')) as { payload: unknown }).payload), hint.signedText).ok) throw new Error('the signature check failed');
			};
			result[`usSignatureCheck_${signed}Signed`] = round((await measureAsync(fresh / 100, signature)) / 1000, 2);
			checks.push(check(`${signed}-signed: replay memory at its bound (1,000)`, memory.entries === 1000));
		}
		result.notificationBytes = notification('case-0', 'body').raw.length;
		return {
			result: { scenario: 'notificationVerify', ...result, quick },
			checks,
			notes: [
				'usSignatureCheck: the v-c-signature check alone (header parsed, HMAC-SHA256 over the 2 KB, timing-safe compare); the text the sender signed last is tried first',
				'per new notification / replay: the signature check, JSON parse (n8n does it in the real path), identity hash, replay memory of 1,000 and its copy for the static data',
				'a new notification also evicts the oldest entry of the full replay memory; a replay is answered 200 without a run',
			],
		};
	},
};
