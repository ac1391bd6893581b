import { COMMAND_WORDS, normalText } from '../domain/commandWords';

/** Commands that are not a request to change seats (those are read by domain/seatShortcut.ts). */
export type Command =
  | { name: 'licenses' }
  | { name: 'orders' }
  | { name: 'access' }
  | { name: 'help' }
  | { name: 'cancel' }
  | { name: 'unknown' };

type Named = Exclude<Command['name'], 'unknown'>;

/** Every way of saying each command, in every language (domain/commandWords.ts), as a whole message. */
const PHRASES: ReadonlyMap<string, Named> = (() => {
  const phrases = new Map<string, Named>();
  for (const words of Object.values(COMMAND_WORDS)) {
    for (const name of ['help', 'cancel'] as const) for (const p of words[name]) phrases.set(p, name);
    for (const name of ['licenses', 'orders', 'access'] as const)
      for (const p of words[name]) {
        phrases.set(p, name);
        for (const prefix of words.showPrefixes) phrases.set(`${prefix} ${p}`, name);
        for (const suffix of words.showSuffixes) {
          phrases.set(`${p}${suffix}`, name);
          phrases.set(`${p} ${suffix}`, name);
        }
      }
  }
  return phrases;
})();

/** The command a message names, from its text (mention already removed), in any language the bot speaks. */
export function recognizeCommand(text: string): Command {
  const normal = normalText(text).replace(/[.!。！]+$/, '');
  const name = PHRASES.get(normal) ?? PHRASES.get(normal.replace(/ ?\?$/, ''));
  return name ? { name } : { name: 'unknown' };
}
