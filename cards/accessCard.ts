import { expandTemplate, type AdaptiveCardJson, type CardLabels } from './adaptiveCard';
import type { CardStyle } from './orderCard';
import template from './templates/accessCard.json';

/** The `access` card of one billing profile, for its Access Admin: who holds each role (Revoke), and Grant. */
export type AccessCardLabel =
  | 'revoke'
  | 'nobody'
  | 'grantHeading'
  | 'person'
  | 'personHint'
  | 'objectId'
  | 'role'
  | 'licensesManager'
  | 'approver'
  | 'accessAdmin'
  | 'billingProfile'
  | 'reason'
  | 'grant';

export interface AccessCardData {
  /** The language the card's words are in (the translator's `lang`, bot/i18n): Teams reads it for the card. */
  readonly lang: string;
  readonly labels: CardLabels<AccessCardLabel>;
  readonly title: string;
  readonly subtitle: string;
  readonly alert: { readonly text: string; readonly style: CardStyle } | null;
  readonly billingProfileId: string;
  readonly roles: ReadonlyArray<{
    readonly title: string;
    readonly empty: boolean;
    readonly people: ReadonlyArray<{
      readonly id: string;
      readonly label: string;
      readonly role: string;
      readonly billingProfileId: string;
    }>;
  }>;
  /** People to pick without a search (Teams adds its directory search: `choices.data`). */
  readonly people: ReadonlyArray<{ readonly id: string; readonly title: string }>;
  /** The billing profiles the viewer administers. */
  readonly profiles: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

export function accessCard(data: AccessCardData): AdaptiveCardJson {
  return expandTemplate(template, data);
}
