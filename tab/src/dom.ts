type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | undefined>;

/**
 * Builds an element. Text is always set as text (never parsed as HTML), so nothing the server or a person
 * wrote can add markup; attributes set to false or undefined are left out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.textContent = '';
  append(parent, children);
}

/** The bot's sentences mark names in **bold**: shown as <strong>, everything else as plain text. */
export function richText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split(/\*\*(.+?)\*\*/g).forEach((part, i) => {
    if (part === '') return;
    fragment.appendChild(i % 2 === 1 ? h('strong', {}, part) : document.createTextNode(part));
  });
  return fragment;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}
