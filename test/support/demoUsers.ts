/** The demo users of the README's embedded demo, as Teams would present them (Teams user id, Entra object id, name). */
export interface TeamsUser {
  readonly teamsId: string;
  readonly aadObjectId: string;
  readonly name: string;
}

/** A valid tenant id (the Playground's own mock tenant id is one digit too long to be a GUID). */
export const TENANT_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const BOT = { id: '28:license-desk-bot', name: 'License Desk' } as const;

const user = (n: number, name: string): TeamsUser => ({
  teamsId: `29:demo-user-${n}`,
  aadObjectId: `00000000-0000-0000-0000-00000000000${20 + n}`,
  name,
});

export const ALEX = user(0, 'Alex Wilber');
export const MEGAN = user(1, 'Megan Bowen');
export const ADELE = user(2, 'Adele Vance');
export const ISAIAH = user(3, 'Isaiah Langer');
export const PATTI = user(4, 'Patti Fernandez');
export const LYNNE = user(5, 'Lynne Robbins');

export const ALL_USERS = [ALEX, MEGAN, ADELE, ISAIAH, PATTI, LYNNE];

/** The demo catalogue's subscription ids. */
export const SUBSCRIPTIONS = {
  businessStandard: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0001',
  e3: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0002',
  businessBasic: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0003',
  e5: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0004',
} as const;

/**
 * The renewal date the sandbox seeds for a demo subscription renewing in `months` (the first of that month, from
 * the day the test runs), as the bot writes it in en-US: "April 1, 2027" for E3 seeded in November 2026.
 */
export function demoRenewal(months: number, from = new Date()): string {
  const date = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
