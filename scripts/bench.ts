/**
 * npm run bench [-- --quick] [-- --items=N] [-- --only=sequential,cacheHit] [-- --seed=N]
 *
 * The token cache under load, through n8n-core's real engine (WorkflowExecute via the test
 * harness) against local servers on 127.0.0.1 (scenarios in scripts/bench/):
 * - sequential: N items through Authorize → Capture → Transaction Get vs the same requests sent
 *   with n8n's httpRequest and a fixed token (overheadRatio);
 * - coldConcurrent: 200 executions at once on an empty cache (one token request);
 * - expiry: steady traffic over several 2-second token lifetimes (no 401);
 * - manyCredentials: thousands of distinct credentials into the bounded cache (size, heap);
 * - cacheHit: the per-request cost of describing + fingerprinting a credential + the lookup;
 * - notificationVerify: the trigger's check of a 2 KB notification (signature, identity, replays);
 * - triggerDelivery: 1,000 notifications to a real n8n (n8n start): runs started, lost, duplicates;
 * - bulkCharge: 1,000 authorizations with 300 ms answers: HTTP Request node vs the node at Concurrency 10 and 1.
 * stdout: one JSON object per scenario, one per line. stderr: progress and a table.
 * Exit code 1 when a deterministic count is off (token requests, 401s, cache size) or a
 * scenario fails; timings are reported, never asserted.
 */
import { availableParallelism, cpus } from 'node:os';

import { bulkCharge } from './bench/bulkCharge';
import { cacheHit } from './bench/cacheHit';
import { coldConcurrent } from './bench/coldConcurrent';
import { customParameters } from './bench/customParameters';
import type { BenchOptions, Check, Scenario, ScenarioOutcome } from './bench/common';
import { expiry } from './bench/expiry';
import { manyCredentials } from './bench/manyCredentials';
import { merchantSequential } from './bench/merchantSequential';
import { merchantSigning } from './bench/merchantSigning';
import { messageEncryption } from './bench/messageEncryption';
import { notificationVerify } from './bench/notificationVerify';
import { triggerDelivery } from './bench/triggerDelivery';
import { sequential } from './bench/sequential';
import { step } from './lib/progress';

const SCENARIOS: Scenario[] = [sequential, coldConcurrent, expiry, manyCredentials, cacheHit, merchantSigning, messageEncryption, merchantSequential, customParameters, notificationVerify, triggerDelivery, bulkCharge];

const err = (line = '') => process.stderr.write(`${line}\n`);

function parseArguments(argv: string[]): { options: BenchOptions; only?: Set<string> } {
	let quick = false;
	let items: number | undefined;
	let only: Set<string> | undefined;
	for (const argument of argv) {
		if (argument === '--quick') quick = true;
		else if (argument.startsWith('--items=')) {
			items = Number(argument.slice('--items='.length));
			if (!Number.isInteger(items) || items < 10) throw new Error(`--items must be a whole number of at least 10, not ${argument.slice('--items='.length)}`);
		} else if (argument.startsWith('--seed=')) {
			// read by the customParameters scenario
		} else if (argument.startsWith('--only=')) only = new Set(argument.slice('--only='.length).split(',').filter(Boolean));
		else throw new Error(`unknown argument ${argument} (use --quick, --items=N, --only=${SCENARIOS.map((s) => s.name).join(',')})`);
	}
	for (const name of only ?? []) {
		if (!SCENARIOS.some((scenario) => scenario.name === name)) throw new Error(`no scenario "${name}"`);
	}
	return { options: { quick, items }, only };
}

interface Row {
	name: string;
	outcome?: ScenarioOutcome;
	error?: string;
}

function printTable(rows: Row[]): void {
	const lines: Array<[string, string, string]> = [['Scenario', 'Metric', 'Value']];
	for (const row of rows) {
		let first = true;
		const add = (metric: string, value: string) => {
			lines.push([first ? row.name : '', metric, value]);
			first = false;
		};
		if (row.error !== undefined) {
			add('FAILED', row.error.split('\n')[0]);
			continue;
		}
		const { result, checks } = row.outcome as ScenarioOutcome;
		for (const [key, value] of Object.entries(result)) {
			if (key !== 'scenario' && key !== 'quick') add(key, String(value));
		}
		for (const c of checks) add(c.ok ? 'check ✔' : 'check ✘', c.label);
	}
	const widths = [0, 1].map((column) => Math.max(...lines.map((line) => line[column].length)));
	err();
	lines.forEach((line, index) => {
		err(`${line[0].padEnd(widths[0])}  ${line[1].padEnd(widths[1])}  ${line[2]}`);
		if (index === 0) err(`${'─'.repeat(widths[0])}  ${'─'.repeat(widths[1])}  ${'─'.repeat(12)}`);
	});
	for (const row of rows) {
		for (const note of row.outcome?.notes ?? []) err(`  ${row.name}: ${note}`);
	}
}

async function main(): Promise<number> {
	const { options, only } = parseArguments(process.argv.slice(2));
	const started = Date.now();
	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	err(`n8n-nodes-cybersource bench${options.quick ? ' (quick)' : ''}: node ${process.version}, ${availableParallelism()} CPUs (${cpu}); servers on 127.0.0.1 only.\n`);

	const rows: Row[] = [];
	const failedChecks: Array<{ scenario: string; check: Check }> = [];
	for (const scenario of SCENARIOS) {
		if (only !== undefined && !only.has(scenario.name)) continue;
		try {
			const outcome = await step(scenario.label(options), () => scenario.run(options));
			process.stdout.write(`${JSON.stringify(outcome.result)}\n`);
			rows.push({ name: scenario.name, outcome });
			for (const c of outcome.checks) if (!c.ok) failedChecks.push({ scenario: scenario.name, check: c });
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			err(`  ${scenario.name} failed: ${message}`);
			rows.push({ name: scenario.name, error: message });
		}
	}

	printTable(rows);
	const failedScenarios = rows.filter((row) => row.error !== undefined);
	err(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
	for (const { scenario, check } of failedChecks) err(`✘ ${scenario}: expected ${check.label}`);
	for (const row of failedScenarios) err(`✘ ${row.name}: ${row.error}`);
	return failedChecks.length > 0 || failedScenarios.length > 0 ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		err(`\nThe benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	},
);
