/**
 * The Licenses tab's HTTP API, as both sides see it: bot/tab answers it, tab/src calls it.
 * Types only: nothing here exists at run time.
 */

/** Money in integer minor units (cents for USD) with its ISO 4217 currency, as the domain holds it. */
export interface MoneyView {
  readonly minor: number;
  readonly currency: string;
}

export type Plan = 'FLEXIBLE' | 'ANNUAL';

/** How the person was identified: single sign-on in Teams, or the local development identity. */
export type SignInMode = 'teams' | 'development';

export interface SubscriptionRow {
  readonly id: string;
  readonly product: string;
  readonly domain: string;
  readonly billingProfile: string;
  readonly plan: Plan;
  readonly active: boolean;
  readonly quantity: number;
  readonly inUse: number;
  readonly free: number;
  readonly pricePerSeat: MoneyView;
  readonly monthlyCost: MoneyView;
  /** Most seats one order may add (0: none, e.g. suspended). */
  readonly maxAdd: number;
  /** Most seats one order may remove, now or at renewal (0: none, e.g. every seat in use, or suspended). */
  readonly maxRemove: number;
  /** Why seats cannot be removed (or changed at all), in the words the bot uses; null when they can. */
  readonly restriction: string | null;
  /** What removing seats can be: "You can remove now (...), or remove at renewal on ... (...)."; null when it can't. */
  readonly removeOffers: string | null;
  /** "Annual term · renews April 1, 2027 · auto-renew on" */
  readonly renewal: string;
  /** "scheduled: 40 -> 35 at renewal on April 1, 2027"; null when nothing is scheduled. */
  readonly scheduled: string | null;
  /** Whether "Cancel scheduled change" is offered. */
  readonly canCancelScheduled: boolean;
}

/** GET /tab/api/subscriptions */
export interface SubscriptionsResponse {
  readonly user: { readonly name: string };
  readonly mode: SignInMode;
  readonly subscriptions: readonly SubscriptionRow[];
  /** Why the list is empty (no permission anywhere), in the bot's words. */
  readonly notice: string | null;
}

export type StatusStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface OrderView {
  readonly id: string;
  /** LD-1001 */
  readonly number: string;
  readonly title: string;
  readonly state: string;
  /** No further change will happen (completed, failed, rejected, cancelled, expired). */
  readonly final: boolean;
  readonly kind: 'increase' | 'decrease';
  /** When the change takes effect: now, at renewal, or the cancellation of a change scheduled for the renewal. */
  readonly timing: 'now' | 'at_renewal' | 'cancel_scheduled';
  readonly subscriptionId: string;
  readonly product: string;
  readonly domain: string;
  readonly billingProfile: string;
  readonly plan: Plan;
  readonly expectedQuantity: number;
  readonly targetQuantity: number;
  readonly pricePerSeat: MoneyView;
  readonly monthlyChange: MoneyView;
  readonly needsApprover: boolean;
  /** The order card's facts (seats, price, monthly cost), in the user's locale. */
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  /** What happens to the bill: "Your monthly payment increases by ..." or "The credit of ... next month's bill." */
  readonly billingNote: string;
  /** Where the order stands, in the words of the order card. */
  readonly status: { readonly text: string; readonly style: StatusStyle } | null;
  /** Messages about the order that could not be delivered in Teams, in one sentence; null when none. */
  readonly undelivered: string | null;
  readonly createdAt: string;
}

/** POST /tab/api/orders */
export interface OrderRequest {
  readonly subscriptionId: string;
  /** `cancel_scheduled`: cancel the reduction scheduled for the renewal (`seats` is not read). */
  readonly kind: 'increase' | 'decrease' | 'cancel_scheduled';
  readonly seats: number;
}

/** POST /tab/api/orders, GET /tab/api/orders/{id}, POST /tab/api/orders/{id}/approve|cancel */
export interface OrderResponse {
  readonly order: OrderView;
}

/** GET /tab/api/orders: the person's recent orders. */
export interface OrdersResponse {
  readonly orders: readonly OrderView[];
}

/** Every 4xx and 5xx: one sentence for the person, never a stack or a token detail. */
export interface ErrorResponse {
  readonly error: string;
  /** Set when Approve found the quantity changed: the fresh order to confirm instead. */
  readonly order?: OrderView;
}

