// Data for `npm run bench`, written and checked through the product's own database layer (dist/), in a
// process of its own while no bot holds the embedded database (PGlite allows one process per data directory).
//
//   node test/bench/prepare.js '<json>'   with { action, dataDir | databaseUrl, ... }; prints one JSON line.
//
// Actions: `subscriptions` (extra sandbox subscriptions for the approval storm), `orders` (N stored orders
// with their audit trail, card copies and provider requests, in a few set-based INSERTs), `verify` (per order:
// state, provider submissions, audit entries), `counts`.
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist', 'bot');
const { PgliteDatabase } = require(join(dist, 'infrastructure/database/pgliteDatabase'));
const { PostgresDatabase } = require(join(dist, 'infrastructure/database/postgresDatabase'));
const { migrate } = require(join(dist, 'infrastructure/database/migrate'));
const { SandboxLicenseProvider } = require(join(dist, 'infrastructure/providers/sandboxLicenseProvider'));
const { DEMO_CATALOGUE } = require(join(dist, 'infrastructure/providers/demoCatalogue'));
const { systemClock } = require(join(dist, 'infrastructure/clock'));

const ALEX = '00000000-0000-0000-0000-0000000000020';
const ADELE = '00000000-0000-0000-0000-0000000000022';
const MEGAN = '00000000-0000-0000-0000-0000000000021';
const STANDARD = 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0001';
const BASIC = 'b6e1d0a2-0b6f-4c1e-9a57-2f1a5b0c0003';

/** Sandbox subscriptions named `Bench Storm 01`..: annual, 23.00 a seat, so 30 seats need an approver. */
async function subscriptions(db, { count }) {
  const names = [];
  for (let i = 1; i <= count; i += 1) {
    const n = String(i).padStart(2, '0');
    names.push(`Bench Storm ${n}`);
    await db.query(
      `INSERT INTO sandbox_subscriptions (id, product, domain, plan, quantity, in_use, price_minor, currency,
         renewal_date, updated_at)
       VALUES ($1, $2, 'contoso.com', 'ANNUAL', 100, 90, 2300, 'USD', '2099-01-01', now())
       ON CONFLICT (id) DO NOTHING`,
      [`bench-storm-${n}`, `Bench Storm ${n}`],
    );
  }
  return { names };
}

/**
 * `count` orders as a year of use leaves them: 90 % Alex's (Business Standard, Contoso HQ), 10 % Adele's
 * (Business Basic, Contoso EMEA); mostly completed, some rejected, cancelled or expired; each with its audit
 * trail, the requester's card copy and, when completed, the provider request.
 */
