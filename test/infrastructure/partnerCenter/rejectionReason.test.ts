import { rejectionReason } from '../../../bot/infrastructure/providers/partnerCenter/rejectionReason';

const body = (code: number | string, description = 'whatever Microsoft said') => ({
  code,
  description,
  data: [],
  source: 'PartnerFD',
});

describe('rejectionReason: what the person who ordered reads when Microsoft refuses', () => {
  it.each([
    [
      400,
      800090,
      /not allow removing seats .* within 7 days of buying them or at the subscription’s renewal/,
    ],
    [400, 2001, /suspended, so its seats cannot be changed/],
    [400, 2002, /outside the minimum and maximum/],
    [400, 2006, /does not allow seat changes on this offer/],
    [400, 2011, /has been cancelled/],
    [404, 20003, /no longer exists at Microsoft/],
    [400, 2055, /changed at Microsoft while your order was being placed/],
    [403, 20002, /partner can no longer manage/],
  ])('HTTP %i, code %i', (status, code, expected) => {
    const reason = rejectionReason(status, body(code));
    expect(reason).toMatch(expected);
    expect(reason).not.toContain('whatever Microsoft said');
  });

  it('reads the code whether Microsoft sends it as a number or a string', () => {
    expect(rejectionReason(400, body('800090'))).toBe(rejectionReason(400, body(800090)));
  });

  it('an unknown code carries Microsoft’s description, cut to 200 characters', () => {
    const long = `Quantity update blocked by policy. ${'More detail. '.repeat(40)}`;

    const reason = rejectionReason(400, body(4711, long));

    const prefix = 'Microsoft refused the change (error 4711): ';
    expect(reason.startsWith(`${prefix}Quantity update blocked by policy.`)).toBe(true);
    expect(reason.length).toBe(prefix.length + 200);
    expect(reason.endsWith('…')).toBe(true);
  });

  it('removes anything that looks like a credential from the description', () => {
    const reason = rejectionReason(
      400,
      body(
        4711,
        'Denied for Authorization: Bearer abc.def.ghi with eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl and client_secret=hunter2',
      ),
    );

    expect(reason).not.toMatch(/abc\.def\.ghi|eyJ|hunter2/);
    expect(reason).toContain('[redacted]');
  });

  it('without a body: by HTTP status, or a general sentence', () => {
    expect(rejectionReason(401, undefined)).toMatch(/could not sign in to Microsoft Partner Center/);
    expect(rejectionReason(403, '')).toMatch(/not allowed to change this subscription/);
    expect(rejectionReason(412, undefined)).toMatch(/changed at Microsoft/);
    expect(rejectionReason(400, undefined)).toBe(
      'Microsoft refused the change (HTTP 400). Ask your Microsoft partner for help if this happens again.',
    );
  });
});
