import type { Plan } from '../../domain/subscription';

export interface CatalogueEntry {
  readonly id: string;
  readonly product: string;
  readonly domain: string;
  readonly plan: Plan;
  readonly quantity: number;
  readonly inUse: number;
  /** Price per seat per month as a decimal string in `currency`. */
  readonly price: string;
  readonly currency: string;
  /** Months from the seeding day to the next renewal. */
  readonly renewsInMonths: number;
  /** Default true. */
  readonly autoRenew?: boolean;
}

/** The embedded demo (README: The embedded demo): what `npm start` serves with no configuration. */
export const DEMO_CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0001',
    product: 'Microsoft 365 Business Standard',
    domain: 'contoso.com',
    plan: 'FLEXIBLE',
    quantity: 25,
    inUse: 21,
    price: '12.50',
    currency: 'USD',
    renewsInMonths: 1,
  },
  {
    id: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0002',
    product: 'Office 365 E3',
    domain: 'contoso.com',
    plan: 'ANNUAL',
    quantity: 120,
    inUse: 118,
    price: '23.00',
    currency: 'USD',
    renewsInMonths: 5,
  },
  {
    id: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0003',
    product: 'Microsoft 365 Business Basic',
    domain: 'contoso.eu',
    plan: 'FLEXIBLE',
    quantity: 40,
    inUse: 12,
    price: '6.00',
    currency: 'USD',
    renewsInMonths: 1,
  },
  {
    id: 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0004',
    product: 'Microsoft 365 E5',
    domain: 'contoso.eu',
    plan: 'ANNUAL',
    quantity: 10,
    inUse: 10,
    price: '57.00',
    currency: 'USD',
    renewsInMonths: 8,
  },
];
