import type { Api } from './api.js';
import type { AccessResponse, PersonView, RoleId, StatusStyle } from './contract.js';
import { h, replaceChildren, richText } from './dom.js';
import type { Formatter } from './format.js';
import type { Messages } from './i18n.js';

type Profile = AccessResponse['profiles'][number];
type AuditEntry = AccessResponse['audit'][number];

/** The roles in the Grant form, each with its title's message key. */
const ROLES: readonly { readonly id: RoleId; readonly title: string }[] = [
  { id: 'LicensesManager', title: 'roleLicensesManager' },
  { id: 'Approver', title: 'roleApprover' },
  { id: 'AccessAdmin', title: 'roleAccessAdmin' },
];

/**
 * The Access page (README: Access), for Access Admins: per billing profile who holds each role with Revoke, the
 * profile's fields, a Grant form (people found by name), and the audit history. The server decides everything
 * (bot/tab/tabAccessApi.ts); a refusal is shown as its sentence next to the form, whose inputs stay as typed.
 */
export class AccessPage {
  private profiles: readonly Profile[] = [];
  private busy = false;
  private readonly profilesRoot = h('div', { class: 'access-profiles' });
  private readonly auditList = h('ol', { id: 'access-audit', class: 'audit' });
  private readonly grantForm: HTMLFormElement;
  private readonly searchInput: HTMLInputElement;
  private readonly personSelect = h('select', { id: 'grant-person', required: true });
  private readonly roleSelect = h('select', { id: 'grant-role' });
  private readonly profileSelect = h('select', { id: 'grant-profile' });
  private readonly reasonInput = h('input', { id: 'grant-reason', type: 'text', maxlength: '500' });
  private readonly grantError = h('p', {
    id: 'grant-error',
    class: 'form-error',
    role: 'alert',
    hidden: true,
  });
  private readonly searchNote = h('p', {
    id: 'grant-search-note',
    class: 'field-hint',
    'aria-live': 'polite',
  });

