import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { BOT, TENANT_ID, type TeamsUser } from './demoUsers';

export interface Where {
  readonly serviceUrl: string;
  /** Defaults to the user's personal chat with the bot. */
  readonly conversationId?: string;
  readonly conversationType?: 'personal' | 'groupChat' | 'channel';
  readonly locale?: string;
}

export function personalConversationId(user: TeamsUser): string {
  return `a:personal-${user.teamsId}`;
}

function base(user: TeamsUser, where: Where): Partial<Activity> {
  const conversationType = where.conversationType ?? 'personal';
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    timestamp: new Date(),
    locale: where.locale ?? 'en-US',
    from: { id: user.teamsId, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: BOT.id, name: BOT.name },
    conversation: {
      id: where.conversationId ?? personalConversationId(user),
      conversationType,
      tenantId: TENANT_ID,
      isGroup: conversationType !== 'personal',
      name: '',
    },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

/** A message as Teams sends it; in group chats and channels the text carries the bot's @mention. */
export function message(user: TeamsUser, text: string, where: Where): Partial<Activity> {
  const shared = (where.conversationType ?? 'personal') !== 'personal';
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(user, where),
    type: 'message',
    text: shared ? `${mention} ${text}` : text,
    textFormat: 'plain',
    entities: shared ? [{ type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } }] : [],
  };
}

/** An Action.Execute tap: the `adaptiveCard/action` invoke Teams sends. */
export function cardAction(
  user: TeamsUser,
  verb: string,
  data: Record<string, unknown>,
  where: Where & { replyToId?: string; trigger?: 'manual' | 'automatic' },
): Partial<Activity> {
  return {
    ...base(user, where),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: where.replyToId ?? 'card-activity',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: where.trigger ?? 'manual' },
  };
}

/** The bot was added to a conversation (personal install, a group chat or a team). */
export function botAdded(user: TeamsUser, where: Where): Partial<Activity> {
  return {
    ...base(user, where),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id, name: BOT.name }],
  };
}
