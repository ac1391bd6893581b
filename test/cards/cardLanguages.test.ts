import * as AC from 'adaptivecards';
import type { AdaptiveCardJson } from '../../cards/adaptiveCard';
import { money } from '../../bot/domain/money';
import { ORDER_STATES, type Order, type OrderOutcomeCode } from '../../bot/domain/order';
import type { LicenseRequest, LicenseRequestState } from '../../bot/domain/licenseRequest';
import { orderCardFor, type ViewerRole } from '../../bot/teams/presenters/orderCardPresenter';
import { licensesCardFor } from '../../bot/teams/presenters/licensesCardPresenter';
import { ordersCardFor } from '../../bot/teams/presenters/ordersCardPresenter';
import { accessCardFor } from '../../bot/teams/presenters/accessCardPresenter';
import { requestCardFor } from '../../bot/teams/presenters/requestPresenter';
import { outcomeText, approvalRoutedText } from '../../bot/teams/presenters/outcomeText';
import { refusalText } from '../../bot/teams/presenters/refusalText';
import { activityFeedText } from '../../bot/teams/presenters/activityFeedText';
import { ACTIVITY_TYPES, ORDER_MESSAGES } from '../../bot/services/orderMessages';
import { cardText } from '../support/cards';

/**
 * Every card in every language (README: Languages): its words come from the cards catalogue, `lang` says which
 * language they are in, and the Adaptive Cards SDK accepts it. The pseudo-locale (qps-ploc) shows any word that
 * escaped the catalogues: everything a card says is bracketed pseudo text, apart from values (products, people,
 * billing profiles, numbers, money and dates).
 */

function validationEvents(card: object): string[] {
  // The SDK checks `lang` with a global regular expression whose lastIndex survives between cards.
  (AC.CardElement as unknown as { langProperty: { regEx: RegExp } }).langProperty.regEx.lastIndex = 0;
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events: AC.IValidationEvent[] = [...parsed.validateProperties().validationEvents];
  for (let i = 0; i < context.eventCount; i += 1) events.push(context.getEventAt(i));
  return events
    .map((e) => `${AC.ValidationEvent[e.event]}: ${e.message}`)
    .filter((e) => !e.includes('"choices.data"'));
}

const PROFILE = {
  id: 'contoso-hq',
  name: 'Contoso HQ',
  domains: ['contoso.com'],
  approvalLimit: money(50000, 'USD'),
  accessAdministrators: [],
};

const ORDER: Order = {
  id: '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b',
  number: 1001,
  version: 1,
  licenseRequest: null,
  idempotencyKey: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
  subscriptionId: 'sub',
  product: 'Microsoft 365 Business Standard',
  domain: 'contoso.com',
  plan: 'FLEXIBLE',
  billingProfileId: 'contoso-hq',
  billingProfileName: 'Contoso HQ',
  requester: { id: 'alex', name: 'Alex Wilber' },
  tenantId: 't',
  kind: 'increase',
  expectedQuantity: 25,
  targetQuantity: 30,
  pricePerSeat: money(1250, 'USD'),
  timing: 'now',
  scheduledBefore: null,
  renewalDate: null,
  restoreKey: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  needsApprover: true,
  state: 'draft',
  decidedBy: { id: 'megan', name: 'Megan Bowen' },
  decidedAt: new Date('2026-11-26T10:00:00Z'),
  outcome: null,
  note: null,
  createdAt: new Date('2026-11-26T09:00:00Z'),
  updatedAt: new Date('2026-11-26T10:00:00Z'),
  expiresAt: new Date('2026-12-03T09:00:00Z'),
  approvalRequestedAt: null,
  approvalStep: 0,
  approvalStepAt: null,
  approvalsRequired: 1,
  approvals: [],
  reassignments: [],
};

const FAILURES: OrderOutcomeCode[] = [
  'quantity_changed',
  'permission_lost',
  'provider_rejected',
  'provider_unavailable',
  'subscription_gone',
  'subscription_suspended',
  'decrease_not_allowed',
  'window_closed',
  'scheduled_changed',
  'below_in_use',
  'above_order_maximum',
  'rules_changed',
  'submission_failed',
  'could_not_confirm',
];

