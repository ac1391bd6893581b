import type { Delegation } from '../../domain/delegation';
import { formatDate, plainText, type Audience } from './format';

/**
 * What an approver is told when they set or end an absence (README: What it does), in chat (`away`, `back`) and
 * on the tab's Approvals page alike.
 */
export function awaySetText(
  delegation: Delegation,
  audience: Audience,
  endWith = 'Say **back** when you return.',
): string {
  return (
    `You're away until ${formatDate(delegation.until, audience)}. New approval cards for you go to ` +
    `${plainText(delegation.delegate.name)}, who decides on your behalf (never on an order of their own). ${endWith}`
  );
}

export function backText(ended: Delegation): string {
  return `Welcome back. New approval cards come to you again; ${plainText(ended.delegate.name)} no longer decides on your behalf.`;
}
