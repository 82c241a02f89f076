'use strict';
// Runs a TypeScript entry point (scripts/demo.ts, scripts/bench.ts) without a build step for the
// test servers and harness they share with the tests: each .ts file is transpiled on require with
// the TypeScript compiler already in devDependencies (type checking is `npm run typecheck`'s job).
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2022,
			esModuleInterop: true,
			sourceMap: false,
			inlineSourceMap: true,
		},
	});
	module._compile(outputText, filename);
};

// Resolution tries extensions in registration order: put .ts before .json and .node, so that
// `require('./Cybersource.node')` finds the node's .ts file, not its codex .json file.
for (const extension of ['.json', '.node']) {
	const handler = require.extensions[extension];
	delete require.extensions[extension];
	require.extensions[extension] = handler;
}

const entry = process.argv[2];
if (!entry) {
	process.stderr.write('usage: node scripts/run-ts.js <file.ts> [args...]\n');
	process.exit(2);
}
process.argv.splice(1, 1);
require(path.resolve(entry));
