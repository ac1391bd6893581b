import { ActivityTypes, TurnContext, type Middleware } from 'botbuilder';
import type { Log } from '../services/ports';

/**
 * "Typing…" while a message is being handled, as the SDK's ShowTypingMiddleware does, with two differences
 * that matter when the Bot Connector is slow or gone: at most one typing activity is on its way at a time,
 * and one that fails, even after the turn has ended, is only logged. (The SDK's version hands that failure to
 * onTurnError with the finished turn's revoked context, which throws outside any turn and ends the process.)
 */
export class TypingIndicator implements Middleware {
  constructor(
    private readonly log: Log,
    private readonly delayMs = 800,
    private readonly periodMs = 2500,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type !== ActivityTypes.Message) return next();
    const adapter = context.adapter;
    const conversationId = context.activity.conversation?.id;
    const typing = TurnContext.applyConversationReference(
      { type: ActivityTypes.Typing, relatesTo: context.activity.relatesTo },
      TurnContext.getConversationReference(context.activity),
    );
    let finished = false;
    let sending = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      if (finished) return;
      if (!sending) {
        sending = true;
        adapter
          .sendActivities(context, [{ ...typing }])
          .catch((error: unknown) =>
            this.log.warn(
              { conversationId, reason: error instanceof Error ? error.message : String(error) },
              'typing indicator not delivered',
            ),
          )
          .finally(() => (sending = false));
      }
      timer = setTimeout(tick, this.periodMs);
    };
    timer = setTimeout(tick, this.delayMs);
    try {
      await next();
    } finally {
      finished = true;
      clearTimeout(timer);
    }
  }
}
