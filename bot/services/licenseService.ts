import { licensesManagerRefusal, type BillingProfile, type Contact } from '../domain/access';
import { ok, refuse, type Result } from '../domain/refusal';
import type { Subscription } from '../domain/subscription';
import type { AccessDirectory, Clock, LicenseProvider } from './ports';

/** A subscription together with the billing profile under which its domain is managed. */
export interface ManagedSubscription {
  readonly subscription: Subscription;
  readonly billingProfile: BillingProfile;
}

/** Use cases about subscriptions: which ones a user may manage, and why not. */
export class LicenseService {
  constructor(
    private readonly provider: LicenseProvider,
    private readonly directory: AccessDirectory,
    private readonly clock: Clock,
  ) {}

  /** The time the rules are read at (cancellation windows close, renewal dates pass). */
  now(): Date {
    return this.clock.now();
  }

  /** Every subscription the user may buy or remove seats for (both rules of licensesManagerRefusal in bot/domain/access.ts hold). */
  async listManageable(userId: string): Promise<Result<ManagedSubscription[]>> {
    const user = this.directory.user(userId);
    const all = await this.listWithProfiles();
    const manageable = all.filter((s) => licensesManagerRefusal(user, s.billingProfile) === undefined);
    if (manageable.length === 0) return refuse({ code: 'nothing_to_manage', grantors: this.allGrantors() });
    return ok(manageable);
  }

  /** One subscription, if the user may manage it; otherwise exactly why not. */
  async subscriptionFor(userId: string, subscriptionId: string): Promise<Result<ManagedSubscription>> {
    const subscription = await this.provider.getSubscription(subscriptionId);
    if (!subscription) return refuse({ code: 'subscription_not_found' });
    const billingProfile = this.directory.billingProfileForDomain(subscription.domain);
    if (!billingProfile) return refuse({ code: 'subscription_unmanaged', domain: subscription.domain });
    const refusal = licensesManagerRefusal(this.directory.user(userId), billingProfile);
    return refusal ? refuse(refusal) : ok({ subscription, billingProfile });
  }

  /** A subscription under a known billing profile, whoever asks: what a license request may ask seats of. */
  async subscriptionToAskFor(subscriptionId: string): Promise<Result<ManagedSubscription>> {
    const subscription = await this.provider.getSubscription(subscriptionId);
    if (!subscription) return refuse({ code: 'subscription_not_found' });
    const billingProfile = this.directory.billingProfileForDomain(subscription.domain);
    if (!billingProfile) return refuse({ code: 'subscription_unmanaged', domain: subscription.domain });
    return ok({ subscription, billingProfile });
  }

  /** All subscriptions under a known billing profile, whoever asks: used to explain a refusal by name. */
  async listWithProfiles(): Promise<ManagedSubscription[]> {
    const subscriptions = await this.provider.listSubscriptions();
    const result: ManagedSubscription[] = [];
    for (const subscription of subscriptions) {
      const billingProfile = this.directory.billingProfileForDomain(subscription.domain);
      if (billingProfile) result.push({ subscription, billingProfile });
    }
    return result;
  }

  private allGrantors(): Contact[] {
    const byName = new Map<string, Contact>();
    for (const profile of this.directory.billingProfiles()) {
      for (const contact of profile.accessAdministrators)
        byName.set(`${contact.name}|${contact.email ?? ''}`, contact);
    }
    return [...byName.values()];
  }
}
