/**
 * Shared pieces of the benchmark scenarios (scripts/bench.ts): what a scenario returns, the
 * Cybersource workflow the node-path scenarios run, n8n's own HTTP client, timing and heap helpers.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';

import { ensureEngineEnvironment } from '../../test/harness/engine';
import type { StoredCredential } from '../../test/harness/credentials-helper';
import { authorizeParameters, cybersourceNode } from '../../test/support/cybersource';
import type { Sandbox } from '../../test/servers/cybersource/server';
import { cybersourceCredentialData } from '../lib/localServers';

export interface BenchOptions {
	/** `--quick`: smaller sizes, for a check in about a minute. */
	quick: boolean;
	/** `--items=N`: items of the sequential scenario instead of 10,000 (quick: 300). */
	items?: number;
}

/** One line of the JSON output: `{ scenario, ...numbers, quick }`. */
export type ScenarioResult = { scenario: string; quick: boolean } & Record<string, number | string | boolean>;

/** A deterministic count the benchmark insists on (exit code 1 when one fails). */
export interface Check {
	label: string;
	ok: boolean;
}

export interface ScenarioOutcome {
	result: ScenarioResult;
	checks: Check[];
	/** Free-text notes for the human table (what was measured, how). */
	notes?: string[];
}

export interface Scenario {
	name: string;
	/** What the progress line says while it runs. */
	label(options: BenchOptions): string;
	run(options: BenchOptions): Promise<ScenarioOutcome>;
}

export function check(label: string, ok: boolean): Check {
	return { label, ok };
}

// ------------------------------------------------------------------ numbers

/** Median nanoseconds per call of `work` over `batches` batches of `batchSize` calls. */
export async function measureAsync(batches: number, work: () => Promise<unknown>, batchSize = 100): Promise<number> {
	const perCall: number[] = [];
	for (let b = 0; b < batches; b++) {
		const started = process.hrtime.bigint();
		for (let i = 0; i < batchSize; i++) await work();
		perCall.push(Number(process.hrtime.bigint() - started) / batchSize);
	}
	return median(perCall);
}

export function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Rounds for the JSON output: `digits` decimals, never more precision than measured. */
export function round(value: number, digits = 2): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

export function elapsedMs(startedNs: bigint): number {
	return Number(process.hrtime.bigint() - startedNs) / 1e6;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const started = process.hrtime.bigint();
	const value = await work();
	return { value, ms: elapsedMs(started) };
}

/** Runs `count` tasks with at most `concurrency` at a time. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

// ------------------------------------------------------------------ heap

let gcFunction: (() => void) | undefined | null = null;

/**
 * A full garbage collection, when one can be had: `global.gc` under `--expose-gc`, otherwise the
 * same function obtained at run time (V8 flag set, then read from a new context), so that the
 * npm script needs no extra node flag. Undefined if neither works.
 */
export function garbageCollector(): (() => void) | undefined {
	if (gcFunction !== null) return gcFunction;
	const exposed = (globalThis as { gc?: () => void }).gc;
	if (typeof exposed === 'function') {
		gcFunction = exposed;
		return gcFunction;
	}
	try {
		setFlagsFromString('--expose-gc');
		const obtained = runInNewContext('gc') as unknown;
		gcFunction = typeof obtained === 'function' ? (obtained as () => void) : undefined;
	} catch {
		gcFunction = undefined;
	}
	return gcFunction;
}

/** Heap in use, in MB, after a full collection when available. */
export function heapUsedMB(): number {
	const gc = garbageCollector();
	if (gc) {
		gc();
		gc();
	}
	return process.memoryUsage().heapUsed / (1024 * 1024);
}

/**
 * Garbage-collection pauses by time window (performance.now() timeline), to tell how much of a
 * measured phase went to GC. Entries arrive asynchronously; `pausedMs` collects pending ones.
 */
export class GcPauses {
	private readonly pauses: Array<{ start: number; duration: number }> = [];
	private readonly observer = new PerformanceObserver((list) => this.add(list.getEntries()));

	constructor() {
		this.observer.observe({ entryTypes: ['gc'] });
	}

	now(): number {
		return performance.now();
	}

	private add(entries: ReadonlyArray<{ startTime: number; duration: number }>): void {
		for (const entry of entries) this.pauses.push({ start: entry.startTime, duration: entry.duration });
	}

	/** Milliseconds of GC pauses that started in [from, to). */
	async pausedMs(from: number, to: number): Promise<number> {
		await new Promise((resolve) => setImmediate(resolve));
		this.add(this.observer.takeRecords());
		return this.pauses.filter((pause) => pause.start >= from && pause.start < to).reduce((sum, pause) => sum + pause.duration, 0);
	}

	stop(): void {
		this.observer.disconnect();
	}
}

// ------------------------------------------------------------------ n8n's HTTP client

/**
 * n8n's own request function: what `this.helpers.httpRequest` and
 * `httpRequestWithAuthentication` of n8n-core call after authenticating
 * (`Container.get(OutboundHttp).requests().request`, n8n-core request-helpers/factory.js and
 * authentication.js). Same client, same agent handling (a new https.Agent per request with the
 * given agentOptions), same response parsing.
 */
export function n8nHttpRequest(): (options: IHttpRequestOptions) => Promise<unknown> {
	ensureEngineEnvironment();
	const client = Container.get(OutboundHttp).requests();
	return async (options) => await client.request(options);
}

// ------------------------------------------------------------------ the Cybersource workflow

export const FUTURE_YEAR = String(new Date().getFullYear() + 3);
export const CARD = '4111111111111111';

/** Order items: amounts cycle through 10.00-89.00 (none of the sandbox's magic amounts). */
let baselineIds = 0;

/**
 * A merchant transaction ID for a request a baseline sends in the node's place: 30 characters,
 * unique, the size of the one the node derives for each execution, node and item.
 */
export function baselineTransactionId(): string {
	return `b${String(++baselineIds).padStart(29, '0')}`;
}

/** A request body with its merchant transaction ID set aside (`:id`), for comparing node and baseline requests. */
export function idsAside(body: unknown): unknown {
	const reference = (body as { clientReferenceInformation?: { transactionId?: unknown } } | undefined)?.clientReferenceInformation;
	if (reference?.transactionId === undefined) return body;
	return { ...(body as object), clientReferenceInformation: { ...reference, transactionId: ':id' } };
}

export function orderItems(count: number, batch: string): IDataObject[] {
	return Array.from({ length: count }, (_, i) => ({ reference: `BENCH-${batch}-${i + 1}`, amount: `${10 + (i % 80)}.00` }));
}

/** A Cybersource credential for the sandbox with a refresh token of its own (a new chain). */
export function sandboxCredential(sandbox: Sandbox, id: string): StoredCredential {
	return { id, name: `Bench ${id}`, type: 'cybersourceOAuth2Api', data: cybersourceCredentialData(sandbox) };
}

export const authorizeNode = (credential: StoredCredential): INode => cybersourceNode('Authorize', authorizeParameters(), credential);

/** Authorize → Capture → Transaction Get, as in test/nodes/cybersource.engine.test.ts. */
export function paymentChain(credential: StoredCredential): INode[] {
	return [
		authorizeNode(credential),
		cybersourceNode(
			'Capture',
			{
				resource: 'payment',
				operation: 'capture',
				paymentId: '={{ $json.id }}',
				amount: '={{ $json.orderInformation.amountDetails.authorizedAmount }}',
				currency: 'USD',
			},
			credential,
		),
		cybersourceNode('Get', { resource: 'transaction', operation: 'get', transactionId: '={{ $json.id }}' }, credential),
	];
}
