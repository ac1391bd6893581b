// Lets a plain `node` process require the project's TypeScript (`node -r ./test/support/transpileTypeScript.cjs`):
// each .ts file is transpiled on load with the project's compiler, as ts-jest does for the tests. For tests that
// need the bot as a process of its own (memory measured from outside jest).
const { readFileSync } = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      resolveJsonModule: true,
      inlineSourceMap: true,
    },
  });
  module._compile(outputText, filename);
};
