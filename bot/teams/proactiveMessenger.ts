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
 * person: their personal chat if they ever used it, else one opened from what Teams told us of them.
 */
export class ProactiveMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's Microsoft App ID; empty in local development. */
    private readonly appId: string,
    private readonly conversations: ConversationStore,
    private readonly log: Log,
  ) {}

  /** Runs `logic` in the conversation of `reference`; false (and a log line) when Teams refused. */
  async inConversation(
    reference: Reference,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<boolean> {
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, logic);
      return true;
    } catch (error) {
      this.log.warn({ err: error, conversationId: reference.conversation?.id }, 'proactive message failed');
      return false;
    }
  }

  /** The personal chat with this person (Entra object id), opened now if the bot knows their Teams id. */
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
    try {
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
    } catch (error) {
      this.log.warn({ err: error, aadObjectId }, 'could not open a personal chat');
      return undefined;
    }
    if (created) await this.conversations.saveReference(personalChatKey(aadObjectId), created);
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
  const { from, recipient, serviceUrl, channelId, conversation } = context.activity;
  if (!from?.aadObjectId || !serviceUrl) return undefined;
  return {
    channelId,
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
