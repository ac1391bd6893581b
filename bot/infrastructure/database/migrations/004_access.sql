-- Access in the database (README: Access): billing profiles, the people known by Entra object id, their roles per
-- billing profile, and one audit row per grant, revoke or profile edit. ACCESS_FILE is imported once, on first start.
CREATE TABLE billing_profiles (
  id text PRIMARY KEY,
  -- The order profiles and people are listed in (the access file's, then the order of their first grant).
  position bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  -- Lower-case domain names; a domain belongs to one profile only (checked in bot/domain/accessRules.ts under the
  -- access lock).
  domains jsonb NOT NULL,
  approval_limit_minor bigint NOT NULL CHECK (approval_limit_minor >= 0),
  currency text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE access_people (
  id text PRIMARY KEY,
  position bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  email text,
  updated_at timestamptz NOT NULL
);

CREATE TABLE role_grants (
  billing_profile_id text NOT NULL REFERENCES billing_profiles (id),
  person_id text NOT NULL REFERENCES access_people (id),
  role text NOT NULL CHECK (role IN ('LicensesManager', 'Approver', 'AccessAdmin')),
  granted_at timestamptz NOT NULL,
  PRIMARY KEY (billing_profile_id, person_id, role)
);

CREATE TABLE access_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  action text NOT NULL CHECK (action IN ('grant', 'revoke', 'profile', 'import', 'bootstrap')),
  -- null when the system acted (the import, ACCESS_ADMIN_IDS).
  actor_id text,
  actor_name text,
  person_id text,
  person_name text,
  role text,
  billing_profile_id text,
  reason text,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX access_audit_by_profile ON access_audit (billing_profile_id, id);

-- One row: bumped by every change, so each instance re-reads access only when it changed. Its row lock orders
-- changes: each is checked against the access as the previous one left it.
CREATE TABLE access_state (
  id integer PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL,
  imported_from text,
  imported_at timestamptz NOT NULL
);

-- License requests: someone without Licenses Manager asks for seats; a Licenses Manager of the profile orders
-- them (a draft order of their own, linked here) or declines with a reason.
CREATE TABLE license_requests (
  id uuid PRIMARY KEY,
  number bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id text,
  requester_id text NOT NULL,
  requester_name text NOT NULL,
  subscription_id text NOT NULL,
  product text NOT NULL,
  domain text NOT NULL,
  billing_profile_id text NOT NULL,
  billing_profile_name text NOT NULL,
  seats integer NOT NULL CHECK (seats > 0),
  reason text,
  -- draft: the confirmation card is out, nothing sent yet; waiting: the Licenses Managers have it.
  state text NOT NULL CHECK (state IN ('draft', 'waiting', 'ordered', 'declined', 'expired', 'cancelled')),
  decided_by_id text,
  decided_by_name text,
  decided_at timestamptz,
  decline_reason text,
  order_id uuid REFERENCES orders (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX license_requests_by_requester ON license_requests (requester_id, created_at DESC);
CREATE INDEX license_requests_waiting ON license_requests (expires_at) WHERE state = 'waiting';
