import {
  TeamsInfo,
  TurnContext,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import type { Log } from '../services/ports';
import { memberKey, personalChatKey, type ConversationStore } from './conversationStore';

type Reference = Partial<ConversationReference>;

/**
 * Messages that no user turn asked for: card updates, approval requests, outcomes. Knows how to reach a
 * person: their personal chat if they ever used it, else one opened from what Teams told us of them. Errors
 * are not swallowed here: the outbox (bot/teams/orderMessageDelivery.ts) decides whether to retry.
 */
export class ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's Microsoft App ID; empty in local development. */
    private readonly appId: string,
    private readonly conversations: ConversationStore,
    private readonly log: Log,
  ) {}

  /** Runs `logic` in the conversation of `reference`; throws what the Bot Connector answered when it refused. */
  async inConversation(reference: Reference, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    // An error inside the turn goes to the adapter's onTurnError, which could log it and let the call succeed:
    // a message never sent would count as delivered. Whatever onTurnError does, the caller hears of the error.
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  /**
   * The personal chat with this person (Entra object id), opened now if the bot knows their Teams id;
   * undefined when it knows nothing of them. Opening a chat that exists returns it (Teams keeps one per pair).
   */
  async personalChat(aadObjectId: string): Promise<Reference | undefined> {
    const known = await this.conversations.reference(personalChatKey(aadObjectId));
    if (known) return known;
    const member = await this.conversations.reference(memberKey(aadObjectId));
    if (!member?.user?.id || !member.serviceUrl) return undefined;
    const tenantId = member.conversation?.tenantId;
    const parameters = {
      isGroup: false,
      bot: member.bot,
      members: [{ id: member.user.id, name: member.user.name }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    let created: Reference | undefined;
    await this.adapter.createConversationAsync(
      this.appId,
      member.channelId ?? 'msteams',
      member.serviceUrl,
      undefined as unknown as string, // the SDK's default audience for this bot
      parameters,
      async (context) => {
        created = {
          ...member,
          conversation: {
            id: context.activity.conversation.id,
            conversationType: 'personal',
            tenantId,
            isGroup: false,
            name: '',
          },
          activityId: undefined,
        };
      },
    );
    // Nothing created though nothing threw: the turn's error went to onTurnError. Worth another attempt.
    if (!created) throw new Error('the personal chat could not be opened');
    await this.conversations.saveReference(personalChatKey(aadObjectId), created);
    this.log.info({ aadObjectId }, 'opened a personal chat');
    return created;
  }

  /** Remembers the Teams id of everyone in a group chat or team, so the bot can open personal chats with them. */
  async learnMembers(reference: Reference): Promise<void> {
    await this.inConversation(reference, async (context) => {
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(context, 100, token);
        for (const member of page.members) {
          if (!member.aadObjectId) continue;
          await this.conversations.saveReference(memberKey(member.aadObjectId), {
            channelId: reference.channelId,
            serviceUrl: reference.serviceUrl,
            bot: reference.bot,
            user: { id: member.id, name: member.name, aadObjectId: member.aadObjectId },
            conversation: {
              id: '',
              tenantId: reference.conversation?.tenantId,
              isGroup: false,
              conversationType: 'personal',
              name: '',
            },
          });
        }
        token = page.continuationToken;
      } while (token);
    });
  }
}

/** What is worth remembering of the person behind an activity, to reach them later. */
export function memberReference(context: TurnContext): Reference | undefined {
  const { from, recipient, serviceUrl, channelId, conversation, locale } = context.activity;
  if (!from?.aadObjectId || !serviceUrl) return undefined;
  return {
    channelId,
    // The language they last wrote in: what the bot says to them later, in a chat it opens, is in it.
    locale,
    serviceUrl,
    bot: recipient,
    user: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    conversation: {
      id: '',
      tenantId: conversation?.tenantId,
      isGroup: false,
      conversationType: 'personal',
      name: '',
    },
  };
}
