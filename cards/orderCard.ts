import { expandTemplate, type AdaptiveCardJson, type CardLabels } from './adaptiveCard';
import template from './templates/orderCard.json';

export type CardStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface Fact {
  readonly title: string;
  readonly value: string;
}

/** Everything the order card shows; built by the Teams layer's presenter for one viewer. */
export type OrderCardLabel =
  | 'refresh'
  | 'approve'
  | 'reject'
  | 'rejectReason'
  | 'rejectReasonHint'
  | 'rejectReasonMissing'
  | 'rejectOrder'
  | 'reassign'
  | 'reassignTo'
  | 'reassignToHint'
  | 'reassignToMissing'
  | 'reassignOrder';

export interface OrderCardData {
  /** The language the card's words are in (the translator's `lang`, bot/i18n): Teams reads it for the card. */
  readonly lang: string;
  readonly labels: CardLabels<OrderCardLabel>;
  readonly orderId: string;
  readonly title: string;
  readonly subtitle: string;
  readonly status: { readonly text: string; readonly style: CardStyle } | null;
  readonly facts: readonly Fact[];
  /** The billing note (cost increase, or credit on next month's bill). */
  readonly note: string | null;
  /** Who decided and when. */
  readonly decision: string | null;
  readonly actions: {
    readonly approve: boolean;
    readonly reject: boolean;
    readonly cancel: boolean;
    readonly cancelTitle: string;
  };
  /**
   * Reassign (an escalated order, for one of its billing profile's Access Admins): the approvers it can go to.
   * Null when the viewer may not reassign it.
   */
  readonly reassign: {
    readonly choices: ReadonlyArray<{ readonly id: string; readonly title: string }>;
  } | null;
  /** Universal Actions refresh: the users who get their own view when they open the card. */
  readonly refresh: { readonly userIds: readonly string[] } | null;
}

/** The order card in all its states: confirmation (draft), approval request, status, outcome. */
export function orderCard(data: OrderCardData): AdaptiveCardJson {
  return expandTemplate(template, data);
}
