import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as AC from 'adaptivecards';
import { ALL_CARD_VERBS } from '../../cards/verbs';
import type { AdaptiveCardJson } from '../../cards/adaptiveCard';
import { money } from '../../bot/domain/money';
import { ORDER_STATES, type Order } from '../../bot/domain/order';
import { orderCardFor, type ViewerRole } from '../../bot/teams/presenters/orderCardPresenter';
import { CardActions } from '../../bot/teams/actions/cardActions';
import { licensesCardFor } from '../../bot/teams/presenters/licensesCardPresenter';
import { ordersCardFor } from '../../bot/teams/presenters/ordersCardPresenter';
import { CARD_COMMANDS } from '../../cards/verbs';
import { noticeCard } from '../../cards/noticeCard';
import { accessCardFor } from '../../bot/teams/presenters/accessCardPresenter';
import { requestCardFor } from '../../bot/teams/presenters/requestPresenter';
import type { LicenseRequest, LicenseRequestState } from '../../bot/domain/licenseRequest';
import { silentLog } from '../support/testApp';

/** Microsoft's Adaptive Cards SDK at 1.5: parse the card and collect every event it reports. */
function validationEvents(card: object): string[] {
  // The SDK checks `lang` with a global regular expression (/^[a-z]{2,3}$/gi), whose lastIndex survives between
  // cards: every second card would fail on a valid "en". Start each card afresh.
  (AC.CardElement as unknown as { langProperty: { regEx: RegExp } }).langProperty.regEx.lastIndex = 0;
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events = [
    ...(context.eventCount ? collect(context) : []),
    ...parsed.validateProperties().validationEvents,
  ];
  return events
    .map((e) => `${AC.ValidationEvent[e.event]}: ${e.message}`)
    .filter((e) => e !== TEAMS_PEOPLE_PICKER);
}

/**
 * The one event allowed: Teams' people picker is `Input.ChoiceSet` with `choices.data` (Data.Query), a Teams
 * extension of the schema that Teams reads in cards of any version; the SDK knows the property from 1.6 on
 * (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/people-picker).
 */
const TEAMS_PEOPLE_PICKER =
  'UnsupportedProperty: Property "choices.data" is supported in version 1.6, but you are using version 1.5.';

