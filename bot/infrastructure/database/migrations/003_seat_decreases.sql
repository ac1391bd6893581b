-- When an order's change takes effect (README: Removing seats): now, at the renewal (a reduction scheduled for the
-- next term: target_quantity is the quantity the subscription renews with), or the cancellation of a scheduled
-- reduction (expected_quantity: the scheduled quantity; target_quantity: the current one, renewed as it is).
ALTER TABLE orders ADD COLUMN timing text NOT NULL DEFAULT 'now'
  CHECK (timing IN ('now', 'at_renewal', 'cancel_scheduled'));
-- The quantity already scheduled for the renewal when the order was made (null: none): a change at renewal
-- replaces it, a change now makes Microsoft delete it and the bot restores it afterwards.
ALTER TABLE orders ADD COLUMN scheduled_before integer CHECK (scheduled_before >= 0);
-- The renewal date a change at renewal takes effect on (YYYY-MM-DD), as shown on the card.
ALTER TABLE orders ADD COLUMN renewal_date text;
-- The idempotency key of the follow-up that restores a scheduled reduction after a change now deleted it.
ALTER TABLE orders ADD COLUMN restore_key uuid UNIQUE;

-- The sandbox's renewal facts and Microsoft's cancellation window (modelled for ANNUAL subscriptions; FLEXIBLE
-- ones keep a reseller console's rule: seats come off at once, credited on next month's bill).
ALTER TABLE sandbox_subscriptions ADD COLUMN auto_renew boolean NOT NULL DEFAULT true;
ALTER TABLE sandbox_subscriptions ADD COLUMN trial boolean NOT NULL DEFAULT false;
ALTER TABLE sandbox_subscriptions ADD COLUMN scheduled_quantity integer CHECK (scheduled_quantity >= 0);
ALTER TABLE sandbox_subscriptions ADD COLUMN purchased_at timestamptz;
-- Seats bought, added or renewed, each batch removable until its window closes.
CREATE TABLE sandbox_seat_windows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES sandbox_subscriptions (id),
  quantity integer NOT NULL CHECK (quantity >= 0),
  until timestamptz NOT NULL
);
CREATE INDEX sandbox_seat_windows_by_subscription ON sandbox_seat_windows (subscription_id);
-- A request either sets the quantity now or schedules the quantity at renewal (quantity_after; for a
-- cleared schedule, the current quantity).
ALTER TABLE sandbox_requests ADD COLUMN timing text NOT NULL DEFAULT 'now'
  CHECK (timing IN ('now', 'at_renewal'));
