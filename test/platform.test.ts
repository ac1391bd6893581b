import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

/**
 * The runtime (README: "Node.js"): the suite runs on the Node.js that `package.json` pins for this platform when
 * npm installed it (npm scripts put node_modules/.bin first), else on a system Node.js that `engines` accepts.
 */
const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};

describe('the Node.js runtime', () => {
  it('is one that engines accepts (22.12 or later)', () => {
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
    expect(semver.satisfies(process.version, '>=22.12')).toBe(true);
  });

  it('is, under `npm test`, the pinned Node.js 24 package when npm installed one for this platform', () => {
    const pinned = `node-${process.platform}-${process.arch}`;
    const installed = join(root, 'node_modules', pinned, 'package.json');
    if (process.env.npm_lifecycle_event !== 'test') {
      // jest started directly with another Node.js (to try Node.js 22, say): the version check above is the rule.
      return;
    }
    if (!existsSync(installed)) {
      // No pinned package for this platform: npm skipped the optional dependency, the system Node.js runs.
      expect(manifest.optionalDependencies[pinned]).toBeUndefined();
      return;
    }
    const { version } = JSON.parse(readFileSync(installed, 'utf8')) as { version: string };
    expect(version).toBe(manifest.optionalDependencies[pinned]);
    expect(semver.major(version)).toBe(24);
    expect(process.version).toBe(`v${version}`);
  });
});
