// n8n's own scanner (@n8n/scan-community-package), run the way it scans before verifying a
// package: its ESLint config, inline eslint-disable comments ignored, once on the source (the
// folder of the repository whose package.json names the package, found with the scanner's own
// findPackageRoot) and once on the unpacked tarball. Prints one JSON object: for each pass the
// scanner's verdict (analyzePackage) and every message, warnings included.
// Usage: node scripts/package/scan.mjs <repository root> <package name> <unpacked tarball folder>
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import { analyzePackage, buildScanConfig, findPackageRoot, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [repositoryRoot, packageName, tarballDir] = process.argv.slice(2);

async function messagesOf(dir, patterns) {
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	return {
		files: files.length,
		messages: results.flatMap((result) =>
			result.messages.map((m) => ({ file: result.filePath.slice(dir.length + 1), line: m.line, severity: m.severity, rule: m.ruleId, message: m.message })),
		),
	};
}

async function pass(dir, patterns) {
	const verdict = await analyzePackage(dir, patterns);
	return { passed: verdict.passed, verdictMessage: verdict.message ?? null, ...(await messagesOf(dir, patterns)) };
}

const sourceRoot = findPackageRoot(repositoryRoot, packageName);
const result = {
	sourceRoot,
	source: sourceRoot === null ? null : await pass(sourceRoot, SOURCE_FILE_PATTERNS),
	tarball: await pass(tarballDir, ['**/*.js', 'package.json']),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
