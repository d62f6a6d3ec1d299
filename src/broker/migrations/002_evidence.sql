-- Up Migration
-- Accord's extension to the Pact Broker: per pacticipant version, one evidence record per gate
-- step (schema drift, scenarios, load, ...), which `can-i-deploy --require` weighs next to the
-- matrix. A record is immutable once written: republishing different content is a 409.

CREATE TABLE evidence (
  id bigserial PRIMARY KEY,
  pacticipant_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  step text NOT NULL,
  status text NOT NULL CHECK (status IN ('pass', 'fail', 'warn', 'skip')),
  summary text NOT NULL,
  report_digest text NOT NULL,
  report_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (version_id, step)
);
-- The web page lists the newest evidence of a pacticipant.
CREATE INDEX evidence_pacticipant ON evidence (pacticipant_id, version_id DESC);

-- Down Migration
DROP TABLE evidence;
