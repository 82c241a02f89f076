/**
 * The checks of a real-n8n run (test:n8n, test:editor, test:queue): each one timed, printed as it ends with
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

	/** Prints how many passed and which failed; true when every check ran and passed (and at least one ran). */
	summary(started: number): boolean {
		const { failed } = this;
		out(`\n${this.results.length - failed.length} of ${this.results.length} checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
		for (const result of failed) out(`✘ n8n ${result.line}: ${result.name}`);
		return failed.length === 0 && this.results.length > 0;
	}
}

/** Runs a script's `main` and exits 0 when it says all passed, 1 otherwise or when it throws. */
export function runScript(name: string, main: () => Promise<boolean>): void {
	main().then(
		(ok) => process.exit(ok ? 0 : 1),
		(error: unknown) => {
			process.stderr.write(`\nnpm run ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
			process.exit(1);
		},
	);
}