/** Orders in every state, kind and timing, every outcome and every step of the approval ladder. */
function orders(): Array<[string, Order]> {
  const all: Array<[string, Order]> = [];
  for (const state of ORDER_STATES)
    for (const [kind, timing] of [
      ['increase', 'now'],
      ['decrease', 'now'],
      ['decrease', 'at_renewal'],
      ['increase', 'cancel_scheduled'],
    ] as const)
      all.push([
        `${state} ${kind} ${timing}`,
        {
          ...ORDER,
          state,
          kind,
          timing,
          targetQuantity: kind === 'increase' ? 30 : 20,
          scheduledBefore: timing === 'now' ? null : 22,
          renewalDate: timing === 'now' ? null : '2027-04-01',
          note: state === 'rejected' ? 'Use the spare seats first' : null,
        },
      ]);
  for (const outcome of FAILURES)
    all.push([
      `failed ${outcome}`,
      { ...ORDER, state: 'failed', outcome, note: outcome === 'provider_rejected' ? 'Denied' : '27' },
    ]);
  for (const outcome of ['scheduled_restored', 'scheduled_not_restored'] as const)
    all.push([
      `completed ${outcome}`,
      { ...ORDER, state: 'completed', outcome, scheduledBefore: 22, note: null },
    ]);
  all.push([
    'expired, quantity changed',
    { ...ORDER, state: 'expired', outcome: 'quantity_changed', note: '26' },
  ]);
  all.push([
    'waiting for a second approval, escalated, reassigned, last call',
    {
      ...ORDER,
      state: 'pending_approval',
      approvalsRequired: 2,
      approvalStep: 3,
      approvalStepAt: new Date('2026-11-28T09:00:00Z'),
      approvals: [
        {
          id: 'isaiah',
          name: 'Isaiah Langer',
          at: new Date('2026-11-27T09:00:00Z'),
          onBehalfOf: { id: 'lynne', name: 'Lynne Robbins' },
        },
      ],
      reassignments: [
        {
          to: { id: 'patti', name: 'Patti Fernandez' },
          by: { id: 'adele', name: 'Adele Vance' },
          at: new Date('2026-11-28T10:00:00Z'),
        },
      ],
    } as Order,
  ]);
  all.push([
    'approved by two',
    {
      ...ORDER,
      state: 'completed',
      approvalsRequired: 2,
      approvals: [
        { id: 'isaiah', name: 'Isaiah Langer', at: new Date('2026-11-27T09:00:00Z') },
        { id: 'megan', name: 'Megan Bowen', at: new Date('2026-11-27T10:00:00Z') },
      ],
    } as Order,
  ]);
  return all;
}

const AT = new Date('2026-11-30T12:00:00Z');

function subscription(overrides: Record<string, unknown>) {
  return {
    id: 'bs',
    product: 'Microsoft 365 Business Standard',
    domain: 'contoso.com',
    plan: 'FLEXIBLE' as const,
    quantity: 25,
    inUse: 21,
    pricePerSeat: money(1250, 'USD'),
    renewalDate: '2026-12-01',
    status: 'active' as const,
    autoRenew: true,
    trial: false,
    removal: 'anytime' as const,
    refundable: [],
    scheduledQuantity: null,
    ...overrides,
  };
}

const REQUEST: LicenseRequest = {
  id: ORDER.id,
  number: 3,
  tenantId: 't',
  requester: { id: 'patti', name: 'Patti Fernandez' },
  subscriptionId: 'sub',
  product: 'Microsoft 365 Business Standard',
  domain: 'contoso.com',
  billingProfile: { id: 'contoso-hq', name: 'Contoso HQ' },
  seats: 5,
  reason: 'New starters',
  state: 'draft',
  decidedBy: { id: 'alex', name: 'Alex Wilber' },
  decidedAt: new Date('2026-11-26T10:00:00Z'),
  declineReason: 'Use the spare seats',
  orderId: null,
  createdAt: new Date('2026-11-26T09:00:00Z'),
  expiresAt: new Date('2026-12-03T09:00:00Z'),
};

