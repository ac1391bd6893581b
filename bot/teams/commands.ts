/** Commands that are not a request to change seats (those are read by domain/seatShortcut.ts). */
export type Command =
  | { name: 'licenses' }
  | { name: 'orders' }
  | { name: 'access' }
  | { name: 'help' }
  | { name: 'cancel' }
  | { name: 'unknown' };

const PATTERNS: ReadonlyArray<[RegExp, Command]> = [
  [/^(help|\?|commands|what can you do\??)$/, { name: 'help' }],
  [/^(cancel|stop|quit|exit|never ?mind|abort)$/, { name: 'cancel' }],
  [/^(show |my |list )?(licen[cs]es|subscriptions|seats|utili[sz]ation)$/, { name: 'licenses' }],
  [/^(show |my |list )?orders$/, { name: 'orders' }],
  [/^(show |manage )?(access|roles|permissions)$/, { name: 'access' }],
];

/** The command a message names, from its text (mention already removed). */
export function recognizeCommand(text: string): Command {
  const normal = text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');
  for (const [pattern, command] of PATTERNS) if (pattern.test(normal)) return command;
  return { name: 'unknown' };
}
