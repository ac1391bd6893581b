import enConversation from './messages/en/conversation.json';
import enCards from './messages/en/cards.json';
import enFeed from './messages/en/feed.json';
import enTab from './messages/en/tab.json';
import deConversation from './messages/de/conversation.json';
import deCards from './messages/de/cards.json';
import deFeed from './messages/de/feed.json';
import deTab from './messages/de/tab.json';
import frConversation from './messages/fr/conversation.json';
import frCards from './messages/fr/cards.json';
import frFeed from './messages/fr/feed.json';
import frTab from './messages/fr/tab.json';
import esConversation from './messages/es/conversation.json';
import esCards from './messages/es/cards.json';
import esFeed from './messages/es/feed.json';
import esTab from './messages/es/tab.json';
import jaConversation from './messages/ja/conversation.json';
import jaCards from './messages/ja/cards.json';
import jaFeed from './messages/ja/feed.json';
import jaTab from './messages/ja/tab.json';
import type { Language } from './languages';

/**
 * The message catalogues: one JSON file per language and area (README: Languages). Each message is ICU
 * MessageFormat (plurals, selects, number arguments); its key is the area and the file's key:
 * `conversation.askProduct` is `askProduct` in messages/<language>/conversation.json. English is the source:
 * every other language has exactly its keys, with the same arguments (test/i18n/catalogues.test.ts).
 */
export const AREAS = ['conversation', 'cards', 'feed', 'tab'] as const;
export type Area = (typeof AREAS)[number];

const SOURCE = { conversation: enConversation, cards: enCards, feed: enFeed, tab: enTab };

/** Every message key, checked by the compiler: a key missing from the English catalogue does not build. */
export type MessageKey = {
  [A in Area]: `${A}.${keyof (typeof SOURCE)[A] & string}`;
}[Area];

export type Catalogue = Readonly<Record<Area, Readonly<Record<string, string>>>>;

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = {
  en: SOURCE,
  de: { conversation: deConversation, cards: deCards, feed: deFeed, tab: deTab },
  fr: { conversation: frConversation, cards: frCards, feed: frFeed, tab: frTab },
  es: { conversation: esConversation, cards: esCards, feed: esFeed, tab: esTab },
  ja: { conversation: jaConversation, cards: jaCards, feed: jaFeed, tab: jaTab },
};

/** A language's messages under their full keys (`area.key`). */
export function flatMessages(language: Language): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const area of AREAS)
    for (const [key, message] of Object.entries(CATALOGUES[language][area]))
      messages[`${area}.${key}`] = message;
  return messages;
}
