/**
 * Debian packages the real-n8n scripts need (Chromium, Redis, PostgreSQL), installed with
 * apt-get when missing: CI runs as root; a session that is not root goes through sudo.
 */
import { spawnSync } from 'node:child_process';

/** `apt-get install` of `packages`, refreshing the package lists once if the first try fails. */
export function aptInstall(packages: string[]): void {
	const root = process.getuid?.() === 0;
	const apt = (args: string[]) =>
		spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			timeout: 900_000,
		}).status === 0;
	const install = ['install', '-y', '-qq', '--no-install-recommends', ...packages];
	if (apt(install)) return;
	if (!apt(['update', '-qq']) || !apt(install)) throw new Error(`could not install Debian's ${packages.join(', ')} (apt-get install -y ${packages.join(' ')})`);
}