/** Role ids the Access API takes (bot/domain/access.ts). */
export type RoleId = 'LicensesManager' | 'Approver' | 'AccessAdmin';

export interface PersonView {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/** GET /tab/api/access: for an Access Admin, the profiles they administer, who holds each role, the audit. */
export interface AccessResponse {
  readonly profiles: readonly {
    readonly id: string;
    readonly name: string;
    readonly domains: readonly string[];
    readonly approvalLimit: { readonly amount: string; readonly currency: string };
    /** Above it, two approvers; null: one at any amount. */
    readonly secondApprovalLimit: { readonly amount: string; readonly currency: string } | null;
    readonly roles: readonly {
      readonly role: RoleId;
      readonly title: string;
      readonly people: readonly PersonView[];
    }[];
  }[];
  readonly audit: readonly {
    readonly at: string;
    readonly action: string;
    readonly actor: string;
    readonly person: string | null;
    readonly role: string | null;
    readonly billingProfileId: string | null;
    readonly reason: string | null;
  }[];
}

/** POST /tab/api/access/grants and /revokes */
export interface AccessChange {
  readonly personId: string;
  readonly role: RoleId;
  readonly billingProfileId: string;
  readonly reason?: string;
}

/** POST /tab/api/access/profiles/{id} */
export interface ProfileEdit {
  readonly name: string;
  readonly domains: string;
  readonly approvalLimit: string;
  /** Empty: no second approver at any amount. */
  readonly secondApprovalLimit: string;
  readonly currency: string;
}

/** Every successful change on the Access page: one sentence. */
export interface MessageResponse {
  readonly message: string;
}

/** GET /tab/api/people?q= */
export interface PeopleResponse {
  readonly people: readonly PersonView[];
}

/** GET /tab/api/approvals: the orders waiting for the signed-in person's approval, oldest first. */
export interface ApprovalsResponse {
  readonly orders: OrderView[];
  /**
   * Per order id, the approvers this person may reassign it to (an Access Admin of an escalated order); an order
   * missing here cannot be reassigned by them.
   */
  readonly reassign: Readonly<Record<string, readonly { readonly id: string; readonly name: string }[]>>;
  readonly absence: AbsenceView;
}

/** The signed-in person's absence (README: Approvals): whether they approve anything, and who decides meanwhile. */
export interface AbsenceView {
  /** Whether they approve orders somewhere (only then can they be away). */
  readonly approves: boolean;
  /** In force: the last day away (YYYY-MM-DD, UTC) and the delegate's name. */
  readonly away: { readonly until: string; readonly delegate: string } | null;
  /** Who may be named: people holding a role on a billing profile they approve on. */
  readonly delegates: readonly { readonly id: string; readonly name: string }[];
}

/** POST /tab/api/away: the same as `away until <until>, delegate to <delegate>` in chat (a name, address or id). */
export interface AwayRequest {
  readonly until: string;
  readonly delegate: string;
}

/** POST /tab/api/away and /tab/api/away/end: what the bot says, and the absence as it is now. */
export interface AbsenceResponse {
  readonly message: string;
  readonly absence: AbsenceView;
}

/** POST /tab/api/approvals/reassign: an Access Admin sends an escalated order to another approver. */
export interface ReassignRequest {
  readonly orderId: string;
  readonly personId: string;
}

export interface ReassignResponse {
  readonly message: string;
  readonly order: OrderView;
}

/** POST /tab/api/approvals/approve: approve one or several orders (at most 20), each answered on its own. */
export interface BulkApproveRequest {
  readonly orderIds: string[];
}

/** POST /tab/api/approvals/reject: reject one order, with the reason the requester is told. */
export interface RejectRequest {
  readonly orderId: string;
  readonly reason: string;
}

export interface ApprovalResult {
  readonly orderId: string;
  /** The order as it is now, when it can be shown to this person. */
  readonly order: OrderView | null;
  /** Why this order was not approved (in the words the bot uses); null when it was. */
  readonly error: string | null;
}

export interface BulkApproveResponse {
  readonly results: ApprovalResult[];
}
