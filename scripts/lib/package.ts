/**
 * The published package (packages/n8n-nodes-cybersource): where it is, and its tarball as npm
 * publishes it. The real-n8n suite installs that tarball into n8n; the package checks scan it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');
export const PACKAGE_DIR = join(REPOSITORY_ROOT, 'packages', 'n8n-nodes-cybersource');

/** Builds the package with `n8n-node build` (its own `npm run build`). */
export function buildPackage(): void {
	const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: PACKAGE_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
	if (build.status !== 0) throw new Error('npm run build failed in packages/n8n-nodes-cybersource');
}

/** Builds and packs the package (`npm pack`) into a new temporary folder; returns the tarball's path. */
export function packPackage(): string {
	buildPackage();
	const destination = mkdtempSync(join(tmpdir(), 'n8n-nodes-cybersource-pack-'));
	const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: PACKAGE_DIR, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	return join(destination, packed.stdout.trim().split('\n').pop() as string);
}
