-- Up Migration
-- The broker's registry: pacticipants and their versions, pacts (content stored once per sha),
-- verification results, environments with deployed/released versions, provider contracts (BDCT).
-- Every index below serves a query in src/broker/store/ (matrix, publish, pacts for verification).

CREATE TABLE pacticipants (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  display_name text,
  main_branch text,
  repository_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A version's id doubles as its order: later versions of a pacticipant have larger ids.
CREATE TABLE versions (
  id bigserial PRIMARY KEY,
  pacticipant_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  number text NOT NULL,
  build_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (pacticipant_id, number)
);
CREATE INDEX versions_pacticipant_latest ON versions (pacticipant_id, id DESC);

CREATE TABLE branch_versions (
  pacticipant_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  branch text NOT NULL,
  version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version_id, branch)
);
CREATE INDEX branch_versions_latest ON branch_versions (pacticipant_id, branch, version_id DESC);

CREATE TABLE tags (
  pacticipant_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  name text NOT NULL,
  version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version_id, name)
);
CREATE INDEX tags_latest ON tags (pacticipant_id, name, version_id DESC);

-- One row per distinct pact content of an integration; verifications belong to the content.
CREATE TABLE pact_versions (
  id bigserial PRIMARY KEY,
  consumer_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  provider_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  sha text NOT NULL,
  content jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer_id, provider_id, sha)
);
CREATE INDEX pact_versions_provider ON pact_versions (provider_id, id);

CREATE TABLE pact_publications (
  id bigserial PRIMARY KEY,
  consumer_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  consumer_version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  provider_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  pact_version_id bigint NOT NULL REFERENCES pact_versions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer_version_id, provider_id)
);
CREATE INDEX pact_publications_provider_consumer ON pact_publications (provider_id, consumer_id, consumer_version_id DESC);
CREATE INDEX pact_publications_pact_version ON pact_publications (pact_version_id);

-- Consumer/provider pairs that ever exchanged a pact: "which consumers does this provider have?".
CREATE TABLE integrations (
  consumer_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  provider_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_id, provider_id)
);
CREATE INDEX integrations_provider ON integrations (provider_id);

CREATE TABLE verifications (
  id bigserial PRIMARY KEY,
  pact_version_id bigint NOT NULL REFERENCES pact_versions (id) ON DELETE CASCADE,
  provider_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  provider_version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  number integer NOT NULL,
  success boolean NOT NULL,
  verification_type text NOT NULL DEFAULT 'CDCT' CHECK (verification_type IN ('CDCT', 'BDCT')),
  build_url text,
  test_results jsonb,
  verified_by jsonb,
  pact_pending boolean,
  wip boolean NOT NULL DEFAULT false,
  provider_contract_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (pact_version_id, number)
);
CREATE INDEX verifications_pact_provider_version ON verifications (pact_version_id, provider_version_id, id DESC);
CREATE INDEX verifications_provider_version ON verifications (provider_version_id);

CREATE TABLE environments (
  id serial PRIMARY KEY,
  uuid uuid NOT NULL UNIQUE,
  name text NOT NULL UNIQUE,
  display_name text,
  production boolean NOT NULL DEFAULT false,
  contacts jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deployed_versions (
  id bigserial PRIMARY KEY,
  uuid uuid NOT NULL UNIQUE,
  pacticipant_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  environment_id integer NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  -- '' stands for "no application instance" so the partial unique index below covers it.
  application_instance text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  undeployed_at timestamptz
);
CREATE UNIQUE INDEX deployed_versions_current ON deployed_versions (environment_id, pacticipant_id, application_instance) WHERE undeployed_at IS NULL;
CREATE INDEX deployed_versions_version ON deployed_versions (version_id);

CREATE TABLE released_versions (
  id bigserial PRIMARY KEY,
  uuid uuid NOT NULL UNIQUE,
  pacticipant_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  environment_id integer NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  support_ended_at timestamptz,
  UNIQUE (version_id, environment_id)
);
CREATE INDEX released_versions_current ON released_versions (environment_id, pacticipant_id) WHERE support_ended_at IS NULL;

-- A provider's OpenAPI document with its self-verification result (bi-directional contracts).
CREATE TABLE provider_contracts (
  id bigserial PRIMARY KEY,
  provider_id integer NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  provider_version_id bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
  content text NOT NULL,
  content_type text NOT NULL,
  specification text NOT NULL,
  self_verification jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider_version_id)
);
CREATE INDEX provider_contracts_provider ON provider_contracts (provider_id, id DESC);

-- The broker seeds these two, as the Pact Broker does.
INSERT INTO environments (uuid, name, display_name, production)
VALUES (gen_random_uuid(), 'test', 'Test', false), (gen_random_uuid(), 'production', 'Production', true);

-- Down Migration
DROP TABLE provider_contracts, released_versions, deployed_versions, environments, verifications,
  integrations, pact_publications, pact_versions, tags, branch_versions, versions, pacticipants;
