import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The directory holding package.json and manifest/, found by walking up from `start`: the same answer whether
 * this runs from manifest/ (ts-jest) or from dist/manifest/ (compiled), where the template and icons are not copied.
 */
export function projectRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (
      existsSync(join(dir, 'package.json')) &&
      existsSync(join(dir, 'manifest', 'manifest.template.json'))
    ) {
      return dir;
    }
    if (dirname(dir) === dir) {
      throw new Error(`No project root (package.json with manifest/manifest.template.json) above ${start}`);
    }
  }
}
