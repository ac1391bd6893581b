import { expandTemplate, type AdaptiveCardJson, type CardLabels } from './adaptiveCard';
import type { CardStyle, Fact } from './orderCard';
import template from './templates/requestCard.json';

/** A license request's card: its requester's confirmation, a Licenses Manager's decision, or its status. */
export type RequestCardLabel =
  | 'reason'
  | 'reasonHint'
  | 'send'
  | 'cancel'
  | 'order'
  | 'decline'
  | 'declineReason'
  | 'declineReasonMissing'
  | 'declineRequest';

export interface RequestCardData {
  /** The language the card's words are in (the translator's `lang`, bot/i18n): Teams reads it for the card. */
  readonly lang: string;
  readonly labels: CardLabels<RequestCardLabel>;
  readonly requestId: string;
  readonly title: string;
  readonly subtitle: string;
  readonly status: { readonly text: string; readonly style: CardStyle } | null;
  readonly facts: readonly Fact[];
  readonly reason: string | null;
  readonly actions: { readonly send: boolean; readonly order: boolean };
}

export function requestCard(data: RequestCardData): AdaptiveCardJson {
  return expandTemplate(template, data);
}
