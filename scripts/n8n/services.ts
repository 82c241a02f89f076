/**
 * Redis and PostgreSQL for n8n's queue mode, from Debian's packages (installed with apt-get when
 * missing; CI runs as root), each started in a temporary folder on 127.0.0.1 and an ephemeral
 * port, and stopped (with its folder removed) by `stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { aptInstall } from '../lib/debian';
import { freePort, tail } from './cli';

const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const REDIS_SERVER = '/usr/bin/redis-server';

/** Installs Debian's redis-server and postgresql when they are missing. */
export function ensureServicePackages(): void {
	const missing = [...(existsSync(REDIS_SERVER) ? [] : ['redis-server']), ...(existsSync(join(POSTGRES_BIN, 'postgres')) ? [] : ['postgresql-15'])];
	if (missing.length > 0) aptInstall(missing);
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, what: string, limitMs = 60_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${tail(output())}`);
		const open = await new Promise<boolean>((resolve) => {
			const socket = createConnection({ host: '127.0.0.1', port }, () => {
				socket.end();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${what} did not listen on port ${port} within ${limitMs / 1000} s:\n${tail(output())}`);
}

function started(command: string, args: string[], options: { uid?: number; gid?: number; cwd?: string } = {}): { child: ChildProcess; output: () => string } {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
	let text = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (text = (text + chunk).slice(-20_000)));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text = (text + chunk).slice(-20_000)));
	return { child, output: () => text };
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
	child.kill('SIGTERM');
	const hard = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await closed.finally(() => clearTimeout(hard));
}

export interface Services {
	redisPort: number;
	postgresPort: number;
	database: string;
	user: string;
	/** The environment that points n8n at both (queue mode). */
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root: the cluster belongs to Debian's `postgres` user then. */
function postgresUser(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
	if (id.status !== 0) throw new Error('PostgreSQL needs a non-root user, and Debian\'s "postgres" user is missing.');
	return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startServices(): Promise<Services> {
	ensureServicePackages();
	const folder = mkdtempSync(join(tmpdir(), 'n8n-queue-services-'));
	const user = postgresUser();
	if (user.uid !== undefined && user.gid !== undefined) chownSync(folder, user.uid, user.gid);
	const redisPort = await freePort();
	const redis = started(REDIS_SERVER, ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', folder], user);
	const children = [redis.child];
	const stop = async () => {
		await Promise.all(children.map(stopChild));
		rmSync(folder, { recursive: true, force: true });
	};
	try {
		await waitForPort(redisPort, redis.child, redis.output, 'redis-server');
		const data = join(folder, 'pg');
		const init = spawnSync(join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync'], { encoding: 'utf8', ...user, timeout: 120_000 });
		if (init.status !== 0) throw new Error(`initdb failed:\n${tail(init.stdout)}\n${tail(init.stderr)}`);
		const postgresPort = await freePort();
		const postgres = started(join(POSTGRES_BIN, 'postgres'), ['-D', data, '-h', '127.0.0.1', '-p', String(postgresPort), '-k', folder, '-c', 'fsync=off', '-c', 'max_connections=200'], user);
		children.push(postgres.child);
		await waitForPort(postgresPort, postgres.child, postgres.output, 'postgres');
		const created = spawnSync(join(POSTGRES_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(postgresPort), '-U', 'n8n', 'n8n'], { encoding: 'utf8', timeout: 60_000 });
		if (created.status !== 0) throw new Error(`createdb failed:\n${tail(created.stderr)}`);
		return {
			redisPort,
			postgresPort,
			database: 'n8n',
			user: 'n8n',
			n8nEnv: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(postgresPort),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'n8n',
				DB_POSTGRESDB_PASSWORD: '',
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
				QUEUE_HEALTH_CHECK_ACTIVE: 'false',
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** One SQL query through psql, its rows as tab-separated lines. */
export function sql(services: Services, query: string): string[] {
	const result = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(services.postgresPort), '-U', services.user, '-d', services.database, '-At', '-F', '\t', '-c', query], {
		encoding: 'utf8',
		timeout: 60_000,
	});
	if (result.status !== 0) throw new Error(`psql failed: ${tail(result.stderr)}`);
	return result.stdout.split('\n').filter((line) => line !== '');
}
