-- Orders: the heart of the product. Every change of state is one conditional UPDATE ... WHERE state = $from.
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  number bigint GENERATED ALWAYS AS IDENTITY (START WITH 1001) UNIQUE,
  idempotency_key uuid NOT NULL UNIQUE,
  subscription_id text NOT NULL,
  product text NOT NULL,
  domain text NOT NULL,
  plan text NOT NULL CHECK (plan IN ('FLEXIBLE', 'ANNUAL')),
  billing_profile_id text NOT NULL,
  billing_profile_name text NOT NULL,
  requester_id text NOT NULL,
  requester_name text NOT NULL,
  tenant_id text,
  kind text NOT NULL CHECK (kind IN ('increase', 'decrease')),
  expected_quantity integer NOT NULL CHECK (expected_quantity >= 0),
  target_quantity integer NOT NULL CHECK (target_quantity >= 0),
  price_minor bigint NOT NULL,
  currency char(3) NOT NULL,
  needs_approver boolean NOT NULL,
  state text NOT NULL CHECK (state IN ('draft', 'pending_approval', 'approved', 'submitting', 'completed',
                                       'failed', 'rejected', 'cancelled', 'expired')),
  decided_by_id text,
  decided_by_name text,
  decided_at timestamptz,
  outcome text,
  note text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  submit_attempts integer NOT NULL DEFAULT 0,
  CHECK ((kind = 'increase' AND target_quantity > expected_quantity)
      OR (kind = 'decrease' AND target_quantity < expected_quantity))
);
CREATE INDEX orders_by_requester ON orders (requester_id, created_at DESC);
CREATE INDEX orders_open ON orders (state, expires_at)
  WHERE state IN ('draft', 'pending_approval', 'approved', 'submitting');

-- The audit log: who did what, when, from which state to which.
CREATE TABLE order_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id),
  actor_id text,
  actor_name text,
  action text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  at timestamptz NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX order_events_by_order ON order_events (order_id, id);

-- Every copy of an order's card (requester's and approvers' personal chats, group chats and channels),
-- so a decision updates them all.
CREATE TABLE order_cards (
  order_id uuid NOT NULL REFERENCES orders (id),
  conversation_id text NOT NULL,
  activity_id text NOT NULL,
  audience text NOT NULL CHECK (audience IN ('requester', 'approver', 'shared')),
  reference jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (order_id, conversation_id, activity_id)
);

-- Where the bot can reach people without being messaged first: a user's personal chat ("user:<aadObjectId>"),
-- a channel ("channel:<id>"), or what is known of a Teams member to open a personal chat ("member:<aadObjectId>").
CREATE TABLE conversation_references (
  key text PRIMARY KEY,
  reference jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

-- botbuilder Storage (conversation and dialog state), with eTags for optimistic concurrency.
CREATE TABLE bot_state (
  key text PRIMARY KEY,
  etag text NOT NULL,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

-- The sandbox license provider's subscriptions and the change requests it has applied (by idempotency key).
CREATE TABLE sandbox_subscriptions (
  id text PRIMARY KEY,
  product text NOT NULL,
  domain text NOT NULL,
  plan text NOT NULL CHECK (plan IN ('FLEXIBLE', 'ANNUAL')),
  quantity integer NOT NULL CHECK (quantity >= 0),
  in_use integer NOT NULL CHECK (in_use >= 0),
  price_minor bigint NOT NULL,
  currency char(3) NOT NULL,
  renewal_date text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  updated_at timestamptz NOT NULL
);

CREATE TABLE sandbox_requests (
  request_id text PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES sandbox_subscriptions (id),
  quantity_before integer NOT NULL,
  quantity_after integer NOT NULL,
  at timestamptz NOT NULL
);
