import { expandTemplate, type AdaptiveCardJson } from './adaptiveCard';
import template from './templates/noticeCard.json';

/** A card that only says one thing: where a card is expected (a refresh) and there is nothing to show. */
export interface NoticeCardData {
  readonly text: string;
}

export function noticeCard(data: NoticeCardData): AdaptiveCardJson {
  return expandTemplate(template, data);
}
