import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCatalogFile } from '../bot/infrastructure/providers/partnerCenter/partnerCenterFromSettings';

const root = join(__dirname, '..');

describe('.env.example', () => {
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const documented = new Set([...example.matchAll(/^([A-Za-z_]+)=/gm)].map((m) => m[1]));

  it('lists every setting the product reads, each with a comment', () => {
    const sources = ['bot/config.ts', 'manifest/buildPackage.ts']
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    const read = new Set(
      [...sources.matchAll(/\b(?:text|integer|hours|oneOf|required|guid|url)\(env, '([A-Za-z_]+)'/g)].map(
        (m) => m[1],
      ),
    );
    for (const m of sources.matchAll(/process\.env\.([A-Za-z_]+)|setting\('([A-Za-z_]+)'\)/g))
      read.add(m[1] ?? m[2]);
    read.delete('NODE_ENV');
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
    const lines = example.split('\n');
    for (const [i, line] of lines.entries()) {
      if (/^[A-Za-z_]+=/.test(line)) expect([line, lines[i - 1].startsWith('#')]).toEqual([line, true]);
    }
  });

  it('defaults to a single-tenant bot', () => {
    expect(example).toMatch(/^MicrosoftAppType=SingleTenant$/m);
  });

  it('ships a Partner Center catalogue example that reads', () => {
    const { prices, skus } = readCatalogFile(
      join(root, 'bot/infrastructure/providers/partnerCenter/catalog.example.json'),
    );
    expect(Object.keys(prices)).toHaveLength(4);
    expect(skus['CFQ7TTC0LH18:0001']).toBe('O365_BUSINESS_ESSENTIALS');
  });
});
