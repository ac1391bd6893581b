import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  [...'aeiouyAEIOUYcnCN'].map((c, i) => [c, [...'áéíóúýÁÉÍÓÚÝçñÇÑ'][i]]),
);

/**
 * The pseudo-locale's version of an English message (README: Languages): its text accented and 40% longer,
 * bracketed, with the ICU structure (arguments, plurals, selects) untouched, so values stay as they are.
 */
export function pseudoMessage(message: string): MessageFormatElement[] {
  const ast = parse(message);
  const letters = countLetters(ast);
  const padding = '·'.repeat(Math.ceil(letters * 0.4));
  return [
    { type: TYPE.literal, value: '[' },
    ...ast.map(accent),
    { type: TYPE.literal, value: `${padding}]` },
  ];
}

function accent(element: MessageFormatElement): MessageFormatElement {
  switch (element.type) {
    case TYPE.literal:
      return { ...element, value: [...element.value].map((c) => ACCENTED[c] ?? c).join('') };
    case TYPE.plural:
    case TYPE.select:
      return {
        ...element,
        options: Object.fromEntries(
          Object.entries(element.options).map(([key, option]) => [
            key,
            { ...option, value: option.value.map(accent) },
          ]),
        ),
      };
    case TYPE.tag:
      return { ...element, children: element.children.map(accent) };
    default:
      return element;
  }
}

function countLetters(ast: MessageFormatElement[]): number {
  let n = 0;
  for (const element of ast) {
    if (element.type === TYPE.literal) n += element.value.length;
    else if (element.type === TYPE.plural || element.type === TYPE.select)
      n += Math.max(0, ...Object.values(element.options).map((o) => countLetters(o.value)));
    else if (element.type === TYPE.tag) n += countLetters(element.children);
  }
  return n;
}
