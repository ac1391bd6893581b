import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import {
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { SeatChangeKind } from '../../domain/order';
import type { Refusal } from '../../domain/refusal';
import { decreaseOptions } from '../../domain/decreaseOptions';
import { decreaseRefusalFor, planSeatChange } from '../../domain/seatChange';
import { parseSeatCount } from '../../domain/seatCount';
import type { SeatShortcut } from '../../domain/seatShortcut';
import { matchSubscription } from '../../domain/subscriptionMatch';
import type { Subscription } from '../../domain/subscription';
import type { LicenseRequests } from '../../services/licenseRequests';
import type { LicenseService } from '../../services/licenseService';
import type { OrderService } from '../../services/orderService';
import { audienceOf, requesterOf } from '../identity';
import { cardActivity, type OrderCards } from '../orderCards';
import type { Audience } from '../presenters/format';
import { refusalText } from '../presenters/refusalText';
import { requestCardFor } from '../presenters/requestPresenter';
import { replies } from '../presenters/replies';
import { InterruptibleDialog } from './interruptibleDialog';

/** How the dialog starts: what to change, and what a shortcut or a card button already said. */
export interface ChangeSeatsOptions {
  readonly kind: SeatChangeKind;
  /** Chosen on a card (Add / Remove on the licenses card). */
  readonly subscriptionId?: string;
  /** Named in a one-line request ("+5 E3"): matched against the user's subscriptions. */
  readonly subscriptionText?: string;
  readonly seats?: number;
  /** A seat count was given but refused: the quantity question starts with why. */
  readonly seatProblem?: SeatShortcut['seatProblem'];
}

/** A subscription the user was offered, in the order shown (numbers in the list are 1-based). */
interface Candidate {
  readonly id: string;
  readonly product: string;
  readonly domain: string;
}

interface StepValues {
  candidates: Candidate[];
  subscription?: Subscription;
  /** The person holds Licenses Manager nowhere: the confirmation becomes a license request. */
  asking?: boolean;
}

interface SeatValidations {
  readonly kind: SeatChangeKind;
  readonly subscription: Subscription;
}

export interface ChangeSeatsDependencies {
  readonly licenses: LicenseService;
  readonly orders: OrderService;
  readonly cards: OrderCards;
  /** License requests of people without Licenses Manager (README: Access); without it they are refused. */
  readonly requests?: LicenseRequests;
  readonly maxSeatsPerOrder: number;
}

const SUBSCRIPTION_PROMPT = 'subscriptionPrompt';
const SEATS_PROMPT = 'seatsPrompt';
const STEPS = 'changeSeatsSteps';

/**
 * Buy or remove seats: pick the subscription -> how many seats -> confirmation card. The dialog ends when
 * the card is out: Approve and Cancel are card actions on the stored draft order, not dialog steps.
 */
export class ChangeSeatsDialog extends InterruptibleDialog {
  static readonly id = 'changeSeatsDialog';

  constructor(private readonly deps: ChangeSeatsDependencies) {
    super(ChangeSeatsDialog.id);
    this.addDialog(new TextPrompt(SUBSCRIPTION_PROMPT, (prompt) => this.validateSubscription(prompt)));
    this.addDialog(new TextPrompt(SEATS_PROMPT, (prompt) => this.validateSeats(prompt)));
    this.addDialog(
      new WaterfallDialog<ChangeSeatsOptions>(STEPS, [
        (step) => this.chooseSubscription(step),
        (step) => this.askSeats(step),
        (step) => this.confirm(step),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  private async chooseSubscription(
    step: WaterfallStepContext<ChangeSeatsOptions>,
  ): Promise<DialogTurnResult> {
    const { kind, subscriptionId } = step.options;
    const requester = requesterOf(step.context);
    if (!requester) return this.stop(step, { code: 'missing_identity' });
    const listed = await this.deps.licenses.listManageable(requester.id);
    const values = step.values as StepValues;
    let offered: Subscription[];
    if (listed.ok) {
      offered = listed.value.map((m) => m.subscription);
    } else if (kind === 'increase' && listed.refusal.code === 'nothing_to_manage' && this.deps.requests) {
      // Anyone can ask: the same choices, and a Licenses Manager of the subscription's profile decides.
      offered = (await this.deps.licenses.listWithProfiles()).map((m) => m.subscription);
      if (offered.length === 0) return this.stop(step, listed.refusal);
      values.asking = true;
      await step.context.sendActivity(replies.askingInstead(audienceOf(step.context)));
    } else {
      return this.stop(step, listed.refusal);
    }

    if (kind === 'decrease') {
      // Only subscriptions that can lose seats now or at renewal are offered; the others are explained.
      const at = this.deps.licenses.now();
      const blocked = offered.filter((s) => decreaseRefusalFor(s, at) !== undefined);
      offered = offered.filter((s) => decreaseRefusalFor(s, at) === undefined);
      const preselected = blocked.find((s) => s.id === subscriptionId);
      // Explain what is not offered when the user is choosing; a named subscription speaks for itself.
      const choosing = !subscriptionId && !step.options.subscriptionText?.trim();
      const explain = preselected ? [preselected] : choosing ? blocked : [];
      if (explain.length > 0) {
        const audience = audienceOf(step.context);
        await step.context.sendActivity(
          explain.map((s) => refusalText(decreaseRefusalFor(s, at) as Refusal, audience)).join('\n\n'),
        );
      }
      if (preselected || offered.length === 0) return step.endDialog();
    }
    const candidates: Candidate[] = offered.map(({ id, product, domain }) => ({ id, product, domain }));
    values.candidates = candidates;

    if (subscriptionId) {
      if (candidates.some((c) => c.id === subscriptionId)) return step.next(subscriptionId);
      const found = await this.deps.licenses.subscriptionFor(requester.id, subscriptionId);
      if (!found.ok) await this.say(step.context, found.refusal);
    }
    let offeredNow = candidates;
    let unmatched = false;
    const named = step.options.subscriptionText?.trim();
    if (!subscriptionId && named) {
      const match = matchSubscription(named, candidates);
      if (match.kind === 'one') return step.next(match.item.id);
      if (match.kind === 'many') {
        offeredNow = match.items;
        await step.context.sendActivity(
          replies.subscriptionAmbiguous(named, match.items.map(label), audienceOf(step.context)),
        );
      } else {
        unmatched = true;
        await step.context.sendActivity(await this.noMatchText(step.context, named, candidates));
      }
    }
    // One left to offer: taken, unless the person named another one (they choose; nothing is assumed for them).
    if (offeredNow.length === 1 && !unmatched) {
      await step.context.sendActivity(
        replies.singleSubscription(
          kind,
          offeredNow[0].product,
          offeredNow[0].domain,
          audienceOf(step.context),
        ),
      );
      return step.next(offeredNow[0].id);
    }
    values.candidates = offeredNow;
    return step.prompt(SUBSCRIPTION_PROMPT, {
      prompt: this.pickerActivity(kind, offeredNow, audienceOf(step.context)),
      validations: offeredNow,
    });
  }

  private async askSeats(step: WaterfallStepContext<ChangeSeatsOptions>): Promise<DialogTurnResult> {
    const values = step.values as StepValues;
    const chosen = this.resolveChoice(String(step.result), values.candidates);
    const requester = requesterOf(step.context);
    if (!chosen || !requester) return step.endDialog();
    const found = values.asking
      ? await this.deps.licenses.subscriptionToAskFor(chosen.id)
      : await this.deps.licenses.subscriptionFor(requester.id, chosen.id);
    if (!found.ok) {
      if (found.refusal.code === 'subscription_not_found') {
        await step.context.sendActivity(replies.subscriptionGone(audienceOf(step.context)));
        return step.replaceDialog(STEPS, { kind: step.options.kind });
      }
      return this.stop(step, found.refusal);
    }
    const subscription = found.value.subscription;
    const { kind, seats } = step.options;
    const at = this.deps.licenses.now();
    if (kind === 'decrease') {
      const refusal = decreaseRefusalFor(subscription, at);
      if (refusal) return this.stop(step, refusal);
    }
    values.subscription = subscription;
    const audience = audienceOf(step.context);
    if (seats !== undefined) {
      const plan = planSeatChange(subscription, kind, seats, this.deps.maxSeatsPerOrder, at);
      if (plan.ok) return step.next(seats);
      await this.say(step.context, plan.refusal);
    } else if (step.options.seatProblem) {
      const { problem, answer } = step.options.seatProblem;
      await step.context.sendActivity(
        replies.seatCountProblem(problem, answer, this.deps.maxSeatsPerOrder, kind, audience),
      );
    }
    const validations: SeatValidations = { kind, subscription };
    return step.prompt(SEATS_PROMPT, {
      prompt: replies.askSeats(kind, subscription, this.deps.maxSeatsPerOrder, audience, at),
      validations,
    });
  }

  private async confirm(step: WaterfallStepContext<ChangeSeatsOptions>): Promise<DialogTurnResult> {
    const values = step.values as StepValues;
    const requester = requesterOf(step.context);
    const count = this.seatsFrom(step.result, audienceOf(step.context).locale);
    if (!requester || !values.subscription || count === undefined) return step.endDialog();
    if (values.asking && this.deps.requests) {
      const request = await this.deps.requests.draft(requester, values.subscription.id, count);
      if (!request.ok) return this.stop(step, request.refusal);
      await step.context.sendActivity(
        cardActivity(requestCardFor(request.value, 'requester', audienceOf(step.context))),
      );
      return step.endDialog(request.value.id);
    }
    const order = await this.deps.orders.request(requester, values.subscription.id, step.options.kind, count);
    if (!order.ok) return this.stop(step, order.refusal);
    // More than the window allows now: say both numbers before the card for the reduction at renewal.
    const now = decreaseOptions(values.subscription, this.deps.licenses.now()).now;
    if (order.value.timing === 'at_renewal' && now.possible)
      await step.context.sendActivity(
        replies.onlySomeNow(now.maxSeats, now.until, count, audienceOf(step.context)),
      );
    const cards = this.deps.cards;
    await cards.send(
      step.context,
      order.value,
      cards.audienceHere(step.context, 'requester'),
      audienceOf(step.context),
    );
    return step.endDialog(order.value.id);
  }

  /** The seats asked for: the number a shortcut gave, or the answer the seats prompt already validated. */
  private seatsFrom(result: unknown, locale: string): number | undefined {
    if (typeof result === 'number') return result;
    const parsed = parseSeatCount(String(result), this.deps.maxSeatsPerOrder, locale);
    return parsed.ok ? parsed.seats : undefined;
  }

  /** The answer names exactly one of the offered subscriptions; otherwise say why and ask again. */
  private async validateSubscription(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = prompt.recognized.value ?? '';
    const candidates = prompt.options.validations as Candidate[];
    const match = matchSubscription(text, candidates);
    if (match.kind === 'one') return true;
    if (match.kind === 'many') {
      await prompt.context.sendActivity(
        replies.subscriptionAmbiguous(text, match.items.map(label), audienceOf(prompt.context)),
      );
      return false;
    }
    await prompt.context.sendActivity(await this.noMatchText(prompt.context, text, candidates));
    return false;
  }

  /**
   * Why a name matched none of the offered subscriptions: it names one the user may not manage (exactly
   * why), one that cannot lose seats, or nothing at all. Ends by listing what may be chosen.
   */
  private async noMatchText(
    context: TurnContext,
    text: string,
    candidates: readonly Candidate[],
  ): Promise<string> {
    const names = candidates.map((c, i) => `${i + 1}. ${label(c)}`);
    const audience = audienceOf(context);
    const requester = requesterOf(context);
    const everything = await this.deps.licenses.listWithProfiles();
    const other = matchSubscription(
      text,
      everything.map((m) => m.subscription),
    );
    if (requester && other.kind === 'one') {
      const found = await this.deps.licenses.subscriptionFor(requester.id, other.item.id);
      if (!found.ok)
        return replies.refusedChoose(refusalText(found.refusal, audience), names, true, audience);
      const notRemovable = decreaseRefusalFor(other.item, this.deps.licenses.now());
      if (notRemovable)
        return replies.refusedChoose(refusalText(notRemovable, audience), names, false, audience);
    }
    return replies.subscriptionNotMatched(text, names, audience);
  }

  /** The answer is a number of seats this subscription can take; otherwise say what is accepted and ask again. */
  private async validateSeats(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { kind, subscription } = prompt.options.validations as SeatValidations;
    const audience = audienceOf(prompt.context);
    const maximum = this.deps.maxSeatsPerOrder;
    const answer = prompt.recognized.value ?? prompt.context.activity.text ?? '';
    const parsed = parseSeatCount(answer, maximum, audience.locale);
    if (!parsed.ok) {
      await prompt.context.sendActivity(
        replies.seatCountProblem(parsed.problem, answer, maximum, kind, audience),
      );
      return false;
    }
    const plan = planSeatChange(subscription, kind, parsed.seats, maximum, this.deps.licenses.now());
    if (!plan.ok) {
      await prompt.context.sendActivity(replies.seatsRefused(refusalText(plan.refusal, audience), audience));
      return false;
    }
    if (parsed.readAs) await prompt.context.sendActivity(replies.readAs(parsed.seats, audience));
    return true;
  }

  private resolveChoice(answer: string, candidates: readonly Candidate[]): Candidate | undefined {
    const byId = candidates.find((c) => c.id === answer);
    if (byId) return byId;
    const match = matchSubscription(answer, candidates);
    return match.kind === 'one' ? match.item : undefined;
  }

  private pickerActivity(kind: SeatChangeKind, candidates: readonly Candidate[], audience: Audience) {
    const buttons = candidates.map((c, i) => ({
      type: 'imBack',
      title: `${i + 1}. ${label(c)}`,
      value: label(c),
    }));
    return MessageFactory.attachment(
      CardFactory.heroCard('', undefined, buttons, { text: replies.pickSubscription(kind, audience) }),
    );
  }

  private async say(context: TurnContext, refusal: Refusal): Promise<void> {
    await context.sendActivity(refusalText(refusal, audienceOf(context)));
  }

  private async stop(step: WaterfallStepContext, refusal: Refusal): Promise<DialogTurnResult> {
    await this.say(step.context, refusal);
    return step.endDialog();
  }
}

function label(candidate: Candidate): string {
  return `${candidate.product} (${candidate.domain})`;
}
