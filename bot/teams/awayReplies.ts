import type { TurnContext } from 'botbuilder';
import type { AwayCommand } from '../domain/delegation';
import type { ApprovalDelegations } from '../services/approvalDelegations';
import { audienceOf, requesterOf } from './identity';
import { awaySetText, backText } from './presenters/awayText';
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
        ended.ok ? backText(ended.value, audience) : refusalText(ended.refusal, audience),
      );
      return;
    }
    const set = await this.delegations.away(actor, command);
    if (!set.ok) {
      await context.sendActivity(refusalText(set.refusal, audience));
      return;
    }
    await context.sendActivity(awaySetText(set.value, audience));
  }
}
