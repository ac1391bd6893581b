import type { AbsenceView } from './contract.js';
import { h, replaceChildren, richText } from './dom.js';
import type { Formatter } from './format.js';
import type { Messages } from './i18n.js';

export interface AbsenceHandlers {
  away(until: string, delegate: string): void;
  back(): void;
}

/**
 * "Away until <date>, delegate to <person>" and "I'm back" on the Approvals page (README: Approvals): the same as
 * the chat commands; the server checks everything and its refusal is shown under the form, as typed.
 */
export function renderAbsence(
  root: HTMLElement,
  absence: AbsenceView,
  answer: { error: string; until: string; delegate: string } | undefined,
  format: Formatter,
  words: Messages,
  handlers: AbsenceHandlers,
): void {
  root.hidden = !absence.approves && absence.away === null;
  if (root.hidden) return;
  const problem = answer ? h('p', { class: 'form-error', role: 'alert' }, richText(answer.error)) : null;
  if (absence.away) {
    const back = h(
      'button',
      { type: 'button', class: 'button secondary', id: 'absence-back' },
      words.t('back'),
    );
    back.addEventListener('click', () => handlers.back());
    replaceChildren(
      root,
      h(
        'p',
        { class: 'status-line status-text-accent', id: 'absence-status' },
        words.t('awayStatus', { until: format.date(absence.away.until), delegate: absence.away.delegate }),
      ),
      problem,
      h('div', { class: 'form-actions' }, back),
    );
    return;
  }
  const until = h('input', {
    id: 'absence-until',
    name: 'until',
    type: 'date',
    required: true,
    value: answer?.until,
  });
  const delegate = h('input', {
    id: 'absence-delegate',
    name: 'delegate',
    type: 'text',
    list: 'absence-delegates',
    maxlength: '200',
    placeholder: words.t('nameOrEmail'),
    value: answer?.delegate,
  });
  const choices = h(
    'datalist',
    { id: 'absence-delegates' },
    ...absence.delegates.map((person) => h('option', { value: person.name })),
  );
  const form = h(
    'form',
    { class: 'absence-form', id: 'absence-form', 'aria-label': words.t('awayLabel'), novalidate: true },
    h(
      'div',
      { class: 'fields' },
      h('div', { class: 'field' }, h('label', { for: 'absence-until' }, words.t('awayUntil')), until),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'absence-delegate' }, words.t('delegateTo')),
        delegate,
        choices,
      ),
    ),
    problem,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button secondary' }, words.t('setAway')),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    handlers.away(until.value, delegate.value);
  });
  replaceChildren(root, form);
}
