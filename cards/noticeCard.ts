import { expandTemplate, type AdaptiveCardJson } from './adaptiveCard';
import template from './templates/noticeCard.json';

/** A card that only says one thing: where a card is expected (a refresh) and there is nothing to show. */
export interface NoticeCardData {
  readonly text: string;
  /** The language of `text` (the translator's `lang`); English when not given. */
  readonly lang?: string;
}

export function noticeCard(data: NoticeCardData): AdaptiveCardJson {
  return expandTemplate(template, { lang: 'en', ...data });
}
