'use strict';
/** Lets a bench process require the package's TypeScript (the nodes, the test helpers) without a build. */
function registerTypeScript() {
	const fs = require('node:fs');
	const ts = require('typescript');
	require.extensions['.ts'] = (module, filename) => {
		const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: filename,
		});
		module._compile(outputText, filename);
	};
}

module.exports = { registerTypeScript };
