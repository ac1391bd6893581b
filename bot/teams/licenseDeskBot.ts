import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type BotState,
  type ConversationReference,
  type StatePropertyAccessor,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import { CARD_COMMANDS, isCardCommand } from '../../cards/verbs';
import { parseSeatShortcut } from '../domain/seatShortcut';
import type { Log } from '../services/ports';
import { parseAwayCommand } from '../domain/delegation';
import type { AccessCards } from './accessCards';
import type { AwayReplies } from './awayReplies';
import type { RequestCards } from './requestCards';
import { CardActions } from './actions/cardActions';
import { recognizeCommand } from './commands';
import { channelKey, memberKey, personalChatKey, type ConversationStore } from './conversationStore';
import { ChangeSeatsDialog, type ChangeSeatsOptions } from './dialogs/changeSeatsDialog';
import { audienceOf, isPersonalChat, requesterOf } from './identity';
import type { ListCards } from './listCards';
import { memberReference } from './proactiveMessenger';
import { refusalText } from './presenters/refusalText';
import { replies } from './presenters/replies';

export interface LicenseDeskBotDependencies {
  /** Dialog state, per user and conversation (PrivateConversationState), so people in a group chat don't mix. */
  readonly dialogState: BotState;
  readonly changeSeats: ChangeSeatsDialog;
  readonly actions: CardActions;
  readonly lists: ListCards;
  readonly access: AccessCards;
  readonly requests: RequestCards;
  /** `away` and `back`. */
  readonly away?: AwayReplies;
  readonly maxSeatsPerOrder: number;
  readonly conversations: ConversationStore;
  readonly log: Log;
}

/** What an Action.Submit of our cards may carry; every field is checked before use. */
interface SubmitData {
  readonly verb?: unknown;
  readonly command?: unknown;
  readonly orderId?: unknown;
  readonly subscriptionId?: unknown;
  readonly page?: unknown;
  readonly reason?: unknown;
  readonly personId?: unknown;
  readonly personIdText?: unknown;
  readonly role?: unknown;
  readonly billingProfileId?: unknown;
  readonly requestId?: unknown;
}

/** Remember a personal chat for this long before writing its reference again. */
const REFERENCE_REFRESH_MS = 60 * 60 * 1000;

/**
 * The Teams entry point: routes messages to commands and dialogs, card actions to their handlers, and
 * welcomes new users. It decides nothing about orders itself.
 */
