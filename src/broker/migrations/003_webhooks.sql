-- Up Migration
-- Webhooks (the Pact Broker's API), the delivery queue every replica claims from, and the
-- record of each execution. Everything a replica needs to share lives here, not in memory.

CREATE TABLE webhooks (
  id bigserial PRIMARY KEY,
  uuid text NOT NULL UNIQUE,
  description text,
  -- NULL: any consumer (provider) matches.
  consumer_name text,
  provider_name text,
  events text[] NOT NULL,
  -- { method, url, headers, body, username, password } as given; templates stay unrendered.
  request jsonb NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_scope ON webhooks (provider_name, consumer_name);

-- One row per (webhook, triggering event): the queue. A replica claims a row by setting
-- `leased_until` under FOR UPDATE SKIP LOCKED; a row whose lease ran out (its replica died) is
-- claimed again, so a delivery is made at least once.
CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  uuid text NOT NULL UNIQUE,
  webhook_id bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_name text NOT NULL,
  -- The template parameters as they were when the event happened.
  params jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  leased_until timestamptz,
  leased_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id DESC);

-- Each attempt: the request sent (secret-looking header values already redacted), the response,
-- how long it took and whether it succeeded.
CREATE TABLE webhook_executions (
  id bigserial PRIMARY KEY,
  webhook_id bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  delivery_id bigint REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  event_name text NOT NULL,
  attempt integer NOT NULL,
  request jsonb NOT NULL,
  response jsonb,
  error text,
  duration_ms integer NOT NULL,
  success boolean NOT NULL,
  replica text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_executions_webhook ON webhook_executions (webhook_id, id DESC);

-- Down Migration
DROP TABLE webhook_executions, webhook_deliveries, webhooks;
