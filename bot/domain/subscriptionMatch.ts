export type Match<T> = { kind: 'one'; item: T } | { kind: 'many'; items: T[] } | { kind: 'none' };

interface Named {
  readonly product: string;
  readonly domain: string;
}

const ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/\bm365\b/g, 'microsoft 365'],
  [/\bo365\b/g, 'office 365'],
  [/\bms\b/g, 'microsoft'],
];

const FILLER = new Set([
  'the',
  'a',
  'an',
  'my',
  'our',
  'to',
  'for',
  'of',
  'on',
  'from',
  'in',
  'please',
  'subscription',
  'subscriptions',
  'license',
  'licenses',
  'licence',
  'licences',
  'seat',
  'seats',
  'plan',
]);

/** Lower case, aliases spelled out, punctuation (but a domain's dots) and filler words dropped. */
export function nameTokens(text: string): string[] {
  let normal = text.toLowerCase();
  for (const [pattern, replacement] of ALIASES) normal = normal.replace(pattern, replacement);
  return normal
    .replace(/[^\p{L}\p{N}.\s-]/gu, ' ')
    .split(/\s+/)
    .map((t) => t.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((t) => t !== '' && !FILLER.has(t));
}

/**
 * Finds the subscription someone means by a name, part of a name ("standard", "E3", "basic contoso.eu")
 * or its number in the list shown to them (1-based). Every word typed must match a word of the product or
 * its domain (a word may be shortened to its first three letters or more).
 */
export function matchSubscription<T extends Named>(text: string, candidates: readonly T[]): Match<T> {
  const trimmed = text.trim();
  if (/^\d{1,3}$/.test(trimmed)) {
    const item = candidates[Number(trimmed) - 1];
    return item ? { kind: 'one', item } : { kind: 'none' };
  }
  const query = nameTokens(trimmed);
  if (query.length === 0) return { kind: 'none' };
  const exact = candidates.filter((c) => nameTokens(c.product).join(' ') === query.join(' '));
  if (exact.length === 1) return { kind: 'one', item: exact[0] };
  const found = candidates.filter((c) => {
    const words = nameTokens(`${c.product} ${c.domain}`);
    return query.every((q) => words.some((w) => w === q || (q.length >= 3 && w.startsWith(q))));
  });
  if (found.length === 1) return { kind: 'one', item: found[0] };
  if (found.length > 1) return { kind: 'many', items: found };
  return { kind: 'none' };
}
