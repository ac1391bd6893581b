import { expandTemplate, type AdaptiveCardJson } from './adaptiveCard';
import type { CardStyle, Fact } from './orderCard';
import template from './templates/requestCard.json';

/** A license request's card: its requester's confirmation, a Licenses Manager's decision, or its status. */
export interface RequestCardData {
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
