-- The inventory schema after migrations 001_create_inventory and 002_add_integration_fields.
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
