/** Every Action.Execute verb the cards carry; bot/teams/actions has exactly one handler per verb. */
export const CARD_VERBS = {
  approve: 'order.approve',
  reject: 'order.reject',
  cancel: 'order.cancel',
  /** An Access Admin sends an escalated order to another approver (the person chosen on the card). */
  reassign: 'order.reassign',
  /** Universal Actions refresh: each viewer gets their own view of an order card. */
  view: 'order.view',
} as const;

export type CardVerb = (typeof CARD_VERBS)[keyof typeof CARD_VERBS];

export const ALL_CARD_VERBS: readonly CardVerb[] = Object.values(CARD_VERBS);

export function isCardVerb(value: unknown): value is CardVerb {
  return typeof value === 'string' && (ALL_CARD_VERBS as readonly string[]).includes(value);
}

/**
 * Action.Submit commands of the list cards: they start a conversation step (a dialog with the subscription
 * already chosen, the next page, an order's card), so they arrive as messages, not invokes.
 */
export const CARD_COMMANDS = {
  addSeats: 'seats.add',
  removeSeats: 'seats.remove',
  /** Makes an order that cancels the reduction scheduled for the renewal (its confirmation card follows). */
  cancelScheduled: 'scheduled.cancel',
  licensesPage: 'licenses.page',
  ordersPage: 'orders.page',
  openOrder: 'order.open',
  /** The `access` card (bot/teams/accessCards.ts): Revoke of one role, and the Grant form. */
  revokeRole: 'access.revoke',
  grantRole: 'access.grant',
  /** A license request's confirmation (its requester) and its card for the Licenses Managers of its profile. */
  sendRequest: 'request.send',
  cancelRequest: 'request.cancel',
  orderRequest: 'request.order',
  declineRequest: 'request.decline',
} as const;

export type CardCommand = (typeof CARD_COMMANDS)[keyof typeof CARD_COMMANDS];

export function isCardCommand(value: unknown): value is CardCommand {
  return typeof value === 'string' && (Object.values(CARD_COMMANDS) as string[]).includes(value);
}
