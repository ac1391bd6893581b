import { matchSubscription } from '../../bot/domain/subscriptionMatch';

const subs = [
  { id: 'bs', product: 'Microsoft 365 Business Standard', domain: 'contoso.com' },
  { id: 'e3', product: 'Office 365 E3', domain: 'contoso.com' },
  { id: 'bb', product: 'Microsoft 365 Business Basic', domain: 'contoso.eu' },
  { id: 'e5', product: 'Microsoft 365 E5', domain: 'contoso.eu' },
];
const id = (text: string) => {
  const m = matchSubscription(text, subs);
  return m.kind === 'one' ? m.item.id : m.kind === 'many' ? m.items.map((i) => i.id) : null;
};

describe('finding the subscription someone means', () => {
  it.each([
    ['Microsoft 365 Business Standard', 'bs'],
    ['microsoft 365 business standard (contoso.com)', 'bs'],
    ['Business Standard', 'bs'],
    ['standard', 'bs'],
    ['stand', 'bs'],
    ['E3', 'e3'],
    ['e3', 'e3'],
    ['O365 E3', 'e3'],
    ['M365 E5', 'e5'],
    ['the Business Basic subscription', 'bb'],
    ['1', 'bs'],
    ['4', 'e5'],
    ['basic contoso.eu', 'bb'],
  ])('%j -> %j', (text, expected) => {
    expect(id(text)).toEqual(expected);
  });

  it.each([
    ['business', ['bs', 'bb']],
    ['microsoft 365', ['bs', 'bb', 'e5']],
    ['contoso.com', ['bs', 'e3']],
  ])('%j is ambiguous', (text, expected) => {
    expect(id(text)).toEqual(expected);
  });

  it.each(['Visio', '5', '0', '', 'licenses', 'E7', 'st'])('%j matches nothing', (text) => {
    expect(id(text)).toBeNull();
  });
});
