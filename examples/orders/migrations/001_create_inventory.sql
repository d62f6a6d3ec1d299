-- Up Migration
-- Service B's inventory: items with their stock, and reservations of that stock.

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
  CONSTRAINT reservations_pkey PRIMARY KEY (id),
  CONSTRAINT reservations_sku_fkey FOREIGN KEY (sku) REFERENCES items (sku),
  CONSTRAINT reservations_quantity_check CHECK (quantity > 0),
  CONSTRAINT reservations_status_check CHECK (status IN ('active', 'released'))
);

-- The foreign key does not index the referencing side; reservations are looked up by sku.
CREATE INDEX reservations_sku_idx ON reservations (sku);

-- Down Migration

DROP TABLE reservations;
DROP TABLE items;