function collect(context: AC.SerializationContext): AC.IValidationEvent[] {
  const events: AC.IValidationEvent[] = [];
  for (let i = 0; i < context.eventCount; i += 1) events.push(context.getEventAt(i));
  return events;
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
  needsApprover: false,
  state: 'draft',
  decidedBy: { id: 'megan', name: 'Megan Bowen' },
  decidedAt: new Date('2026-11-26T10:00:00Z'),
  outcome: null,
  note: 'Use the spare seats first',
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

/** Every template, expanded by its binder with representative data: every state, every viewer. */
function representativeCards(): Array<[string, AdaptiveCardJson]> {
  const cards: Array<[string, AdaptiveCardJson]> = [];
  const viewers: ViewerRole[] = ['requester', 'approver', 'other', 'shared'];
  for (const state of ORDER_STATES) {
    for (const viewer of viewers) {
      for (const [kind, timing] of [
        ['increase', 'now'],
        ['decrease', 'now'],
        ['decrease', 'at_renewal'],
        ['increase', 'cancel_scheduled'],
      ] as const) {
        const order = {
          ...ORDER,
          state,
          kind,
          timing,
          targetQuantity: kind === 'increase' ? 30 : 20,
          scheduledBefore: timing === 'now' ? null : 22,
          renewalDate: timing === 'now' ? null : '2027-04-01',
        };
        cards.push([
          `order ${state} ${kind} ${timing} for ${viewer}`,
          orderCardFor(order, {
            audience: { locale: 'de-DE' },
            viewer,
            approverNames: ['Megan Bowen', 'Isaiah Langer'],
            refreshUserIds: ['29:alex', '29:megan'],
          }),
        ]);
      }
    }
  }
  const managed = [
    {
      subscription: {
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
      },
      billingProfile: PROFILE,
    },
    {
      subscription: {
        id: 'e5',
        product: 'Microsoft 365 E5',
        domain: 'contoso.com',
        plan: 'ANNUAL' as const,
        quantity: 10,
        inUse: 10,
        pricePerSeat: money(5700, 'USD'),
        renewalDate: '2027-07-01',
        status: 'active' as const,
        autoRenew: true,
        trial: false,
        removal: 'window' as const,
        refundable: [],
        scheduledQuantity: 8,
      },
      billingProfile: PROFILE,
    },
    ...Array.from({ length: 6 }, (_, i) => ({
      subscription: {
        id: `x${i}`,
        product: `Product ${i}`,
        domain: 'contoso.com',
        plan: 'FLEXIBLE' as const,
        quantity: 10,
        inUse: 10,
        pricePerSeat: money(100, 'EUR'),
        renewalDate: null,
        status: 'suspended' as const,
        autoRenew: false,
        trial: false,
        removal: 'window' as const,
        refundable: [],
        scheduledQuantity: null,
      },
      billingProfile: { ...PROFILE, id: 'other', name: 'Contoso EMEA' },
    })),
  ];
  cards.push(['notice', noticeCard({ text: 'This order is not available to you.' })]);
  cards.push([
    'licenses, page 1',
    licensesCardFor(managed, 1, { locale: 'fr-FR' }, new Date('2026-11-30T12:00:00Z')),
  ]);
  cards.push([
    'licenses, last page',
    licensesCardFor(managed, 2, { locale: 'en-US' }, new Date('2026-11-30T12:00:00Z')),
  ]);
  const orders = ORDER_STATES.map((state, i) => ({
    ...ORDER,
    id: `${ORDER.id.slice(0, -1)}${i}`,
    state,
    outcome: state === 'failed' ? ('provider_rejected' as const) : null,
  }));
  cards.push([
    'orders with approvals waiting',
    ordersCardFor(
      { orders: orders.slice(0, 5), total: 9, page: 1, awaitingYou: orders.slice(1, 3) },
      { locale: 'de-DE' },
    ),
  ]);
  cards.push([
    'orders, last page, none waiting',
    ordersCardFor({ orders: orders.slice(5), total: 9, page: 2, awaitingYou: [] }, { locale: 'en-US' }),
  ]);
  cards.push([
    'orders, none at all',
    ordersCardFor({ orders: [], total: 0, page: 1, awaitingYou: [] }, { locale: 'en-US' }),
  ]);
  const hqAccess = {
    profile: PROFILE,
    members: [
      {
        role: 'LicensesManager' as const,
        people: [{ id: 'alex', name: 'Alex Wilber', email: 'alexw@contoso.com' }],
      },
      { role: 'Approver' as const, people: [] },
      { role: 'AccessAdmin' as const, people: [{ id: 'megan', name: 'Megan *Bowen*' }] },
    ],
  };
  const people = [
    { id: 'alex', name: 'Alex Wilber', email: 'alexw@contoso.com' },
    { id: 'patti', name: 'Patti Fernandez' },
  ];
  cards.push(['access', accessCardFor(hqAccess, [hqAccess], people, { locale: 'en-US' })]);
  cards.push([
    'access with an alert',
    accessCardFor(
      hqAccess,
      [hqAccess],
      people.slice(0, 1),
      { locale: 'de-DE' },
      { text: 'Done.', style: 'good' },
    ),
  ]);
  const request: LicenseRequest = {
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
  const requestStates: LicenseRequestState[] = [
    'draft',
    'waiting',
    'ordered',
    'declined',
    'expired',
    'cancelled',
  ];
  for (const state of requestStates) {
    for (const viewer of ['requester', 'manager'] as const) {
      cards.push([
        `license request ${state} for its ${viewer}`,
        requestCardFor({ ...request, state, reason: state === 'draft' ? null : request.reason }, viewer, {
          locale: 'en-US',
        }),
      ]);
    }
  }
  cards.push([
    'order with an alert and no refresh',
    orderCardFor(ORDER, {
      audience: { locale: 'en-US' },
      viewer: 'requester',
      alert: { text: 'Changed.', style: 'warning' },
    }),
  ]);
  return cards;
}

describe('Adaptive Card templates', () => {
  const cards = representativeCards();

  it.each(cards)('%s parses with the adaptivecards SDK at 1.5 with no events', (_name, card) => {
    expect(validationEvents(card)).toEqual([]);
    expect(card.version).toBe('1.5');
  });

  it.each(cards)('%s has no leftover ${ from the template', (_name, card) => {
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it('letting the people picker through hides nothing else: a broken card with one still reports events', () => {
    expect(
      validationEvents({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          {
            type: 'Input.ChoiceSet',
            id: 'p',
            choices: [{ title: 'a', value: 'a' }],
            'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
          },
          { type: 'Input.Text' },
        ],
      }),
    ).not.toEqual([]);
  });

  it('the SDK check can fail: a broken card reports events', () => {
    expect(
      validationEvents({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'Input.Text' }, { type: 'Nope' }],
      }),
    ).not.toEqual([]);
  });

  it('every template declares version 1.5', () => {
    const dir = join(__dirname, '../../cards/templates');
    for (const file of readdirSync(dir)) {
      expect([
        file,
        (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { version: string }).version,
      ]).toEqual([file, '1.5']);
    }
  });

  it('every Action.Execute verb in every template has a handler, and every handler a verb', () => {
    const dir = join(__dirname, '../../cards/templates');
    const verbs = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/"verb":\s*"([^"]+)"/g)) verbs.add(m[1]);
    }
    const handled = new CardActions(
      { orders: {} as never, cards: {} as never, visibility: {} as never },
      silentLog,
    ).verbs;
    expect([...verbs].sort()).toEqual([...handled].sort());
    expect([...ALL_CARD_VERBS].sort()).toEqual([...handled].sort());
  });

  it('every Action.Submit command in the templates is one the bot routes', () => {
    const dir = join(__dirname, '../../cards/templates');
    const commands = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/"command":\s*"([^"]+)"/g))
        commands.add(m[1]);
    }
    expect([...commands].sort()).toEqual(Object.values(CARD_COMMANDS).sort());
  });

  it("the access card's people picker is Teams' directory query, with the object id as its value", () => {
    const card = JSON.stringify(
      accessCardFor(
        { profile: PROFILE, members: [] },
        [{ profile: PROFILE, members: [] }],
        [{ id: 'patti', name: 'Patti' }],
        { locale: 'en-US' },
      ),
    );
    expect(card).toContain(
      '"choices":[{"title":"Patti","value":"patti"}],"choices.data":{"type":"Data.Query","dataset":"graph.microsoft.com/users"}',
    );
  });

  it('each Action.Execute carries an Action.Submit fallback with the same verb', () => {
    const card = orderCardFor(
      { ...ORDER, state: 'pending_approval' },
      { audience: { locale: 'en-US' }, viewer: 'shared' },
    );
    const text = JSON.stringify(card);
    const executes = [
      ...text.matchAll(
        /"type":"Action\.Execute"[^{}]*"verb":"([^"]+)"[^{}]*"data":\{[^}]*\},"fallback":\{"type":"Action\.Submit","title":"[^"]*","data":\{"verb":"([^"]+)"/g,
      ),
    ];
    expect(executes.map((m) => m[1])).toEqual(['order.approve', 'order.reject', 'order.cancel']);
    for (const m of executes) expect(m[2]).toBe(m[1]);
  });

  it('text from people is shown as data, never evaluated as a template', () => {
    const card = orderCardFor(
      { ...ORDER, state: 'rejected', note: '${orderId} [click](https://evil.example) **bold**' },
      { audience: { locale: 'en-US' }, viewer: 'requester' },
    );
    const text = JSON.stringify(card);
    expect(text).toContain('Rejected by Megan Bowen: ${orderId}');
    expect(text).not.toContain(ORDER.id);
    expect(text).not.toContain('[click](https://evil.example)');
  });
});
