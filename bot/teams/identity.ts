import type { TurnContext } from 'botbuilder';
import type { Requester } from '../services/orderService';
import type { Audience } from './presenters/format';

/**
 * The person behind an activity, from Teams' own fields: the Entra object id (never a name or anything
 * a card carries). Undefined when the activity has none: such a person can do nothing here.
 */
export function requesterOf(context: TurnContext): Requester | undefined {
  const { from, conversation, channelData } = context.activity;
  const id = from?.aadObjectId?.trim();
  if (!id) return undefined;
  const tenantId =
    conversation?.tenantId ?? (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? null;
  return { id, name: from.name?.trim() || 'Someone', tenantId };
}

export function audienceOf(context: TurnContext): Audience {
  const { locale, localTimezone } = context.activity;
  return localTimezone
    ? { locale: locale || 'en-US', timeZone: localTimezone }
    : { locale: locale || 'en-US' };
}

export function isPersonalChat(context: TurnContext): boolean {
  return (context.activity.conversation?.conversationType ?? 'personal') === 'personal';
}
