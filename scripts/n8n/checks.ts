/**
 * The checks of a real-n8n run (test:n8n, test:editor): each one timed, printed as it ends with
 * what it found or why it failed, and kept for the summary and the exit code.
 */
import type { CliLine } from './cli';

export const out = (line = '') => process.stdout.write(`${line}\n`);

export interface CheckResult {
	line: string;
	name: string;
	ok: boolean;
	detail: string;
	seconds: number;
}

export type Check = (line: CliLine, name: string, body: () => Promise<string>) => Promise<boolean>;

/** A failure's message; `withStack` keeps the first lines of its stack (where a browser step broke). */
function failureOf(error: unknown, withStack: boolean): string {
	if (!(error instanceof Error)) return String(error);
	return withStack ? (error.stack ?? error.message).split('\n').slice(0, 6).join('\n') : error.message;
}

export class CheckRun {
	readonly results: CheckResult[] = [];

	constructor(private readonly withStack = false) {}

	readonly check: Check = async (line, name, body) => {
		const started = Date.now();
		let ok = true;
		let detail: string;
		try {
			detail = await body();
		} catch (error) {
			ok = false;
			detail = failureOf(error, this.withStack);
		}
		const seconds = (Date.now() - started) / 1000;
		this.results.push({ line: line.version, name, ok, detail, seconds });
		out(`${ok ? '✔' : '✘'} n8n ${line.version}: ${name} (${seconds.toFixed(1)} s)${detail ? `\n    ${detail.split('\n').join('\n    ')}` : ''}`);
		return ok;
	};

	get failed(): CheckResult[] {
		return this.results.filter((result) => !result.ok);
	}
}
