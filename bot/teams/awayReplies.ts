import type { TurnContext } from 'botbuilder';
import type { AwayCommand } from '../domain/delegation';
import type { ApprovalDelegations } from '../services/approvalDelegations';
import { audienceOf, requesterOf } from './identity';
import { formatDate, plainText } from './presenters/format';
import { refusalText } from './presenters/refusalText';

/** `away until <date>, delegate to <name>` and `back` in chat (README: Approvals). */
export class AwayReplies {
  constructor(private readonly delegations: ApprovalDelegations | undefined) {}

  async handle(context: TurnContext, command: AwayCommand): Promise<void> {
    const actor = requesterOf(context);
    const audience = audienceOf(context);
    if (!actor || !this.delegations) {
      await context.sendActivity(refusalText({ code: 'missing_identity' }, audience));
      return;
    }
    if (command.kind === 'back') {
      const ended = await this.delegations.back(actor);
      await context.sendActivity(
        ended.ok
          ? `Welcome back. New approval cards come to you again; ${plainText(ended.value.delegate.name)} no longer decides on your behalf.`
          : refusalText(ended.refusal, audience),
      );
      return;
    }
    const set = await this.delegations.away(actor, command);
    if (!set.ok) {
      await context.sendActivity(refusalText(set.refusal, audience));
      return;
    }
    const { delegate, until } = set.value;
    await context.sendActivity(
      `You're away until ${formatDate(until, audience)}. New approval cards for you go to ${plainText(delegate.name)}, ` +
        `who decides on your behalf (never on an order of their own). Say **back** when you return.`,
    );
  }
}
