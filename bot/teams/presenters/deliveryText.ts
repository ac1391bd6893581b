import type { UndeliveredNotice } from '../../services/orderQueries';
import { ORDER_MESSAGES } from '../../services/orderMessages';

/** How many undelivered messages one line names before it says "and N more". */
const NAMED = 3;

/**
 * One sentence about messages of an order that could not be delivered in Teams within their time (the outbox
 * gave up on them): what they were and for whom. Null when there are none.
 */
export function undeliveredText(notices: readonly UndeliveredNotice[] | undefined): string | null {
  if (!notices || notices.length === 0) return null;
  const named = notices.slice(0, NAMED).map(describe);
  const more = notices.length - named.length;
  return `Not delivered in Teams: ${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
}

function describe(notice: UndeliveredNotice): string {
  const who = notice.recipientName;
  switch (notice.kind) {
    case ORDER_MESSAGES.approvalCard:
      return `the approval card for ${who ?? 'an approver'}`;
    case ORDER_MESSAGES.channelCard:
      return 'the approval card in the approvals channel';
    case ORDER_MESSAGES.cardUpdate:
      return 'an update of a copy of its card';
    case ORDER_MESSAGES.outcome:
      return `the message telling ${who ?? 'the requester'} how it ended`;
    case ORDER_MESSAGES.noApproverReached:
      return `the message telling ${who ?? 'the requester'} that no approver could be reached`;
    default:
      return 'a notification';
  }
}