/** Every card License Desk renders, for a reader in `locale`. */
function cardsIn(locale: string): Array<[string, AdaptiveCardJson]> {
  const audience = { locale };
  const cards: Array<[string, AdaptiveCardJson]> = [];
  const viewers: ViewerRole[] = ['requester', 'approver', 'other', 'shared'];
  for (const [name, order] of orders())
    for (const viewer of viewers)
      cards.push([
        `order ${name} for ${viewer}`,
        orderCardFor(order, {
          audience,
          viewer,
          approverNames: ['Megan Bowen', 'Isaiah Langer', 'Lynne Robbins'],
          refreshUserIds: ['29:alex'],
          reassignTo: [{ id: 'patti', name: 'Patti Fernandez' }],
        }),
      ]);
  const managed = [
    subscription({}),
    subscription({
      id: 'e5',
      product: 'Microsoft 365 E5',
      plan: 'ANNUAL',
      quantity: 10,
      inUse: 10,
      removal: 'window',
      scheduledQuantity: 8,
      renewalDate: '2027-07-01',
    }),
    subscription({ id: 'e3', product: 'Office 365 E3', quantity: 100, inUse: 95, trial: true }),
    subscription({
      id: 'basic',
      product: 'Microsoft 365 Business Basic',
      status: 'suspended',
      autoRenew: false,
      renewalDate: null,
    }),
    ...Array.from({ length: 5 }, (_, i) =>
      subscription({ id: `x${i}`, product: `Microsoft 365 F${i}`, renewalDate: '2026-01-01' }),
    ),
  ].map((s) => ({ subscription: s, billingProfile: PROFILE }));
  cards.push(['licenses, page 1', licensesCardFor(managed, 1, audience, AT)]);
  cards.push(['licenses, page 2', licensesCardFor(managed, 2, audience, AT)]);
  const list = orders().map(([, order], i) => ({ ...order, id: `${ORDER.id.slice(0, -2)}${i + 10}` }));
  cards.push([
    'orders',
    ordersCardFor(
      {
        orders: list.slice(0, 40),
        total: 90,
        page: 1,
        awaitingYou: list.filter((o) => o.state === 'pending_approval'),
        undelivered: new Map([
          [
            list[0].id,
            [
              { kind: ORDER_MESSAGES.approvalCard, recipientKind: 'person', recipientName: 'Megan Bowen' },
              { kind: ORDER_MESSAGES.channelCard, recipientKind: 'channel', recipientName: null },
              { kind: ORDER_MESSAGES.cardUpdate, recipientKind: 'person', recipientName: null },
              { kind: ORDER_MESSAGES.outcome, recipientKind: 'person', recipientName: 'Alex Wilber' },
            ] as never,
          ],
        ]),
      },
      audience,
    ),
  ]);
  cards.push(['orders, none', ordersCardFor({ orders: [], total: 0, page: 1, awaitingYou: [] }, audience)]);
  const access = {
    profile: PROFILE,
    members: [
      {
        role: 'LicensesManager' as const,
        people: [{ id: 'alex', name: 'Alex Wilber', email: 'alexw@contoso.com' }],
      },
      { role: 'Approver' as const, people: [] },
      { role: 'AccessAdmin' as const, people: [{ id: 'megan', name: 'Megan Bowen' }] },
    ],
  };
  cards.push([
    'access',
    accessCardFor(access, [access], [{ id: 'patti', name: 'Patti Fernandez' }], audience),
  ]);
  const states: LicenseRequestState[] = ['draft', 'waiting', 'ordered', 'declined', 'expired', 'cancelled'];
  for (const state of states)
    for (const viewer of ['requester', 'manager'] as const)
      cards.push([
        `request ${state} for its ${viewer}`,
        requestCardFor({ ...REQUEST, state }, viewer, audience),
      ]);
  return cards;
}

/** Every text a reader sees on a card: text blocks, fact titles and values, buttons, inputs and choices. */
function textsOf(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (['text', 'title', 'value', 'label', 'placeholder', 'errorMessage'].includes(key ?? ''))
        texts.push(node);
      return;
    }
    if (Array.isArray(node)) return node.forEach((n) => walk(n));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      // Values a card sends back (ids, roles, commands) and what Teams reads are no words: data, verbs, choices' values.
      if (
        ['data', 'verb', 'id', 'type', 'style', 'color', 'lang', 'version', '$schema', 'refresh'].includes(k)
      )
        continue;
      if (k === 'value' && o.type !== undefined) continue;
      if (k === 'choices' && Array.isArray(v)) {
        for (const choice of v as Array<{ title?: unknown }>)
          if (typeof choice.title === 'string') texts.push(choice.title);
        continue;
      }
      walk(v, k);
    }
  };
  walk(card);
  return texts;
}

