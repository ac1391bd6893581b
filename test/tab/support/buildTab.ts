import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Compiles the tab's browser code (tab/tsconfig.json: tab/src/*.ts -> dist/tab/*.js) the way the build does,
 * so the page under test runs the current source. Each file is written whole (rename), so a suite reading it
 * while another suite builds never sees half a file. Throws with the compiler's messages on any error.
 */
export function buildTab(): void {
  const configFile = join(ROOT, 'tab', 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  if (read.error) throw new Error(describe([read.error]));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile));
  if (parsed.errors.length > 0) throw new Error(describe(parsed.errors));
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) throw new Error(describe(diagnostics));
  const emitted = program.emit(undefined, (fileName, text) => {
    mkdirSync(dirname(fileName), { recursive: true });
    const partial = `${fileName}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, fileName);
  });
  if (emitted.diagnostics.length > 0) throw new Error(describe(emitted.diagnostics));
}

function describe(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => '\n',
  });
}
