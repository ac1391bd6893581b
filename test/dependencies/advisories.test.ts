import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

/**
 * The README's "Known advisories" table is the list of minimum versions: this test fails when package-lock.json
 * holds any copy of a listed package below its minimum (an override removed, a lock regenerated, a downgrade).
 * The registry this project is built from cannot answer `npm audit`, so the table is kept current by hand.
 */
const root = join(__dirname, '../..');

interface Minimum {
  readonly name: string;
  readonly minimum: string;
}

function minimumsFromReadme(): Minimum[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- advisories:start -->');
  const end = readme.indexOf('<!-- advisories:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no advisories table between its markers');
  return readme
    .slice(start, end)
    .split('\n')
    .map((line) => /^\|\s*`([^`]+)`\s*\|\s*([0-9][^\s|]*)\s*\|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1], minimum: match[2] }));
}

function lockedVersions(name: string): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  return Object.entries(lock.packages)
    .filter(([path]) => path.endsWith(`node_modules/${name}`))
    .map(([, entry]) => entry.version ?? '');
}

describe('known advisories: no locked package below the README minimums', () => {
  const minimums = minimumsFromReadme();

  it('reads a table that names the packages of the overrides', () => {
    const overrides = Object.keys(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { overrides: object }).overrides,
    );
    expect(minimums.length).toBeGreaterThanOrEqual(overrides.length);
    expect(overrides.filter((name) => !minimums.some((m) => m.name === name))).toEqual([]);
    for (const { minimum } of minimums) expect(semver.valid(minimum)).toBe(minimum);
  });

  it.each(minimumsFromReadme().map((m) => [m.name, m.minimum]))(
    '%s is at least %s wherever the lock holds it',
    (name, minimum) => {
      const versions = lockedVersions(name);
      expect(versions.length).toBeGreaterThan(0);
      const below = versions.filter((version) => !semver.valid(version) || semver.lt(version, minimum));
      expect(below).toEqual([]);
    },
  );
});
