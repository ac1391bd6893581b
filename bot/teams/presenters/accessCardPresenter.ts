import { accessCard, type AccessCardData } from '../../../cards/accessCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import type { CardStyle } from '../../../cards/orderCard';
import { ROLE_NAMES, type Person } from '../../domain/access';
import { formatMoney } from '../../domain/money';
import type { ProfileAccess } from '../../services/accessService';
import { plainText, type Audience } from './format';

/** Whom the Grant form offers without a search (Teams searches the directory for anyone else). */
const PEOPLE_OFFERED = 50;

function label(person: Person): string {
  return person.email ? `${plainText(person.name)} (${plainText(person.email)})` : plainText(person.name);
}

/** The `access` card of one billing profile, for one of its Access Admins. */
export function accessCardFor(
  shown: ProfileAccess,
  administered: readonly ProfileAccess[],
  people: readonly Person[],
  audience: Audience,
  alert: { text: string; style: CardStyle } | null = null,
): AdaptiveCardJson {
  const { profile } = shown;
  const data: AccessCardData = {
    title: `Access: ${plainText(profile.name)}`,
    subtitle:
      `${profile.domains.map(plainText).join(', ')} · orders above ` +
      `${formatMoney(profile.approvalLimit, audience.locale)} a month need an approver`,
    alert,
    billingProfileId: profile.id,
    roles: shown.members.map(({ role, people: holders }) => ({
      title: ROLE_NAMES[role],
      empty: holders.length === 0,
      people: holders.map((p) => ({ id: p.id, label: label(p), role, billingProfileId: profile.id })),
    })),
    people: people.slice(0, PEOPLE_OFFERED).map((p) => ({ id: p.id, title: label(p) })),
    profiles: administered.map((a) => ({ id: a.profile.id, name: plainText(a.profile.name) })),
  };
  return accessCard(data);
}