/** Values shown as they are in every language: products, people, profiles, domains, numbers, money, dates. */
const VALUES = [
  /Microsoft 365 (Business Standard|Business Basic|E5|F\d)/g,
  /Office 365 E3/g,
  /Megan Bowen|Isaiah Langer|Alex Wilber|Patti Fernandez|Adele Vance|Lynne Robbins/g,
  /Contoso HQ|contoso\.com|alexw@contoso\.com/g,
  /\{\{(DATE|TIME)\([^)]*\)\}\}/g,
  /\bL[DR]-\d+\b/g,
  /\b(FLEXIBLE|ANNUAL|USD|License Desk|Microsoft|Teams)\b/g,
  /\bDenied\b/g,
];

/** What is left of a text once pseudo text ([...]) and values are taken out: only digits and punctuation. */
function untranslated(text: string): string {
  let rest = text;
  for (let previous = ''; previous !== rest;) {
    previous = rest;
    rest = rest.replace(/\[[^[\]]*\]/g, ' ');
  }
  for (const value of VALUES) rest = rest.replace(value, ' ');
  return rest.replace(/[^\p{L}]+/gu, ' ').trim();
}

/** Words that are the same in English and a translation ("Plan" in German and Spanish, "Person" in German). */
const SAME_WORD = new Set(['Plan', 'Person']);

describe('cards in every language (README: Languages)', () => {
  const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'qps-ploc'];
  const rendered = new Map(LOCALES.map((locale) => [locale, cardsIn(locale)]));
  const all = LOCALES.flatMap((locale) =>
    (rendered.get(locale) ?? []).map(([name, card]) => [locale, name, card] as const),
  );

  it.each(all)('%s: %s validates with the adaptivecards SDK at 1.5', (_locale, _name, card) => {
    expect(validationEvents(card)).toEqual([]);
  });

  it.each([
    ['en-US', 'en'],
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['fr-FR', 'fr'],
    ['es-MX', 'es'],
    ['ja-JP', 'ja'],
    ['qps-ploc', 'en'],
    ['pt-BR', 'en'],
  ])('declares lang on every card a reader in %s gets: %s', (locale, lang) => {
    for (const [, card] of cardsIn(locale)) expect(card.lang).toBe(lang);
  });

  it.each(['de-DE', 'ja-JP', 'fr-FR', 'es-ES'])(
    'in %s, no text is the English one, apart from values the pseudo-locale leaves alone too',
    (locale) => {
      const english = rendered.get('en-US') ?? [];
      const pseudo = rendered.get('qps-ploc') ?? [];
      const translated = rendered.get(locale) ?? [];
      translated.forEach(([name, card], i) => {
        const englishTexts = new Set(textsOf(english[i][1]));
        const values = new Set(textsOf(pseudo[i][1]));
        const leftInEnglish = textsOf(card).filter(
          (text) =>
            englishTexts.has(text) && !values.has(text) && !SAME_WORD.has(text) && untranslated(text) !== '',
        );
        expect({ name, leftInEnglish }).toEqual({ name, leftInEnglish: [] });
      });
    },
  );

  it('in German and Japanese, the cards read German and Japanese', () => {
    const text = (locale: string) =>
      (rendered.get(locale) ?? []).map(([, card]) => `${cardText(card)}\n${JSON.stringify(card)}`).join('\n');
    const german = text('de-DE');
    for (const words of [
      'Genehmigen',
      'Ablehnen',
      'Wartet auf die Genehmigung durch Megan Bowen, Isaiah Langer oder Lynne Robbins.',
      'Monatliche Kosten',
      'Ihre Abonnements',
      'Ihre Bestellungen',
      'Rolle erteilen',
      'Anfrage senden',
      'Lizenzen bei Verlängerung',
    ])
      expect(german).toContain(words);
    const japanese = text('ja-JP');
    for (const words of [
      '承認',
      '却下',
      'Megan Bowen、Isaiah Langer、またはLynne Robbins の承認を待っています。',
      '月額費用',
      'あなたのサブスクリプション',
      'あなたの注文',
      'ロールを付与',
      '依頼を送信',
    ])
      expect(japanese).toContain(words);
  });

  it.each(cardsIn('qps-ploc'))(
    'qps-ploc: %s says nothing that is not pseudo text or a value',
    (_name, card) => {
      const escaped = textsOf(card)
        .map((text) => [text, untranslated(text)])
        .filter(([, rest]) => rest !== '');
      expect(escaped).toEqual([]);
    },
  );

  it('the pseudo check can fail: an English word in a card is found', () => {
    expect(untranslated('[Ñót pláçéd··] Nothing was ordered.')).toBe('Nothing was ordered');
    expect(untranslated('[Ápprövé···] Megan Bowen {{DATE(2026-11-26T10:00:00Z, SHORT)}} 62.50')).toBe('');
  });

  it('money is in the billing profile currency, written the reader’s way: 62,50 $ in de-DE', () => {
    const card = orderCardFor(ORDER, { audience: { locale: 'de-DE' }, viewer: 'requester' });
    const text = cardText(card);
    expect(text).toContain('Ihre monatliche Zahlung steigt um 62,50\u00a0$ für die neuen Lizenzen.');
    expect(text).toContain('Preis pro Lizenz: 12,50\u00a0$ pro Monat');
    expect(text).toContain('312,50\u00a0$ → 375,00\u00a0$ (+62,50\u00a0$)');
    expect(cardText(orderCardFor(ORDER, { audience: { locale: 'en-US' }, viewer: 'requester' }))).toContain(
      'Your monthly payment increases by $62.50 to cover the new licenses.',
    );
    expect(cardText(orderCardFor(ORDER, { audience: { locale: 'ja-JP' }, viewer: 'requester' }))).toContain(
      '$62.50',
    );
  });

  it('dates and times on cards are {{DATE()}}/{{TIME()}}, which Teams writes in each viewer’s language', () => {
    const decided = { ...ORDER, state: 'rejected' as const };
    for (const locale of ['de-DE', 'ja-JP'])
      expect(cardText(orderCardFor(decided, { audience: { locale }, viewer: 'requester' }))).toContain(
        '{{DATE(2026-11-26T10:00:00Z, SHORT)}} {{TIME(2026-11-26T10:00:00Z)}}',
      );
  });
});

