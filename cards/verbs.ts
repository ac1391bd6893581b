/** Every Action.Execute verb the cards carry; bot/teams/actions has exactly one handler per verb. */
export const CARD_VERBS = {
  approve: 'order.approve',
  reject: 'order.reject',
  cancel: 'order.cancel',
  /** Universal Actions refresh: each viewer gets their own view of an order card. */
  view: 'order.view',
} as const;

export type CardVerb = (typeof CARD_VERBS)[keyof typeof CARD_VERBS];

export const ALL_CARD_VERBS: readonly CardVerb[] = Object.values(CARD_VERBS);

export function isCardVerb(value: unknown): value is CardVerb {
  return typeof value === 'string' && (ALL_CARD_VERBS as readonly string[]).includes(value);
}
