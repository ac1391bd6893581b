import type { TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../../cards/adaptiveCard';
import type { LicenseRequest } from '../domain/licenseRequest';
import type { LicenseRequests } from '../services/licenseRequests';
import { audienceOf, requesterOf } from './identity';
import { cardActivity, type OrderCards } from './orderCards';
import { refusalText } from './presenters/refusalText';
import { requestCardFor } from './presenters/requestPresenter';

/** What a request card's Action.Submit may carry: untrusted, checked before use. */
interface RequestSubmit {
  readonly requestId?: unknown;
  readonly reason?: unknown;
}

const MAX_REASON_INPUT = 2000;

/**
 * The taps of license request cards (README: Access): the requester's Send and Cancel, a Licenses Manager's
 * Order these seats and Decline. The card carries the request's id only; the server re-reads who may do what.
 */
export class RequestCards {
  constructor(
    private readonly requests: LicenseRequests,
    private readonly cards: OrderCards,
  ) {}

  async send(context: TurnContext, value: RequestSubmit): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const done = await this.requests.send(actor, idOf(value), reasonOf(value));
    if (!done.ok) return this.refused(context, value, done.refusal);
    await this.show(context, requestCardFor(done.value, 'requester', audienceOf(context)));
  }

  async cancel(context: TurnContext, value: RequestSubmit): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const done = await this.requests.cancel(actor, idOf(value));
    if (!done.ok) return this.refused(context, value, done.refusal);
    await this.show(context, requestCardFor(done.value, 'requester', audienceOf(context)));
  }

  /** Order these seats: the request card says so, and the manager's own confirmation card comes next. */
  async order(context: TurnContext, value: RequestSubmit): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const done = await this.requests.order(actor, idOf(value));
    if (!done.ok) return this.refused(context, value, done.refusal);
    const audience = audienceOf(context);
    await this.show(context, requestCardFor(done.value.request, 'manager', audience));
    await this.cards.send(context, done.value.order, this.cards.audienceHere(context, 'requester'), audience);
  }

  async decline(context: TurnContext, value: RequestSubmit): Promise<void> {
    const actor = requesterOf(context);
    if (!actor) return;
    const done = await this.requests.decline(actor, idOf(value), reasonOf(value));
    if (!done.ok) return this.refused(context, value, done.refusal);
    await this.show(context, requestCardFor(done.value, 'manager', audienceOf(context)));
  }

  /** Nothing changed: the sentence says why, and the card (when it still asks something) stays for a second try. */
  private async refused(
    context: TurnContext,
    value: RequestSubmit,
    refusal: Parameters<typeof refusalText>[0],
  ): Promise<void> {
    const text = refusalText(refusal, audienceOf(context));
    await context.sendActivity(text);
    if (refusal.code === 'request_already_decided') {
      const request: LicenseRequest | undefined = await this.requests.get(idOf(value));
      const actor = requesterOf(context);
      if (request && actor) {
        const viewer = request.requester.id === actor.id ? 'requester' : 'manager';
        await this.show(context, requestCardFor(request, viewer, audienceOf(context)), false);
      }
    }
  }

  /** The card as it is now: in place of the tapped one when the client allows it, otherwise sent anew. */
  private async show(context: TurnContext, card: AdaptiveCardJson, sendIfNoCard = true): Promise<void> {
    const cardId = context.activity.replyToId;
    if (cardId) {
      try {
        await context.updateActivity({ ...cardActivity(card), id: cardId });
        return;
      } catch {
        // That message cannot be updated (or is gone): send the card anew.
      }
    }
    if (sendIfNoCard) await context.sendActivity(cardActivity(card));
  }
}

function idOf(value: RequestSubmit): string {
  return typeof value.requestId === 'string' ? value.requestId.slice(0, 100).trim() : '';
}

function reasonOf(value: RequestSubmit): string | undefined {
  return typeof value.reason === 'string' ? value.reason.slice(0, MAX_REASON_INPUT) : undefined;
}