describe('messages about orders in every language', () => {
  const rejected: Order = { ...ORDER, state: 'rejected', note: 'Use E5' };
  it('outcome, routing and refusal sentences are in the reader’s language', () => {
    expect(outcomeText(rejected, 'pending_approval', { locale: 'de-DE' })).toBe(
      'Megan Bowen hat Bestellung LD-1001 für **Microsoft 365 Business Standard** abgelehnt: „Use E5“ Es wurde nichts bestellt.',
    );
    expect(outcomeText(rejected, 'pending_approval', { locale: 'en-US' })).toBe(
      'Megan Bowen rejected order LD-1001 for **Microsoft 365 Business Standard**: "Use E5" Nothing was ordered.',
    );
    expect(
      approvalRoutedText(ORDER, ['Megan Bowen', 'Isaiah Langer', 'Lynne Robbins'], false, {
        locale: 'fr-FR',
      }),
    ).toBe(
      'La commande LD-1001 attend une approbation ; je l’ai envoyée à Megan Bowen, Isaiah Langer ou Lynne Robbins.',
    );
    expect(approvalRoutedText(ORDER, ['Megan Bowen', 'Isaiah Langer', 'Lynne Robbins'], false)).toBe(
      'Order LD-1001 waits for approval; I sent it to Megan Bowen, Isaiah Langer or Lynne Robbins.',
    );
    expect(refusalText({ code: 'rate_limited', retryAfterSeconds: 1 }, { locale: 'es-ES' })).toBe(
      'Fueron muchas solicitudes en poco tiempo. Vuelva a intentarlo en 1 segundo.',
    );
    expect(refusalText({ code: 'self_approval' }, { locale: 'ja-JP' })).toBe(
      '自分の注文は承認も却下もできません。課金プロファイルの別の承認者が判断します。',
    );
  });

  it('an activity feed notification is in the recipient’s language', () => {
    const waiting: Order = { ...ORDER, state: 'pending_approval' };
    expect(
      activityFeedText(waiting, ACTIVITY_TYPES.approvalRequested, undefined, { locale: 'de-DE' }),
    ).toEqual({
      topic: 'License Desk: Bestellung LD-1001',
      previewText: 'Microsoft 365 Business Standard: 25 → 30 Lizenzen (+5). Tippen Sie, um zu entscheiden.',
      templateParameters: { order: 'LD-1001 für Microsoft 365 Business Standard', requester: 'Alex Wilber' },
    });
    expect(
      activityFeedText(waiting, ACTIVITY_TYPES.approvalRequested, undefined, { locale: 'en-US' })
        ?.previewText,
    ).toBe('Microsoft 365 Business Standard: 25 → 30 seats (+5). Tap to decide.');
  });
});
