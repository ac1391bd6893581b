import { hasRole, type Person, type UserAccess } from './access';
import { allWords } from './commandWords';
import type { Order } from './order';
import type { Refusal } from './refusal';

/**
 * Delegates (README: Approvals): an approver away names a delegate until a date; meanwhile new approval cards for
 * the approver go to the delegate, who decides on the approver's behalf. The rules, in one place.
 */
export interface Delegation {
  /** The approver who is away. */
  readonly person: Person;
  readonly delegate: Person;
  /** The last day away (YYYY-MM-DD, UTC), inclusive. */
  readonly until: string;
}

/** How far ahead an absence may be set. */
export const MAX_AWAY_DAYS = 366;

export type AwayCommand = { kind: 'away'; until: string; delegate: string } | { kind: 'back' };

/**
 * `away until 2026-12-24, delegate to Adele Vance` (the comma and "to" optional) or `back`, in any language the bot
 * speaks (domain/commandWords.ts: `abwesend bis 2026-12-24, vertreten durch Adele Vance`, `不在 2026-12-24まで、代理
 * Adele Vance`). Undefined when the text is neither; `away` with something missing is still an away command, so
 * that its problem can be named.
 */
export function parseAwayCommand(text: string): AwayCommand | undefined {
  const normal = text
    .normalize('NFKC')
    .replace(/[’‘]/g, "'")
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.!。！]+$/, '');
  if (BACK.test(normal)) return { kind: 'back' };
  if (!AWAY_START.test(normal)) return undefined;
  const match = AWAY.exec(normal);
  return { kind: 'away', until: match?.[1] ?? '', delegate: (match?.[2] ?? '').trim() };
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (words: readonly string[]) =>
  [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
const AWAY_WORDS = alternatives(allWords('away').map(String));
const UNTIL = alternatives(allWords('until').flat());
const DELEGATE = alternatives(allWords('delegate').flat());
const BACK = new RegExp(`^(?:${alternatives(allWords('back').flat())})$`, 'i');
/** `away` at the start, as a word ("awayday" is not an absence); 不在 needs no space after it. */
const AWAY_START = new RegExp(`^(?:${AWAY_WORDS})(?![a-zà-ÿ])`, 'i');
/** away [until] <date> [まで] [,] [delegate [to]] <name> */
const AWAY = new RegExp(
  `^(?:${AWAY_WORDS})(?: ?(?:(?:${UNTIL}) ?)?([^,、\\s]+?)(?: ?(?:${UNTIL}))?)?[,、]? ?(?:(?:${DELEGATE}) ?(.+))?$`,
  'i',
);

/** Today as YYYY-MM-DD (UTC), the calendar the dates of delegations use. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function isActive(delegation: Delegation, today: string): boolean {
  return delegation.until >= today;
}

/** The billing profiles on which a person approves. */
function approverProfiles(user: UserAccess | undefined): string[] {
  return (user?.assignments ?? []).filter((a) => a.roles.includes('Approver')).map((a) => a.billingProfileId);
}

/**
 * Checks an `away` request: the person approves something; the date is a real date, not past, at most a year out;
 * the delegate is one known person, not oneself, holding a role on at least one profile the person approves on.
 */
export function awayRefusal(
  actor: UserAccess | undefined,
  actorId: string,
  command: { until: string; delegate: string },
  users: readonly UserAccess[],
  today: string,
): { refusal: Refusal } | { delegation: Delegation } {
  const profiles = approverProfiles(actor);
  if (!actor || profiles.length === 0) return { refusal: { code: 'away_approves_nothing' } };
  const until = command.until;
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(until) ? new Date(`${until}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || dayOf(parsed) !== until)
    return { refusal: { code: 'away_date_invalid', value: until, problem: 'malformed' } };
  if (until < today) return { refusal: { code: 'away_date_invalid', value: until, problem: 'past' } };
  const latest = dayOf(new Date(new Date(`${today}T00:00:00Z`).getTime() + MAX_AWAY_DAYS * 86_400_000));
  if (until > latest) return { refusal: { code: 'away_date_invalid', value: until, problem: 'too_far' } };
  const wanted = command.delegate.trim().toLowerCase();
  if (wanted === '') return { refusal: { code: 'delegate_unknown', value: '' } };
  const matches = users.filter(
    (u) =>
      u.id.toLowerCase() === wanted || u.name.toLowerCase() === wanted || u.email?.toLowerCase() === wanted,
  );
  if (matches.length !== 1) return { refusal: { code: 'delegate_unknown', value: command.delegate.trim() } };
  const delegate = matches[0];
  if (delegate.id === actorId) return { refusal: { code: 'delegate_self' } };
  if (!profiles.some((p) => delegate.assignments.some((a) => a.billingProfileId === p)))
    return { refusal: { code: 'delegate_not_eligible', name: delegate.name } };
  return {
    delegation: {
      person: { id: actor.id, name: actor.name },
      delegate: { id: delegate.id, name: delegate.name },
      until,
    },
  };
}

/**
 * The people this person may name as their delegate (the rule of awayRefusal): anyone else holding a role on a
 * billing profile they approve on. Empty when they approve nothing.
 */
export function delegateCandidates(actor: UserAccess | undefined, users: readonly UserAccess[]): Person[] {
  const profiles = approverProfiles(actor);
  return users
    .filter((u) => u.id !== actor?.id && u.assignments.some((a) => profiles.includes(a.billingProfileId)))
    .map(({ id, name }) => ({ id, name }));
}

/** Whether this person approves orders on some billing profile (and so may be away). */
export function approvesSomething(actor: UserAccess | undefined): boolean {
  return approverProfiles(actor).length > 0;
}

/** A recipient of an approval card: the approver, or the delegate deciding on their behalf. */
export interface ApprovalRecipient extends Person {
  readonly onBehalfOf?: Person;
}

/**
 * Where an approver's new approval card goes: to their delegate while they are away, if the delegate holds a
 * role on the order's billing profile and did not request it (the four-eyes rule holds for delegates too);
 * otherwise to the approver. Each recipient once.
 */
export function routeApprovalCards(
  approvers: readonly Person[],
  order: Pick<Order, 'requester' | 'billingProfileId'>,
  delegations: readonly Delegation[],
  users: readonly UserAccess[],
  today: string,
): ApprovalRecipient[] {
  const routed: ApprovalRecipient[] = [];
  for (const approver of approvers) {
    const away = delegations.find((d) => d.person.id === approver.id && isActive(d, today));
    const delegate = away && users.find((u) => u.id === away.delegate.id);
    const eligible =
      delegate &&
      delegate.id !== order.requester.id &&
      delegate.assignments.some((a) => a.billingProfileId === order.billingProfileId);
    const recipient: ApprovalRecipient = eligible
      ? { id: delegate.id, name: delegate.name, onBehalfOf: { id: approver.id, name: approver.name } }
      : { id: approver.id, name: approver.name };
    if (!routed.some((r) => r.id === recipient.id)) routed.push(recipient);
  }
  return routed;
}

/**
 * The approvers a person stands in for on this order: those away who named them, while the delegation lasts,
 * when the person holds a role on the order's billing profile and did not request the order.
 */
export function principalsFor(
  actor: UserAccess | undefined,
  order: Pick<Order, 'requester' | 'billingProfileId'>,
  delegations: readonly Delegation[],
  users: readonly UserAccess[],
  today: string,
): Person[] {
  if (!actor || actor.id === order.requester.id) return [];
  if (!actor.assignments.some((a) => a.billingProfileId === order.billingProfileId)) return [];
  return delegations
    .filter((d) => d.delegate.id === actor.id && isActive(d, today))
    .filter((d) =>
      hasRole(
        users.find((u) => u.id === d.person.id),
        order.billingProfileId,
        'Approver',
      ),
    )
    .map((d) => d.person);
}
