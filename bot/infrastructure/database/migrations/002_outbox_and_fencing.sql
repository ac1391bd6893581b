-- Fencing: every claim of a submission takes the next lease generation; a write about that submission names
-- the owner and the generation it claimed, so an instance that lost its lease (paused, partitioned) changes nothing.
ALTER TABLE orders ADD COLUMN lease_generation bigint NOT NULL DEFAULT 0;

-- Counts the order's transitions: a card rendered at version N is out of date once the order is past N.
ALTER TABLE orders ADD COLUMN version integer NOT NULL DEFAULT 1;

-- Everything the bot sends on its own (approval cards, card updates, outcome messages, channel fallbacks), written
-- in the statement that moves the order, delivered by a worker on every instance (README: Reliability).
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  order_id uuid REFERENCES orders (id),
  -- person: an Entra object id (their personal chat, opened if needed); conversation: a conversation reference
  -- key (the approvals channel); card_copies: an order id (every copy of its card); card_copy: a conversation
  -- id, with the copy's activity id in activity_id.
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('person', 'conversation', 'card_copies', 'card_copy')),
  recipient text NOT NULL,
  -- One row per dedupe key: one approval card per approver per order, one pending update per card copy.
  dedupe_key text NOT NULL UNIQUE,
  -- Codes and ids only: the words are made when the message is delivered, from the order as it is then.
  payload jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'superseded')),
  -- Bumped when a newer change re-arms the row (a card copy's next update): a delivery of an older
  -- generation does not mark it delivered.
  generation integer NOT NULL DEFAULT 1,
  attempts integer NOT NULL DEFAULT 0,
  -- Bumped by every claim: the fencing token of the worker holding the row.
  claim_token bigint NOT NULL DEFAULT 0,
  lease_owner text,
  lease_until timestamptz,
  due_at timestamptz NOT NULL,
  -- After this, a failed attempt marks the row undeliverable (state 'failed') instead of retrying.
  deliver_by timestamptz NOT NULL,
  -- The message this row sent (recorded right after sending, so a retry updates it instead of sending again)
  -- or, for a card copy, the message it updates.
  activity_id text,
  conversation_id text,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE state = 'pending';
CREATE INDEX outbox_by_order ON outbox (order_id, kind);
