import type { ConnectorCall } from './fakeConnector';

export interface CardJson {
  readonly type: string;
  readonly body?: unknown[];
  readonly actions?: unknown[];
  readonly [key: string]: unknown;
}

/** The Adaptive Card of a connector call or an invoke response, if it carries one. */
export function adaptiveCardOf(call: Pick<ConnectorCall, 'body'> | undefined): CardJson | undefined {
  const attachments = (call?.body.attachments ?? []) as Array<{ contentType: string; content: CardJson }>;
  return attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All text a card shows (text blocks and facts), joined, for assertions a reader would make. */
export function cardText(card: CardJson | undefined): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') parts.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts)) {
      for (const f of o.facts as Array<{ title: string; value: string }>)
        parts.push(`${f.title}: ${f.value}`);
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}

/** The Action.Execute buttons of a card (including those inside a ShowCard), by title. */
export function executeActions(
  card: CardJson | undefined,
): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  const found: Array<{ title: string; verb: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (
      o.type === 'Action.Execute' &&
      typeof o.verb === 'string' &&
      o !== (card as unknown as Record<string, unknown>).refresh
    ) {
      found.push({ title: String(o.title), verb: o.verb, data: (o.data ?? {}) as Record<string, unknown> });
    }
    for (const [key, value] of Object.entries(o)) if (key !== 'fallback' && key !== 'refresh') walk(value);
  };
  walk(card);
  return found;
}

/** The plain text of a message activity. */
export function textOf(call: ConnectorCall | undefined): string {
  return typeof call?.body.text === 'string' ? call.body.text : '';
}
