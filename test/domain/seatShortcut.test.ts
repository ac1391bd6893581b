import { parseSeatShortcut, type SeatShortcut } from '../../bot/domain/seatShortcut';
import { matchSubscription } from '../../bot/domain/subscriptionMatch';

type Expected = Omit<SeatShortcut, 'seatProblem'> & { seatProblem?: string };

const table: Array<[string, Expected | undefined]> = [
  // Clear: subscription and number
  ['add 5 seats to Business Standard', { kind: 'increase', seats: 5, subscriptionText: 'business standard' }],
  ['remove 3 Business Basic', { kind: 'decrease', seats: 3, subscriptionText: 'business basic' }],
  ['+5 E3', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
  ['buy 10 more E5 licenses', { kind: 'increase', seats: 10, subscriptionText: 'e5' }],
  ['-3 basic', { kind: 'decrease', seats: 3, subscriptionText: 'basic' }],
  ['+ 5 E3', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
  ['add 12 licenses for Office 365 E3', { kind: 'increase', seats: 12, subscriptionText: 'office 365 e3' }],
  [
    'purchase 2 seats of Microsoft 365 Business Standard',
    { kind: 'increase', seats: 2, subscriptionText: 'microsoft 365 business standard' },
  ],
  ['reduce Business Basic by 4', { kind: 'decrease', seats: 4, subscriptionText: 'business basic' }],
  ['drop 2 seats from basic', { kind: 'decrease', seats: 2, subscriptionText: 'basic' }],
  ['order 7 E5', { kind: 'increase', seats: 7, subscriptionText: 'e5' }],
  [
    'get 3 extra seats on business standard',
    { kind: 'increase', seats: 3, subscriptionText: 'business standard' },
  ],
  ['add E3 x 4', { kind: 'increase', seats: 4, subscriptionText: 'e3' }],
  ['add 1 seat to e3', { kind: 'increase', seats: 1, subscriptionText: 'e3' }],
  // Mixed case, punctuation, extra words
  ['ADD 5 SEATS TO BUSINESS STANDARD', { kind: 'increase', seats: 5, subscriptionText: 'business standard' }],
  [
    'Add 5 Seats To Business Standard!',
    { kind: 'increase', seats: 5, subscriptionText: 'business standard' },
  ],
  ['Add 5 seats to E3, please.', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
  [
    'please add 5 seats to business standard',
    { kind: 'increase', seats: 5, subscriptionText: 'business standard' },
  ],
  ['Please buy 10 more E5 licenses, thanks', { kind: 'increase', seats: 10, subscriptionText: 'e5' }],
  [
    'can you remove 3 business basic please',
    { kind: 'decrease', seats: 3, subscriptionText: 'business basic' },
  ],
  [
    "I'd like to add 20 seats to the E3 subscription",
    { kind: 'increase', seats: 20, subscriptionText: 'e3' },
  ],
  ['  add   5   seats   to   E3  ', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
  [
    'add 5 M365 Business Standard',
    { kind: 'increase', seats: 5, subscriptionText: 'm365 business standard' },
  ],
  // Something missing: ask only for that
  ['buy licenses', { kind: 'increase', subscriptionText: '' }],
  ['add licenses', { kind: 'increase', subscriptionText: '' }],
  ['buy seats', { kind: 'increase', subscriptionText: '' }],
  ['remove licenses', { kind: 'decrease', subscriptionText: '' }],
  ['buy more licenses', { kind: 'increase', subscriptionText: '' }],
  ['add seats to E3', { kind: 'increase', subscriptionText: 'e3' }],
  ['remove seats from business basic', { kind: 'decrease', subscriptionText: 'business basic' }],
  ['add 5', { kind: 'increase', seats: 5, subscriptionText: '' }],
  ['add 5 seats', { kind: 'increase', seats: 5, subscriptionText: '' }],
  ['+5', { kind: 'increase', seats: 5, subscriptionText: '' }],
  ['add 2 business', { kind: 'increase', seats: 2, subscriptionText: 'business' }],
  // Invalid numbers: the number is asked for again, with the reason
  ['add five seats to E3', { kind: 'increase', seatProblem: 'not_a_number', subscriptionText: 'e3' }],
  ['add 2.5 seats to E3', { kind: 'increase', seatProblem: 'not_whole', subscriptionText: 'e3' }],
  ['add 0 seats to E3', { kind: 'increase', seatProblem: 'zero', subscriptionText: 'e3' }],
  ['add 1e3 seats to E3', { kind: 'increase', seatProblem: 'exponent', subscriptionText: 'e3' }],
  ['add 5000 seats to E3', { kind: 'increase', seatProblem: 'above_maximum', subscriptionText: 'e3' }],
  ['add -3 seats to E3', { kind: 'increase', seatProblem: 'negative', subscriptionText: 'e3' }],
  [
    'remove a few seats from basic',
    { kind: 'decrease', seatProblem: 'not_a_number', subscriptionText: 'basic' },
  ],
  // Not a request to change seats
  ['licenses', undefined],
  ['orders', undefined],
  ['help', undefined],
  ['add', undefined],
  ['buy', undefined],
  ['hello there', undefined],
  ['add me to the team', undefined],
  ['remove yourself', undefined],
  ['', undefined],
];

describe('one-line requests to change seats', () => {
  it('the table has at least 40 phrasings', () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
  });

  it.each(table)('%j', (text, expected) => {
    const parsed = parseSeatShortcut(text, 300);
    const simplified = parsed && {
      kind: parsed.kind,
      ...(parsed.seats !== undefined ? { seats: parsed.seats } : {}),
      ...(parsed.seatProblem ? { seatProblem: parsed.seatProblem.problem } : {}),
      subscriptionText: parsed.subscriptionText,
    };
    expect(simplified).toEqual(expected);
  });
});

describe('one-line requests resolve to the subscription meant (the demo catalogue)', () => {
  const subs = [
    { id: 'bs', product: 'Microsoft 365 Business Standard', domain: 'contoso.com' },
    { id: 'e3', product: 'Office 365 E3', domain: 'contoso.com' },
    { id: 'bb', product: 'Microsoft 365 Business Basic', domain: 'contoso.eu' },
    { id: 'e5', product: 'Microsoft 365 E5', domain: 'contoso.eu' },
  ];
  it.each([
    ['add 5 seats to Business Standard', 'bs'],
    ['remove 3 Business Basic', 'bb'],
    ['+5 E3', 'e3'],
    ['buy 10 more E5 licenses', 'e5'],
    ['reduce Business Basic by 4', 'bb'],
    ['Please buy 10 more E5 licenses, thanks', 'e5'],
    ['purchase 2 seats of Microsoft 365 Business Standard', 'bs'],
    ['add 5 M365 Business Standard', 'bs'],
    ["I'd like to add 20 seats to the E3 subscription", 'e3'],
    ['add 2 business', ['bs', 'bb']],
  ])('%j -> %j', (text, expected) => {
    const parsed = parseSeatShortcut(text, 300);
    const match = matchSubscription(parsed?.subscriptionText ?? '', subs);
    expect(
      match.kind === 'one' ? match.item.id : match.kind === 'many' ? match.items.map((s) => s.id) : null,
    ).toEqual(expected);
  });
});
