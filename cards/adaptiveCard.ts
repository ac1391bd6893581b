import { Template } from 'adaptivecards-templating';

/** A plain Adaptive Card JSON object, ready for CardFactory.adaptiveCard or an invoke response. */
export interface AdaptiveCardJson {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly [key: string]: unknown;
}

/** The words of a template's buttons, inputs and headings, from the viewer's catalogue (README: Languages). */
export type CardLabels<K extends string> = Readonly<Record<K, string>>;

/** Teams renders up to 1.5; every template declares it. */
export const CARD_VERSION = '1.5';

/** Parsed templates: parsing every \${...} expression (ANTLR) costs far more than expanding, so it is done once. */
const PREPARED = new WeakMap<object, Template>();

function prepared(template: object): Template {
  let parsed = PREPARED.get(template);
  if (!parsed) {
    parsed = new Template(template);
    PREPARED.set(template, parsed);
  }
  return parsed;
}

/**
 * Expands a JSON template with its data. Values are inserted as data, never evaluated again, so text
 * from users or providers cannot inject template expressions.
 */
export function expandTemplate(template: object, data: object): AdaptiveCardJson {
  const card = prepared(template).expand({ $root: data }) as Record<string, unknown>;
  // An optional top-level property whose $when was false expands to null; the card schema wants it absent.
  for (const [key, value] of Object.entries(card)) if (value === null) delete card[key];
  return card as unknown as AdaptiveCardJson;
}
