-- Approvals that never get stuck (README: Approvals). When the order started waiting for an approver, the last
-- step of its reminder ladder (0 none, 1 reminded, 2 escalated to the Access Admins, 3 the last call before expiry)
-- and when it was taken: the step is written in the same statement as the messages it queues, so each step
-- happens once whatever instance or restart.
ALTER TABLE orders ADD COLUMN approval_requested_at timestamptz;
ALTER TABLE orders ADD COLUMN approval_step smallint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN approval_step_at timestamptz;

-- How many different approvers the order needs (2 above the profile's second approval limit), fixed when it
-- starts waiting, and the approvals given so far ([{"id", "name", "at", "onBehalfOf"}]).
ALTER TABLE orders ADD COLUMN approvals_required smallint NOT NULL DEFAULT 1;
ALTER TABLE orders ADD COLUMN approvals jsonb NOT NULL DEFAULT '[]';

CREATE INDEX orders_waiting_for_approval ON orders (approval_requested_at) WHERE state = 'pending_approval';

-- Above this monthly change, two different approvers must approve (null: one is enough).
ALTER TABLE billing_profiles ADD COLUMN second_approval_limit_minor bigint CHECK (second_approval_limit_minor >= 0);

-- An approver away: until the end of `until` (a date), new approval cards for their profiles go to the delegate.
CREATE TABLE approval_delegations (
  person_id text PRIMARY KEY,
  person_name text NOT NULL,
  delegate_id text NOT NULL,
  delegate_name text NOT NULL,
  until date NOT NULL,
  created_at timestamptz NOT NULL
);