async function orders(db, { count }) {
  const started = Date.now();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO orders (id, idempotency_key, subscription_id, product, domain, plan, billing_profile_id,
         billing_profile_name, requester_id, requester_name, tenant_id, kind, expected_quantity, target_quantity,
         price_minor, currency, needs_approver, state, decided_by_id, decided_by_name, decided_at, outcome, note,
         created_at, updated_at, expires_at, submit_attempts)
       SELECT gen_random_uuid(), gen_random_uuid(),
         CASE WHEN adele THEN $2 ELSE $3 END,
         CASE WHEN adele THEN 'Microsoft 365 Business Basic' ELSE 'Microsoft 365 Business Standard' END,
         CASE WHEN adele THEN 'contoso.eu' ELSE 'contoso.com' END,
         'FLEXIBLE',
         CASE WHEN adele THEN 'contoso-emea' ELSE 'contoso-hq' END,
         CASE WHEN adele THEN 'Contoso EMEA' ELSE 'Contoso HQ' END,
         CASE WHEN adele THEN $4 ELSE $5 END,
         CASE WHEN adele THEN 'Adele Vance' ELSE 'Alex Wilber' END,
         '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'increase', 20 + i % 50, 21 + i % 50 + i % 5,
         CASE WHEN adele THEN 600 ELSE 1250 END, 'USD', false,
         state,
         CASE WHEN state = 'rejected' THEN $6 WHEN state IN ('completed', 'cancelled') THEN
           CASE WHEN adele THEN $4 ELSE $5 END END,
         CASE WHEN state = 'rejected' THEN 'Megan Bowen' WHEN state IN ('completed', 'cancelled') THEN
           CASE WHEN adele THEN 'Adele Vance' ELSE 'Alex Wilber' END END,
         CASE WHEN state IN ('completed', 'rejected', 'cancelled') THEN created + interval '1 minute' END,
         CASE state WHEN 'rejected' THEN 'rejected_by_approver' WHEN 'cancelled' THEN 'cancelled_by_requester'
           WHEN 'expired' THEN 'approval_timed_out' END,
         CASE WHEN state = 'rejected' THEN 'Reuse the seats of people who left first' END,
         created, created + interval '3 minutes', created + interval '7 days',
         CASE WHEN state = 'completed' THEN 1 ELSE 0 END
       FROM (
         SELECT i, i % 10 = 0 AS adele,
           CASE i % 20 WHEN 3 THEN 'rejected' WHEN 7 THEN 'cancelled' WHEN 11 THEN 'expired' ELSE 'completed' END
             AS state,
           now() - interval '50 minutes' * i - interval '8 days' AS created
         FROM generate_series(1, $1::int) AS i
       ) AS g`,
      [count, BASIC, STANDARD, ADELE, ALEX, MEGAN],
    );
    await tx.query(
      `INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
       SELECT o.id, e.actor_id, e.actor_name, e.action, e.from_state, e.to_state, o.created_at + e.after, e.detail
       FROM orders o
       CROSS JOIN LATERAL (VALUES
         (o.requester_id, o.requester_name, 'requested', NULL, 'draft', interval '0',
          jsonb_build_object('kind', 'increase', 'seats', o.target_quantity - o.expected_quantity), true),
         (o.decided_by_id, o.decided_by_name, CASE o.state WHEN 'completed' THEN 'approved' ELSE o.state END,
          'draft', CASE o.state WHEN 'completed' THEN 'approved' ELSE o.state END, interval '1 minute',
          '{}'::jsonb, true),
         (NULL, NULL, 'submission_started', 'approved', 'submitting', interval '1 minute 1 second',
          jsonb_build_object('attempt', 1, 'instance', 'bench'), o.state = 'completed'),
         (NULL, NULL, 'submitted', 'submitting', 'completed', interval '1 minute 2 seconds',
          jsonb_build_object('quantity', o.target_quantity), o.state = 'completed')
       ) AS e (actor_id, actor_name, action, from_state, to_state, after, detail, wanted)
       WHERE e.wanted`,
    );
    await tx.query(
      `INSERT INTO order_cards (order_id, conversation_id, activity_id, audience, reference, created_at)
       SELECT o.id, 'a:personal-29:demo-user-0', 'bench-card-' || o.number, 'requester',
         jsonb_build_object('activityId', 'bench-card-' || o.number, 'channelId', 'msteams',
           'serviceUrl', 'https://smba.trafficmanager.net/emea/',
           'user', jsonb_build_object('id', '29:demo-user-0', 'name', o.requester_name, 'aadObjectId', o.requester_id),
           'bot', jsonb_build_object('id', '28:license-desk-bot', 'name', 'License Desk'),
           'conversation', jsonb_build_object('id', 'a:personal-29:demo-user-0', 'conversationType', 'personal',
             'tenantId', o.tenant_id, 'isGroup', false, 'name', ''),
           'locale', 'en-US'),
         o.created_at
       FROM orders o`,
    );
    await tx.query(
      `INSERT INTO sandbox_requests (request_id, subscription_id, quantity_before, quantity_after, at)
       SELECT o.idempotency_key::text, o.subscription_id, o.expected_quantity, o.target_quantity,
         o.created_at + interval '1 minute 2 seconds'
       FROM orders o WHERE o.state = 'completed'
       ON CONFLICT (request_id) DO NOTHING`,
    );
  });
  return { inserted: count, ms: Date.now() - started, ...(await counts(db)) };
}

/** For each order: its state, how many provider requests carry its idempotency key, its audit entries. */
async function verify(db, { orderIds }) {
  const { rows } = await db.query(
    `SELECT o.id, o.number, o.state, o.subscription_id,
       (SELECT count(*)::int FROM sandbox_requests r WHERE r.request_id = o.idempotency_key::text) AS submissions,
       (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id AND e.action = 'submission_started')
         AS started,
       (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id AND e.action = 'approved') AS approvals
     FROM orders o WHERE o.id = ANY($1::uuid[])`,
    [orderIds],
  );
  return { orders: rows };
}

async function counts(db) {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_events) AS events,
       (SELECT count(*)::int FROM order_cards) AS cards, (SELECT count(*)::int FROM sandbox_requests) AS requests,
       (SELECT count(*)::int FROM bot_state) AS "botState",
       (SELECT jsonb_object_agg(state, n) FROM (SELECT state, count(*)::int AS n FROM orders GROUP BY state) s)
         AS "ordersByState"`,
  );
  return rows[0];
}

const ACTIONS = { subscriptions, orders, verify, counts };

async function main() {
  const params = JSON.parse(process.argv[2]);
  const db = params.databaseUrl
    ? await PostgresDatabase.open(params.databaseUrl)
    : await PgliteDatabase.open(params.dataDir);
  try {
    await migrate(db);
    await new SandboxLicenseProvider(db, systemClock).seed(DEMO_CATALOGUE);
    const result = await ACTIONS[params.action](db, params);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  process.stderr.write(`prepare: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