  constructor(
    private readonly root: HTMLElement,
    private readonly api: Api,
    private readonly format: Formatter,
    private readonly words: Messages,
    private readonly say: (text: string, style: StatusStyle) => void,
  ) {
    this.searchInput = h('input', {
      id: 'grant-search',
      type: 'search',
      autocomplete: 'off',
      placeholder: words.t('nameOrEmail'),
    });
    for (const role of ROLES)
      this.roleSelect.appendChild(h('option', { value: role.id }, words.t(role.title)));
    replaceChildren(this.personSelect, h('option', { value: '' }, words.t('findPersonFirst')));
    this.grantForm = this.buildGrantForm();
    replaceChildren(
      root,
      this.profilesRoot,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'grant-title' },
        h(
          'div',
          { class: 'card-header' },
          h('h2', { id: 'grant-title' }, words.t('grantTitle')),
          h('p', { class: 'card-hint' }, words.t('grantHint')),
        ),
        this.grantForm,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'audit-title' },
        h(
          'div',
          { class: 'card-header' },
          h('h2', { id: 'audit-title' }, words.t('historyTitle')),
          h('p', { class: 'card-hint' }, words.t('historyHint')),
        ),
        this.auditList,
      ),
    );
  }

  /** Reads the page; false when the person is not an Access Admin (the page is then not offered). */
  async load(): Promise<boolean> {
    const page = await this.api.access();
    if (!page.ok) return false;
    this.show(page.value);
    return true;
  }

  private show(page: AccessResponse): void {
    this.profiles = page.profiles;
    replaceChildren(this.profilesRoot, ...page.profiles.map((profile) => this.profileCard(profile)));
    const chosen = this.profileSelect.value;
    replaceChildren(
      this.profileSelect,
      ...page.profiles.map((p) => h('option', { value: p.id, selected: p.id === chosen }, p.name)),
    );
    this.renderAudit(page.audit);
  }

  private profileCard(profile: Profile): HTMLElement {
    const titleId = `profile-${profile.id}-title`;
    return h(
      'section',
      { class: 'card access-profile', 'aria-labelledby': titleId, 'data-profile-id': profile.id },
      h(
        'div',
        { class: 'card-header' },
        h('h2', { id: titleId }, profile.name),
        h(
          'p',
          { class: 'card-hint' },
          [
            profile.domains.join(', '),
            this.words.t('approvalLimit', { ...profile.approvalLimit }),
            profile.secondApprovalLimit
              ? this.words.t('secondApprovalLimit', { ...profile.secondApprovalLimit })
              : '',
          ]
            .filter((part) => part !== '')
            .join(' · '),
        ),
      ),
      h(
        'div',
        { class: 'roles' },
        ...profile.roles.map(({ role, title, people }) =>
          h(
            'div',
            { class: 'role', 'data-role': role },
            h('h3', {}, title),
            people.length === 0
              ? h('p', { class: 'field-hint' }, this.words.t('nobody'))
              : h(
                  'ul',
                  {
                    class: 'people',
                    'aria-label': this.words.t('roleOnProfile', { role: title, profile: profile.name }),
                  },
                  ...people.map((person) => this.personItem(profile, role, title, person)),
                ),
          ),
        ),
      ),
      this.profileForm(profile),
    );
  }

  private personItem(profile: Profile, role: RoleId, title: string, person: PersonView): HTMLElement {
    const revoke = h(
      'button',
      {
        type: 'button',
        class: 'button secondary small',
        'aria-label': this.words.t('revokeFrom', {
          role: title,
          person: person.name,
          profile: profile.name,
        }),
      },
      this.words.t('revoke'),
    );
    revoke.addEventListener('click', () => void this.revoke(profile, role, person));
    return h(
      'li',
      { class: 'person', 'data-person-id': person.id },
      h(
        'span',
        { class: 'person-name' },
        person.name,
        person.email ? h('span', { class: 'person-email' }, ` ${person.email}`) : null,
      ),
      revoke,
    );
  }

  private profileForm(profile: Profile): HTMLFormElement {
    const id = (name: string) => `profile-${profile.id}-${name}`;
    const input = (name: string, label: string, value: string, attributes: Record<string, string> = {}) => {
      const element = h('input', { id: id(name), name, type: 'text', value, ...attributes });
      return {
        element,
        field: h('div', { class: 'field' }, h('label', { for: id(name) }, label), element),
      };
    };
    const t = (key: string) => this.words.t(key);
    const name = input('name', t('fieldName'), profile.name, { maxlength: '100' });
    const domains = input('domains', t('fieldDomains'), profile.domains.join(', '));
    const limit = input('approvalLimit', t('fieldApprovalLimit'), profile.approvalLimit.amount, {
      inputmode: 'decimal',
    });
    const second = input(
      'secondApprovalLimit',
      t('fieldSecondApprovalLimit'),
      profile.secondApprovalLimit?.amount ?? '',
      { inputmode: 'decimal' },
    );
    const currency = input('currency', t('fieldCurrency'), profile.approvalLimit.currency, {
      maxlength: '3',
      class: 'short',
    });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', class: 'button primary' }, t('save'));
    const form = h(
      'form',
      {
        class: 'profile-form',
        'aria-label': this.words.t('editProfile', { profile: profile.name }),
        novalidate: true,
      },
      h('div', { class: 'fields' }, name.field, domains.field, limit.field, second.field, currency.field),
      error,
      h('div', { class: 'form-actions' }, save),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run(error, async () => {
        const saved = await this.api.editProfile(profile.id, {
          name: name.element.value,
          domains: domains.element.value,
          approvalLimit: limit.element.value,
          secondApprovalLimit: second.element.value,
          currency: currency.element.value,
        });
        return saved.ok ? { message: saved.value.message } : { error: saved.error.error };
      });
    });
    return form;
  }

  private buildGrantForm(): HTMLFormElement {
    const field = (id: string, label: string, control: HTMLElement, ...extra: HTMLElement[]) =>
      h('div', { class: 'field' }, h('label', { for: id }, label), control, ...extra);
    const t = (key: string) => this.words.t(key);
    const find = h('button', { type: 'button', class: 'button secondary', id: 'grant-find' }, t('find'));
    find.addEventListener('click', () => void this.search());
    this.searchInput.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      void this.search();
    });
    const form = h(
      'form',
      { id: 'grant-form', class: 'grant-form', 'aria-labelledby': 'grant-title', novalidate: true },
      h(
        'div',
        { class: 'fields' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'grant-search' }, t('findPerson')),
          h('div', { class: 'search-row' }, this.searchInput, find),
          this.searchNote,
        ),
        field('grant-person', t('fieldPerson'), this.personSelect),
        field('grant-role', t('fieldRole'), this.roleSelect),
        field('grant-profile', t('columnBillingProfile'), this.profileSelect),
        field('grant-reason', t('fieldReason'), this.reasonInput),
      ),
      this.grantError,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button primary' }, t('grant')),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.grant();
    });
    return form;
  }

  private async search(): Promise<void> {
    const query = this.searchInput.value.trim();
    if (query === '') {
      replaceChildren(this.searchNote, this.words.t('searchEmpty'));
      return;
    }
    replaceChildren(this.searchNote, this.words.t('searching'));
    const found = await this.api.people(query);
    if (!found.ok) {
      replaceChildren(this.searchNote, richText(found.error.error));
      return;
    }
    const people = found.value.people;
    replaceChildren(
      this.personSelect,
      ...(people.length === 0
        ? [h('option', { value: '' }, this.words.t('findPersonFirst'))]
        : people.map((p) => h('option', { value: p.id }, p.email ? `${p.name} (${p.email})` : p.name))),
    );
    replaceChildren(
      this.searchNote,
      people.length === 0
        ? this.words.t('searchNobody', { query })
        : this.words.t('searchFound', { count: people.length }),
    );
  }

  private async grant(): Promise<void> {
    if (this.personSelect.value === '') {
      this.showError(this.grantError, this.words.t('grantNoPerson'));
      this.searchInput.focus();
      return;
    }
    const reason = this.reasonInput.value.trim();
    const done = await this.run(this.grantError, async () => {
      const granted = await this.api.grant({
        personId: this.personSelect.value,
        role: this.roleSelect.value as RoleId,
        billingProfileId: this.profileSelect.value,
        ...(reason ? { reason } : {}),
      });
      return granted.ok ? { message: granted.value.message } : { error: granted.error.error };
    });
    if (done) this.reasonInput.value = '';
  }

  private async revoke(profile: Profile, role: RoleId, person: PersonView): Promise<void> {
    await this.run(undefined, async () => {
      const revoked = await this.api.revoke({ personId: person.id, role, billingProfileId: profile.id });
      return revoked.ok ? { message: revoked.value.message } : { error: revoked.error.error };
    });
  }

  /**
   * One change: on success the page is read again and the sentence shown; on a refusal the sentence is shown next
   * to the form (or at the top for Revoke) and nothing on the page is reset. True when the change was made.
   */
  private async run(
    errorLine: HTMLElement | undefined,
    change: () => Promise<{ message: string } | { error: string }>,
  ): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.root.setAttribute('aria-busy', 'true');
    try {
      if (errorLine) errorLine.hidden = true;
      const result = await change();
      if ('error' in result) {
        if (errorLine) this.showError(errorLine, result.error);
        else this.say(result.error, 'attention');
        return false;
      }
      const page = await this.api.access();
      if (page.ok) this.show(page.value);
      else this.showAdminsOnly(page.error.error);
      this.say(result.message, 'good');
      return true;
    } finally {
      this.busy = false;
      this.root.setAttribute('aria-busy', 'false');
    }
  }

  /** After revoking one's own Access Admin role: the page goes, with the server's sentence. */
  private showAdminsOnly(text: string): void {
    replaceChildren(this.root, h('p', { class: 'message status status-warning' }, richText(text)));
  }

  private showError(line: HTMLElement, text: string): void {
    replaceChildren(line, richText(text));
    line.hidden = false;
  }

  private renderAudit(entries: readonly AuditEntry[]): void {
    if (entries.length === 0) {
      replaceChildren(this.auditList, h('li', { class: 'empty' }, this.words.t('auditEmpty')));
      return;
    }
    const profileName = (id: string | null) => this.profiles.find((p) => p.id === id)?.name ?? id ?? '';
    replaceChildren(
      this.auditList,
      ...entries.map((entry) => {
        const what = [
          h('strong', {}, entry.actor),
          ` ${this.words.t('auditAction', {
            action: entry.action,
            role: entry.role ?? '',
            person: entry.person ?? '',
          })}`,
          entry.billingProfileId
            ? ` ${this.words.t('auditOnProfile', { profile: profileName(entry.billingProfileId) })}`
            : '',
        ];
        return h(
          'li',
          { class: 'audit-item', 'data-action': entry.action },
          h('span', { class: 'audit-what' }, ...what),
          h('span', { class: 'order-when' }, this.format.dateTime(entry.at)),
          entry.reason
            ? h('p', { class: 'audit-reason' }, this.words.t('quoted', { text: entry.reason }))
            : null,
        );
      }),
    );
  }
}
