-- Up Migration
-- Cross-service tracing (correlation id, calling service) and idempotent reservations.

ALTER TABLE reservations
  ADD COLUMN correlation_id text,
  ADD COLUMN source_service text,
  ADD COLUMN idempotency_key text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Rows reserved before this migration were last changed when they were created.
UPDATE reservations SET updated_at = created_at;

-- The unique constraint is what makes a repeated Idempotency-Key return the first reservation.
ALTER TABLE reservations
  ADD CONSTRAINT reservations_idempotency_key_key UNIQUE (idempotency_key),
  ADD CONSTRAINT reservations_idempotency_key_check CHECK (char_length(idempotency_key) BETWEEN 1 AND 128);

-- Tracing looks a request up by its correlation id across services.
CREATE INDEX reservations_correlation_id_idx ON reservations (correlation_id);

-- Down Migration

DROP INDEX reservations_correlation_id_idx;
ALTER TABLE reservations
  DROP CONSTRAINT reservations_idempotency_key_check,
  DROP CONSTRAINT reservations_idempotency_key_key,
  DROP COLUMN updated_at,
  DROP COLUMN idempotency_key,
  DROP COLUMN source_service,
  DROP COLUMN correlation_id;
