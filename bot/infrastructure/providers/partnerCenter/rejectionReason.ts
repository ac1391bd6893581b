import { errorDetails } from './errorDetails';

/**
 * Partner Center's documented business-failure codes, in words the person who ordered can act on.
 * Codes and meanings: Partner Center REST "error codes" and "change the quantity of a subscription".
 */
const REASON_BY_CODE: Readonly<Record<string, string>> = {
  '800090':
    'Microsoft does not allow removing seats from this subscription now: seats can only be removed within ' +
    '7 days of buying them or at the subscription’s renewal.',
  '2001':
    'The subscription is suspended, so its seats cannot be changed. Ask your Microsoft 365 administrator ' +
    'to reactivate it, then order again.',
  '2002':
    'Microsoft does not allow that number of seats on this subscription: it is outside the minimum and ' +
    'maximum for the offer. Choose a different number of seats.',
  '2006':
    'Microsoft does not allow seat changes on this offer through the License Desk. Ask your Microsoft ' +
    'partner to make the change.',
  '2011': 'The subscription has been cancelled, so its seats can no longer be changed.',
  '20002':
    'Your Microsoft partner can no longer manage this organisation’s subscriptions. Ask your administrator ' +
    'to check the partner relationship.',
  '20003': 'The subscription no longer exists at Microsoft. Refresh the list of subscriptions and try again.',
  '2055':
    'The subscription changed at Microsoft while your order was being placed. Check the current number of ' +
    'seats and order again.',
};

const REASON_BY_STATUS: Readonly<Record<number, string>> = {
  401:
    'The License Desk could not sign in to Microsoft Partner Center. Ask your administrator to check the ' +
    'License Desk’s Partner Center app registration.',
  403:
    'The License Desk is not allowed to change this subscription in Microsoft Partner Center. Ask your ' +
    'administrator to check its Partner Center access.',
  404: REASON_BY_CODE['20003'],
  412: REASON_BY_CODE['2055'],
};

/**
 * Why Microsoft refused a quantity change (a 4xx other than 408 and 429), written for the person who
 * ordered. Unknown codes get a general sentence carrying Microsoft's own description (at most 200
 * characters, credentials removed) so support can still look it up.
 */
export function rejectionReason(status: number, body: unknown): string {
  const { code, description } = errorDetails(body);
  const known = (code !== undefined ? REASON_BY_CODE[code] : undefined) ?? REASON_BY_STATUS[status];
  if (known) return known;
  const reference = code !== undefined ? `error ${code}` : `HTTP ${status}`;
  return description
    ? `Microsoft refused the change (${reference}): ${description}`
    : `Microsoft refused the change (${reference}). Ask your Microsoft partner for help if this happens again.`;
}
