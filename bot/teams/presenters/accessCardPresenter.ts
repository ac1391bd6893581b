import { accessCard, type AccessCardData } from '../../../cards/accessCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import type { CardStyle } from '../../../cards/orderCard';
import type { Person, Role } from '../../domain/access';
import type { ProfileAccess } from '../../services/accessService';
import { moneyText, plainText, wordsFor, type Audience } from './format';

/** A role's name in the reader's language (bot/domain/access.ts ROLE_NAMES is the English). */
export function roleName(role: Role, audience: Audience): string {
  return wordsFor(audience).t('cards.roleName', { role });
}

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
  const words = wordsFor(audience);
  const { t } = words;
  const data: AccessCardData = {
    lang: words.lang,
    labels: {
      revoke: t('cards.accessRevoke'),
      nobody: t('cards.accessNobody'),
      grantHeading: t('cards.accessGrantHeading'),
      person: t('cards.accessPerson'),
      personHint: t('cards.accessPersonHint'),
      objectId: t('cards.accessObjectId'),
      role: t('cards.accessRole'),
      licensesManager: roleName('LicensesManager', audience),
      approver: roleName('Approver', audience),
      accessAdmin: roleName('AccessAdmin', audience),
      billingProfile: t('cards.factBillingProfile'),
      reason: t('cards.reasonOptional'),
      grant: t('cards.accessGrant'),
    },
    title: t('cards.accessTitle', { billingProfile: plainText(profile.name) }),
    subtitle: t('cards.accessSubtitle', {
      domains: profile.domains.map(plainText).join(', '),
      limit: moneyText(profile.approvalLimit, audience),
    }),
    alert,
    billingProfileId: profile.id,
    roles: shown.members.map(({ role, people: holders }) => ({
      title: roleName(role, audience),
      empty: holders.length === 0,
      people: holders.map((p) => ({ id: p.id, label: label(p), role, billingProfileId: profile.id })),
    })),
    people: people.slice(0, PEOPLE_OFFERED).map((p) => ({ id: p.id, title: label(p) })),
    profiles: administered.map((a) => ({ id: a.profile.id, name: plainText(a.profile.name) })),
  };
  return accessCard(data);
}

/** What a Grant or Revoke did, on top of the access card: "Patti Fernandez is now Approver on this billing profile." */
export function roleChangedText(name: string, role: Role, holds: boolean, audience: Audience): string {
  return wordsFor(audience).t('cards.accessRoleChanged', {
    name: plainText(name),
    role: roleName(role, audience),
    holds: holds ? 'yes' : 'no',
  });
}
