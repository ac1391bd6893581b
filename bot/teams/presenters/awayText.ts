import type { Delegation } from '../../domain/delegation';
import { translator } from '../../i18n';
import { DEFAULT_AUDIENCE, formatDate, plainText, type Audience } from './format';

/**
 * What an approver is told when they set or end an absence (README: What it does), in chat (`away`, `back`) and
 * on the tab's Approvals page alike, in the reader's language (the conversation catalogue).
 */
export function awaySetText(delegation: Delegation, audience: Audience, endWith?: string): string {
  const { t } = translator(audience.locale);
  return t('conversation.awaySet', {
    until: formatDate(delegation.until, audience),
    delegate: plainText(delegation.delegate.name),
    end: endWith ?? t('conversation.awaySayBack'),
  });
}

export function backText(ended: Delegation, audience: Audience = DEFAULT_AUDIENCE): string {
  return translator(audience.locale).t('conversation.back', { delegate: plainText(ended.delegate.name) });
}
