import { expandTemplate, type AdaptiveCardJson, type CardLabels } from './adaptiveCard';
import template from './templates/licensesCard.json';

export interface LicensesCardSubscription {
  readonly id: string;
  readonly product: string;
  /** "contoso.com · FLEXIBLE · Monthly term · renews Dec 1, 2026 · auto-renew on" */
  readonly details: string;
  /** "25 seats · 21 in use · 4 free" */
  readonly seats: string;
  /** "$312.50 a month" */
  readonly cost: string;
  /** Full, or under 10% free. */
  readonly warning: string | null;
  /** What removing seats can be (now, at renewal), or why it cannot be. */
  readonly removeNote: string | null;
  readonly canRemove: boolean;
  /** "scheduled: 40 -> 35 at renewal on April 1, 2027" */
  readonly scheduled: string | null;
  readonly canCancelScheduled: boolean;
}

/** The `licenses` card: the user's subscriptions grouped by billing profile, one page at a time. */
export interface LicensesCardData {
  /** The language the card's words are in (the translator's `lang`, bot/i18n): Teams reads it for the card. */
  readonly lang: string;
  readonly labels: CardLabels<'addSeats' | 'removeSeats' | 'cancelScheduled' | 'more'>;
  readonly title: string;
  readonly subtitle: string;
  readonly groups: ReadonlyArray<{
    readonly billingProfile: string;
    readonly subscriptions: readonly LicensesCardSubscription[];
  }>;
  readonly nextPage: number | null;
}

export function licensesCard(data: LicensesCardData): AdaptiveCardJson {
  return expandTemplate(template, data);
}
