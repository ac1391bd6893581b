import {
  awayRefusal,
  parseAwayCommand,
  routeApprovalCards,
  type Delegation,
} from '../../bot/domain/delegation';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import { ADELE, ALEX, ISAIAH, MEGAN } from '../support/demoUsers';
import { DEMO_ACCESS_FILE } from '../support/services';

const directory = JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE);
const users = directory.users();
const TODAY = '2026-11-26';
const away = (actorId: string, until: string, delegate: string) =>
  awayRefusal(directory.user(actorId), actorId, { until, delegate }, users, TODAY);

describe('delegates: the rules', () => {
  it.each([
    [
      'away until 2026-12-24, delegate to Adele Vance',
      { kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' },
    ],
    [
      'Away until 2026-12-24 delegate Adele Vance.',
      { kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' },
    ],
    ['away', { kind: 'away', until: '', delegate: '' }],
    ['away until christmas', { kind: 'away', until: 'christmas', delegate: '' }],
    ['back', { kind: 'back' }],
    ["I'm back", { kind: 'back' }],
    ['buy licenses', undefined],
  ])('reads "%s"', (text, expected) => {
    expect(parseAwayCommand(text)).toEqual(expected);
  });

  it('Megan may delegate to Adele Vance (a Licenses Manager of Contoso EMEA)', () => {
    expect(away(MEGAN.aadObjectId, '2026-12-24', 'Adele Vance')).toEqual({
      delegation: {
        person: { id: MEGAN.aadObjectId, name: 'Megan Bowen' },
        delegate: { id: ADELE.aadObjectId, name: 'Adele Vance' },
        until: '2026-12-24',
      },
    });
    expect(away(MEGAN.aadObjectId, TODAY, 'adelev@contoso.com')).toHaveProperty('delegation');
  });

  it.each([
    [
      'someone who approves nothing',
      ALEX.aadObjectId,
      '2026-12-24',
      'Adele Vance',
      { code: 'away_approves_nothing' },
    ],
    [
      'a malformed date',
      MEGAN.aadObjectId,
      '24/12/2026',
      'Adele Vance',
      { code: 'away_date_invalid', problem: 'malformed' },
    ],
    [
      'a date that does not exist',
      MEGAN.aadObjectId,
      '2026-02-30',
      'Adele Vance',
      { code: 'away_date_invalid', problem: 'malformed' },
    ],
    ['no date', MEGAN.aadObjectId, '', 'Adele Vance', { code: 'away_date_invalid', problem: 'malformed' }],
    [
      'a date in the past',
      MEGAN.aadObjectId,
      '2026-11-25',
      'Adele Vance',
      { code: 'away_date_invalid', problem: 'past' },
    ],
    [
      'more than a year out',
      MEGAN.aadObjectId,
      '2027-11-28',
      'Adele Vance',
      { code: 'away_date_invalid', problem: 'too_far' },
    ],
    [
      'an unknown delegate',
      MEGAN.aadObjectId,
      '2026-12-24',
      'Nobody Known',
      { code: 'delegate_unknown', value: 'Nobody Known' },
    ],
    ['no delegate', MEGAN.aadObjectId, '2026-12-24', '', { code: 'delegate_unknown', value: '' }],
    ['oneself', MEGAN.aadObjectId, '2026-12-24', 'Megan Bowen', { code: 'delegate_self' }],
    [
      'someone with no role on her profiles',
      MEGAN.aadObjectId,
      '2026-12-24',
      'Patti Fernandez',
      { code: 'delegate_not_eligible', name: 'Patti Fernandez' },
    ],
    [
      'a delegate outside the profile (Isaiah approves Contoso HQ; Adele holds nothing there)',
      ISAIAH.aadObjectId,
      '2026-12-24',
      'Adele Vance',
      { code: 'delegate_not_eligible', name: 'Adele Vance' },
    ],
  ])('refuses %s', (_, actor, until, delegate, refusal) => {
    expect(away(actor, until, delegate)).toEqual({ refusal: expect.objectContaining(refusal) });
  });

  describe('routing new approval cards', () => {
    const megan = { id: MEGAN.aadObjectId, name: MEGAN.name };
    const isaiah = { id: ISAIAH.aadObjectId, name: ISAIAH.name };
    const toAdele: Delegation = {
      person: megan,
      delegate: { id: ADELE.aadObjectId, name: ADELE.name },
      until: '2026-12-24',
    };
    const order = (billingProfileId: string, requesterId = ALEX.aadObjectId) => ({
      billingProfileId,
      requester: { id: requesterId, name: '' },
    });

    it('an order on Contoso EMEA during Megan’s absence goes to Adele, on Megan’s behalf', () => {
      expect(routeApprovalCards([megan], order('contoso-emea'), [toAdele], users, TODAY)).toEqual([
        { id: ADELE.aadObjectId, name: 'Adele Vance', onBehalfOf: megan },
      ]);
    });

    it('stays with Megan where Adele holds no role, for an order Adele requested, and after the last day', () => {
      expect(routeApprovalCards([megan, isaiah], order('contoso-hq'), [toAdele], users, TODAY)).toEqual([
        megan,
        isaiah,
      ]);
      expect(
        routeApprovalCards([megan], order('contoso-emea', ADELE.aadObjectId), [toAdele], users, TODAY),
      ).toEqual([megan]);
      expect(routeApprovalCards([megan], order('contoso-emea'), [toAdele], users, '2026-12-24')).toHaveLength(
        1,
      );
      expect(routeApprovalCards([megan], order('contoso-emea'), [toAdele], users, '2026-12-25')).toEqual([
        megan,
      ]);
    });
  });
});
