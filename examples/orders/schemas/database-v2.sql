-- The schema after migrations 001_create_inventory, 002_add_integration_fields (Service B's inventory)
-- and 003_create_shipments (Service C's fulfilment).
-- Plain DDL that a fresh PostgreSQL 14 database can load; a test keeps it equal to the migrated schema.

CREATE TABLE items (
  sku text NOT NULL,
  name text NOT NULL,
  stock integer NOT NULL,
  price_cents integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT items_pkey PRIMARY KEY (sku),
  CONSTRAINT items_stock_check CHECK (stock >= 0),
  CONSTRAINT items_price_cents_check CHECK (price_cents >= 0)
);

CREATE TABLE reservations (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  sku text NOT NULL,
  quantity integer NOT NULL,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  correlation_id text,
  source_service text,
  idempotency_key text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reservations_pkey PRIMARY KEY (id),
  CONSTRAINT reservations_sku_fkey FOREIGN KEY (sku) REFERENCES items (sku),
  CONSTRAINT reservations_quantity_check CHECK (quantity > 0),
  CONSTRAINT reservations_status_check CHECK (status IN ('active', 'released')),
  CONSTRAINT reservations_idempotency_key_key UNIQUE (idempotency_key),
  CONSTRAINT reservations_idempotency_key_check CHECK (char_length(idempotency_key) BETWEEN 1 AND 128)
);

CREATE INDEX reservations_sku_idx ON reservations (sku);
CREATE INDEX reservations_correlation_id_idx ON reservations (correlation_id);

CREATE TABLE shipments (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id text NOT NULL,
  sku text NOT NULL,
  quantity integer NOT NULL,
  reservation_id text NOT NULL,
  customer_id text,
  correlation_id text,
  status text NOT NULL DEFAULT 'pending',
  event_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT shipments_pkey PRIMARY KEY (id),
  CONSTRAINT shipments_quantity_check CHECK (quantity > 0),
  CONSTRAINT shipments_status_check CHECK (status IN ('pending', 'cancelled'))
);

CREATE INDEX shipments_order_id_idx ON shipments (order_id);

CREATE TABLE processed_events (
  event_id text NOT NULL,
  event_type text NOT NULL,
  order_id text NOT NULL,
  stream_id text NOT NULL,
  published_at timestamptz NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT processed_events_pkey PRIMARY KEY (event_id)
);