export class LicenseDeskBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogStateProperty: StatePropertyAccessor<DialogState>;
  /** When each reference was last saved, and with which locale (a new language is saved at once). */
  private readonly referencesSaved = new Map<string, { at: number; locale: string | undefined }>();

  constructor(private readonly deps: LicenseDeskBotDependencies) {
    super();
    this.dialogStateProperty = deps.dialogState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogStateProperty).add(deps.changeSeats);

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      await this.welcome(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.dialogState.saveChanges(context, false);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    await this.rememberPerson(context);
    return this.deps.actions.execute(context, invokeValue);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const requester = requesterOf(context);
    if (!requester) {
      await context.sendActivity(refusalText({ code: 'missing_identity' }, audienceOf(context)));
      return;
    }
    await this.rememberPerson(context);
    const value = context.activity.value as SubmitData | undefined;
    if (value && CardActions.isSubmit(value)) {
      await this.deps.actions.submit(context, value);
      return;
    }
    const dc = await this.dialogs.createContext(context);
    if (value && isCardCommand(value.command)) {
      await this.runCardCommand(context, dc, value);
      return;
    }
    const text = messageText(context);
    if (text === '') {
      await context.sendActivity(replies.noText(audienceOf(context)));
      return;
    }
    if (dc.activeDialog && this.startsSomethingNew(text, audienceOf(context).locale)) {
      // A new request replaces the open question (nothing was ordered by it).
      await dc.cancelAllDialogs();
    }
    if (dc.activeDialog) {
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
    }
    const away = this.deps.away && parseAwayCommand(text);
    if (away) {
      await this.deps.away?.handle(context, away);
      return;
    }
    const command = recognizeCommand(text);
    switch (command.name) {
      case 'help':
        await context.sendActivity(replies.help(audienceOf(context)));
        return;
      case 'cancel':
        await context.sendActivity(replies.nothingToCancel(audienceOf(context)));
        return;
      case 'licenses':
        await this.deps.lists.sendLicenses(context);
        return;
      case 'orders':
        await this.deps.lists.sendOrders(context);
        return;
      case 'access':
        await this.deps.access.send(context);
        return;
    }
    const shortcut = parseSeatShortcut(text, this.deps.maxSeatsPerOrder, audienceOf(context).locale);
    if (shortcut) {
      const { kind, seats, seatProblem, subscriptionText } = shortcut;
      await dc.beginDialog(ChangeSeatsDialog.id, {
        kind,
        seats,
        seatProblem,
        subscriptionText,
      } satisfies ChangeSeatsOptions);
      return;
    }
    await context.sendActivity(replies.notUnderstood(text, audienceOf(context)));
  }

  /**
   * Whether a message starts something else rather than answering the open question: `licenses`, `orders`,
   * or a request with a verb ("buy licenses", "add 5 seats to E3"). "+5" or "E3" are answers.
   */
  private startsSomethingNew(text: string, locale: string): boolean {
    const command = recognizeCommand(text).name;
    if (command === 'licenses' || command === 'orders' || command === 'access') return true;
    if (parseAwayCommand(text)) return true;
    if (/^\s*[+\-＋－]/.test(text)) return false;
    const shortcut = parseSeatShortcut(text, this.deps.maxSeatsPerOrder, locale);
    return shortcut !== undefined && (shortcut.subscriptionText !== '' || shortcut.seats === undefined);
  }

  /** A button of the licenses or orders card (Action.Submit): its data is untrusted and checked here. */
  private async runCardCommand(context: TurnContext, dc: DialogContext, value: SubmitData): Promise<void> {
    const page = typeof value.page === 'number' || typeof value.page === 'string' ? Number(value.page) : 1;
    const safePage = Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
    const id =
      typeof value.subscriptionId === 'string'
        ? value.subscriptionId
        : typeof value.orderId === 'string'
          ? value.orderId
          : '';
    switch (value.command) {
      case CARD_COMMANDS.addSeats:
      case CARD_COMMANDS.removeSeats:
        await dc.cancelAllDialogs();
        await dc.beginDialog(ChangeSeatsDialog.id, {
          kind: value.command === CARD_COMMANDS.addSeats ? 'increase' : 'decrease',
          subscriptionId: id,
        } satisfies ChangeSeatsOptions);
        return;
      case CARD_COMMANDS.cancelScheduled:
        await dc.cancelAllDialogs();
        await this.deps.lists.cancelScheduled(context, id);
        return;
      case CARD_COMMANDS.licensesPage:
        await this.deps.lists.sendLicenses(context, safePage);
        return;
      case CARD_COMMANDS.ordersPage:
        await this.deps.lists.sendOrders(context, safePage);
        return;
      case CARD_COMMANDS.openOrder:
        await this.deps.lists.openOrder(context, id);
        return;
      case CARD_COMMANDS.grantRole:
        await this.deps.access.grant(context, value);
        return;
      case CARD_COMMANDS.revokeRole:
        await this.deps.access.revoke(context, value);
        return;
      case CARD_COMMANDS.sendRequest:
        await this.deps.requests.send(context, value);
        return;
      case CARD_COMMANDS.cancelRequest:
        await this.deps.requests.cancel(context, value);
        return;
      case CARD_COMMANDS.orderRequest:
        await dc.cancelAllDialogs();
        await this.deps.requests.order(context, value);
        return;
      case CARD_COMMANDS.declineRequest:
        await this.deps.requests.decline(context, value);
        return;
    }
  }

  /** Welcome once, when the bot itself joins a conversation (installed in personal chat, a group or a team). */
  private async welcome(context: TurnContext): Promise<void> {
    const added = context.activity.membersAdded ?? [];
    if (!added.some((member) => member.id === context.activity.recipient?.id)) return;
    await this.rememberPerson(context);
    await context.sendActivity(replies.welcome(audienceOf(context)));
  }

  /**
   * Remembers how to reach this person later (approval cards, outcomes): their personal chat when this is
   * it, and their Teams id wherever they are, to open a personal chat with them when needed.
   */
  private async rememberPerson(context: TurnContext): Promise<void> {
    const aadObjectId = context.activity.from?.aadObjectId;
    if (!aadObjectId) return;
    const member = memberReference(context);
    if (member) await this.saveOnce(memberKey(aadObjectId), member);
    if (isPersonalChat(context)) {
      await this.saveOnce(
        personalChatKey(aadObjectId),
        TurnContext.getConversationReference(context.activity),
      );
    }
    const channelId = (context.activity.channelData as { channel?: { id?: string } } | undefined)?.channel
      ?.id;
    if (channelId) {
      const reference = TurnContext.getConversationReference(context.activity);
      await this.saveOnce(channelKey(channelId), {
        ...reference,
        conversation: { ...reference.conversation, id: channelId },
      } as typeof reference);
    }
  }

  private async saveOnce(key: string, reference: Partial<ConversationReference>): Promise<void> {
    const last = this.referencesSaved.get(key);
    if (last && last.locale === reference.locale && Date.now() - last.at < REFERENCE_REFRESH_MS) return;
    await this.deps.conversations.saveReference(key, reference);
    this.referencesSaved.set(key, { at: Date.now(), locale: reference.locale });
  }
}

/** The message text without the bot's @mention (group chats and channels) and surrounding space. */
export function messageText(context: TurnContext): string {
  const activity = context.activity;
  if (typeof activity.text !== 'string') return '';
  TurnContext.removeRecipientMention(activity);
  activity.text = activity.text.replace(/<at>[^<]*<\/at>/gi, '').trim();
  return activity.text;
}
