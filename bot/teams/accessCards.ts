import type { TurnContext } from 'botbuilder';
import type { Refusal } from '../domain/refusal';
import type { AccessService } from '../services/accessService';
import { audienceOf, requesterOf } from './identity';
import { cardActivity } from './orderCards';
import { accessCardFor, roleChangedText } from './presenters/accessCardPresenter';
import { refusalText } from './presenters/refusalText';

/** What the access card's Action.Submit may carry: untrusted, every field checked before use. */
interface AccessSubmit {
  readonly personId?: unknown;
  readonly personIdText?: unknown;
  readonly role?: unknown;
  readonly billingProfileId?: unknown;
  readonly reason?: unknown;
}

const MAX_FIELD = 600;

function field(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_FIELD).trim() : '';
}

/**
 * The `access` command and its card (README: Access): one card per billing profile the person administers, with
 * Revoke per person and role and a Grant form. The server decides from its own data at every tap.
 */
export class AccessCards {
  constructor(private readonly access: AccessService) {}

  /** One card per administered profile; someone else is told who the Access Admins are. */
  async send(context: TurnContext): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const audience = audienceOf(context);
    const overview = await this.access.overview(actor.id);
    if (!overview.ok) {
      await context.sendActivity(refusalText(overview.refusal, audience));
      return;
    }
    const people = await this.peopleOffered(actor.id);
    for (const shown of overview.value) {
      await context.sendActivity(cardActivity(accessCardFor(shown, overview.value, people, audience)));
    }
  }

  async grant(context: TurnContext, value: AccessSubmit): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const typed = field(value.personIdText);
    const picked = field(value.personId);
    const billingProfileId = field(value.billingProfileId);
    const done = await this.access.grant(actor, {
      personId: typed !== '' ? typed : picked,
      role: field(value.role),
      billingProfileId,
      reason: typeof value.reason === 'string' ? value.reason.slice(0, 2000) : undefined,
    });
    if (!done.ok) return this.refused(context, done.refusal, billingProfileId);
    const { person, role } = done.value;
    await this.replyWithCard(
      context,
      billingProfileId,
      roleChangedText(person.name, role, true, audienceOf(context)),
      'good',
    );
  }

  async revoke(context: TurnContext, value: AccessSubmit): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const billingProfileId = field(value.billingProfileId);
    const done = await this.access.revoke(actor, {
      personId: field(value.personId),
      role: field(value.role),
      billingProfileId,
    });
    if (!done.ok) return this.refused(context, done.refusal, billingProfileId);
    const { person, role } = done.value;
    await this.replyWithCard(
      context,
      billingProfileId,
      roleChangedText(person.name, role, false, audienceOf(context)),
      'good',
    );
  }

  /** Nothing changed: the sentence says why, and the card stays for a second try. */
  private async refused(context: TurnContext, refusal: Refusal, billingProfileId: string): Promise<void> {
    const text = refusalText(refusal, audienceOf(context));
    if (refusal.code === 'not_access_admin' || refusal.code === 'unknown_billing_profile') {
      await context.sendActivity(text);
      return;
    }
    await this.replyWithCard(context, billingProfileId, text, 'attention');
  }

  /** The profile's card as it is now, with what happened on top: in place of the tapped card when possible. */
  private async replyWithCard(
    context: TurnContext,
    billingProfileId: string,
    text: string,
    style: 'good' | 'attention',
  ): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const overview = await this.access.overview(actor.id);
    const shown = overview.ok ? overview.value.find((p) => p.profile.id === billingProfileId) : undefined;
    if (!overview.ok || !shown) {
      await context.sendActivity(text);
      return;
    }
    const card = cardActivity(
      accessCardFor(shown, overview.value, await this.peopleOffered(actor.id), audienceOf(context), {
        text,
        style,
      }),
    );
    const cardId = context.activity.replyToId;
    if (cardId) {
      try {
        await context.updateActivity({ ...card, id: cardId });
        return;
      } catch {
        // The client cannot update that message (or it is gone): send the card anew.
      }
    }
    await context.sendActivity(card);
  }

  private async peopleOffered(actorId: string) {
    const found = await this.access.knownPeople(actorId);
    return found;
  }
}
