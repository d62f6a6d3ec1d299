-- Up Migration
-- Service C's fulfilment records: a shipment per confirmed order, and every order event it processed.

-- No unique order_id: the event id is what makes processing idempotent (processed_events), and a
-- shipment is created by its confirming event only.
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

-- Cancellations find the shipment by its order.
CREATE INDEX shipments_order_id_idx ON shipments (order_id);

-- One row per event C applied, written in the same transaction as its effect; published_at (from
-- the stream entry id) and processed_at give each event's lag.
CREATE TABLE processed_events (
  event_id text NOT NULL,
  event_type text NOT NULL,
  order_id text NOT NULL,
  stream_id text NOT NULL,
  published_at timestamptz NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT processed_events_pkey PRIMARY KEY (event_id)
);

-- Down Migration

DROP TABLE processed_events;
DROP TABLE shipments;
