import { expandTemplate, type AdaptiveCardJson, type CardLabels } from './adaptiveCard';
import template from './templates/ordersCard.json';

export interface OrdersCardEntry {
  readonly orderId: string;
  /** "LD-1001 · Add 5 seats to Microsoft 365 Business Standard" */
  readonly headline: string;
  /** "25 → 30 seats · +$62.50 a month · Nov 26, 2026" */
  readonly details: string;
  readonly state: string;
  readonly stateColor: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
  /** "Approved by Megan Bowen on …" */
  readonly decision: string | null;
  /** Messages about the order that could not be delivered in Teams, in one sentence; null when none. */
  readonly undelivered: string | null;
}

/** The `orders` card: what waits for the viewer's approval, then their own recent orders, paged. */
export interface OrdersCardData {
  /** The language the card's words are in (the translator's `lang`, bot/i18n): Teams reads it for the card. */
  readonly lang: string;
  readonly labels: CardLabels<'awaitingYou' | 'open' | 'older'>;
  readonly title: string;
  readonly subtitle: string;
  readonly awaitingYou: readonly OrdersCardEntry[];
  readonly orders: readonly OrdersCardEntry[];
  readonly nextPage: number | null;
}

export function ordersCard(data: OrdersCardData): AdaptiveCardJson {
  return expandTemplate(template, data);
}
