import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { recognizeCommand } from '../commands';
import { audienceOf } from '../identity';
import { replies } from '../presenters/replies';

/** A dialog in which `help` and `cancel` work at every step, whatever question is open. */
export abstract class InterruptibleDialog extends ComponentDialog {
  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const command = recognizeCommand(inner.context.activity.text ?? '');
    if (command.name === 'cancel') {
      await inner.context.sendActivity(replies.cancelled(audienceOf(inner.context)));
      return inner.cancelAllDialogs();
    }
    if (command.name === 'help') {
      await inner.context.sendActivity(replies.helpInDialog(audienceOf(inner.context)));
      await inner.repromptDialog();
      return Dialog.EndOfTurn;
    }
    return super.onContinueDialog(inner);
  }
}
