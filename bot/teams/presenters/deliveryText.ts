import type { UndeliveredNotice } from '../../services/orderQueries';
import { ORDER_MESSAGES } from '../../services/orderMessages';
import { DEFAULT_AUDIENCE, wordsFor, type Audience } from './format';

/** How many undelivered messages one line names before it says "and N more". */
const NAMED = 3;

/**
 * One sentence about messages of an order that could not be delivered in Teams within their time (the outbox
 * gave up on them): what they were and for whom. Null when there are none.
 */
export function undeliveredText(
  notices: readonly UndeliveredNotice[] | undefined,
  audience: Audience = DEFAULT_AUDIENCE,
): string | null {
  if (!notices || notices.length === 0) return null;
  const named = notices.slice(0, NAMED).map((notice) => describe(notice, audience));
  const more = notices.length - named.length;
  return wordsFor(audience).t('cards.undelivered', { messages: named.join('; '), more });
}

function describe(notice: UndeliveredNotice, audience: Audience): string {
  const { t } = wordsFor(audience);
  const who = notice.recipientName;
  switch (notice.kind) {
    case ORDER_MESSAGES.approvalCard:
      return t('cards.undeliveredApprovalCard', { who: who ?? t('cards.anApprover') });
    case ORDER_MESSAGES.channelCard:
      return t('cards.undeliveredChannelCard');
    case ORDER_MESSAGES.cardUpdate:
      return t('cards.undeliveredCardUpdate');
    case ORDER_MESSAGES.outcome:
      return t('cards.undeliveredOutcome', { who: who ?? t('cards.theRequester') });
    case ORDER_MESSAGES.noApproverReached:
      return t('cards.undeliveredNoApprover', { who: who ?? t('cards.theRequester') });
    default:
      return t('cards.undeliveredOther');
  }
}
