-- Postgres tables the plugin server reads or writes.
-- Follows PostHog's Django models of late 2021 (public repository PostHog/posthog, posthog/models/:
-- organization.py, team.py, plugin.py, person.py, event.py, element.py, element_group.py,
-- session_recording_event.py, event_definition.py, property_definition.py, group_type_mapping.py,
-- cohort.py, action.py, action_step.py) as used by plugin server v1.10.
-- Safe on a Django-managed database: only CREATE ... IF NOT EXISTS and ADD COLUMN IF NOT EXISTS,
-- never an ALTER of an existing column. Index and constraint names are the ones Django generates,
-- so on a Django database the IF NOT EXISTS statements find them and do nothing.
-- Differences from Django, all additive: columns that Django fills in Python (auto_now, default=...)
-- get a database DEFAULT here so a minimal INSERT works, and posthog_event and
-- posthog_sessionrecordingevent get a nullable unique uuid column for idempotent replays
-- (the job inserts with ON CONFLICT (uuid) DO NOTHING).
-- Foreign keys are inline and DEFERRABLE INITIALLY DEFERRED, as Django creates them on Postgres.
-- Foreign keys to tables this project does not create (posthog_user, posthog_dashboard) are
-- plain nullable integer columns.
-- Random uuid defaults use md5(random() ...)::uuid, which works on every Postgres version.
-- Format rules: each statement ends with a semicolon as the last character of its line, and
-- comments are whole lines only (a simple migrator splits the file).

-- Organizations (posthog/models/organization.py)
CREATE TABLE IF NOT EXISTS posthog_organization (
    id uuid NOT NULL PRIMARY KEY DEFAULT md5(random()::text || clock_timestamp()::text)::uuid,
    name varchar(64) NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    domain_whitelist varchar(256)[] NOT NULL DEFAULT '{}',
    setup_section_2_completed boolean NOT NULL DEFAULT true,
    personalization jsonb NOT NULL DEFAULT '{}'::jsonb,
    plugins_access_level smallint NOT NULL DEFAULT 9 CHECK (plugins_access_level >= 0),
    available_features varchar(64)[] NOT NULL DEFAULT '{}',
    for_internal_metrics boolean NOT NULL DEFAULT false,
    is_member_join_email_enabled boolean NOT NULL DEFAULT true
);

CREATE UNIQUE INDEX IF NOT EXISTS single_for_internal_metrics ON posthog_organization (for_internal_metrics) WHERE for_internal_metrics;

-- Teams, also called projects (posthog/models/team.py)
CREATE TABLE IF NOT EXISTS posthog_team (
    id serial NOT NULL PRIMARY KEY,
    uuid uuid NOT NULL UNIQUE DEFAULT md5(random()::text || clock_timestamp()::text)::uuid,
    organization_id uuid NOT NULL REFERENCES posthog_organization (id) DEFERRABLE INITIALLY DEFERRED,
    api_token varchar(200) NOT NULL UNIQUE DEFAULT ('phc_' || md5(random()::text || clock_timestamp()::text)),
    app_urls varchar(200)[] NOT NULL DEFAULT '{}',
    name varchar(200) NOT NULL DEFAULT 'Default Project',
    slack_incoming_webhook varchar(500) NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    anonymize_ips boolean NOT NULL DEFAULT false,
    completed_snippet_onboarding boolean NOT NULL DEFAULT false,
    ingested_event boolean NOT NULL DEFAULT false,
    session_recording_opt_in boolean NOT NULL DEFAULT false,
    signup_token varchar(200) NULL,
    is_demo boolean NOT NULL DEFAULT false,
    access_control boolean NOT NULL DEFAULT false,
    test_account_filters jsonb NOT NULL DEFAULT '[]'::jsonb,
    path_cleaning_filters jsonb NULL DEFAULT '[]'::jsonb,
    timezone varchar(240) NOT NULL DEFAULT 'UTC',
    data_attributes jsonb NOT NULL DEFAULT '["data-attr"]'::jsonb,
    primary_dashboard_id integer NULL,
    correlation_config jsonb NULL DEFAULT '{}'::jsonb,
    session_recording_retention_period_days integer NULL,
    plugins_opt_in boolean NOT NULL DEFAULT false,
    opt_out_capture boolean NOT NULL DEFAULT false,
    event_names jsonb NOT NULL DEFAULT '[]'::jsonb,
    event_names_with_usage jsonb NOT NULL DEFAULT '[]'::jsonb,
    event_properties jsonb NOT NULL DEFAULT '[]'::jsonb,
    event_properties_with_usage jsonb NOT NULL DEFAULT '[]'::jsonb,
    event_properties_numerical jsonb NOT NULL DEFAULT '[]'::jsonb
);

CREATE INDEX IF NOT EXISTS posthog_team_organization_id_41bbc1d0 ON posthog_team (organization_id);

-- Plugins (posthog/models/plugin.py)
CREATE TABLE IF NOT EXISTS posthog_plugin (
    id serial NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES posthog_organization (id) DEFERRABLE INITIALLY DEFERRED,
    plugin_type varchar(200) NULL,
    is_global boolean NOT NULL DEFAULT false,
    is_preinstalled boolean NOT NULL DEFAULT false,
    name varchar(200) NULL,
    description text NULL,
    url varchar(800) NULL,
    config_schema jsonb NOT NULL DEFAULT '{}'::jsonb,
    tag varchar(200) NULL,
    archive bytea NULL,
    source text NULL,
    latest_tag varchar(800) NULL,
    latest_tag_checked_at timestamptz NULL,
    capabilities jsonb NOT NULL DEFAULT '{}'::jsonb,
    metrics jsonb NULL DEFAULT '{}'::jsonb,
    public_jobs jsonb NULL DEFAULT '{}'::jsonb,
    error jsonb NULL,
    from_json boolean NOT NULL DEFAULT false,
    from_web boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS posthog_plugin_organization_id_d040b9a9 ON posthog_plugin (organization_id);

CREATE TABLE IF NOT EXISTS posthog_pluginconfig (
    id serial NOT NULL PRIMARY KEY,
    team_id integer NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    plugin_id integer NOT NULL REFERENCES posthog_plugin (id) DEFERRABLE INITIALLY DEFERRED,
    enabled boolean NOT NULL DEFAULT false,
    "order" integer NOT NULL DEFAULT 0,
    config jsonb NOT NULL DEFAULT '{}'::jsonb,
    error jsonb NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS posthog_pluginconfig_team_id_71185766 ON posthog_pluginconfig (team_id);

CREATE INDEX IF NOT EXISTS posthog_pluginconfig_plugin_id_d014ca1c ON posthog_pluginconfig (plugin_id);

-- Attachments: the GeoIP database is a row with key '@posthog/mmdb' and no team or config.
CREATE TABLE IF NOT EXISTS posthog_pluginattachment (
    id serial NOT NULL PRIMARY KEY,
    team_id integer NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    plugin_config_id integer NULL REFERENCES posthog_pluginconfig (id) DEFERRABLE INITIALLY DEFERRED,
    key varchar(200) NOT NULL,
    content_type varchar(200) NOT NULL DEFAULT '',
    file_name varchar(200) NOT NULL DEFAULT '',
    file_size integer NOT NULL DEFAULT 0,
    contents bytea NOT NULL DEFAULT ''::bytea
);

CREATE INDEX IF NOT EXISTS posthog_pluginattachment_team_id_415eacc7 ON posthog_pluginattachment (team_id);

CREATE INDEX IF NOT EXISTS posthog_pluginattachment_plugin_config_id_cc94a1b9 ON posthog_pluginattachment (plugin_config_id);

CREATE TABLE IF NOT EXISTS posthog_pluginstorage (
    id serial NOT NULL PRIMARY KEY,
    plugin_config_id integer NOT NULL REFERENCES posthog_pluginconfig (id) DEFERRABLE INITIALLY DEFERRED,
    key varchar(200) NOT NULL,
    value text NULL,
    CONSTRAINT posthog_unique_plugin_storage_key UNIQUE (plugin_config_id, key)
);

CREATE INDEX IF NOT EXISTS posthog_pluginstorage_plugin_config_id_6744363a ON posthog_pluginstorage (plugin_config_id);

-- Plugin log entries (Postgres pipeline only). Django also indexes message (db_index=True),
-- which is left out here: a btree index makes very long messages fail to insert.
CREATE TABLE IF NOT EXISTS posthog_pluginlogentry (
    id uuid NOT NULL PRIMARY KEY DEFAULT md5(random()::text || clock_timestamp()::text)::uuid,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    plugin_id integer NOT NULL REFERENCES posthog_plugin (id) DEFERRABLE INITIALLY DEFERRED,
    plugin_config_id integer NOT NULL REFERENCES posthog_pluginconfig (id) DEFERRABLE INITIALLY DEFERRED,
    timestamp timestamptz NOT NULL DEFAULT now(),
    source varchar(20) NOT NULL,
    type varchar(20) NOT NULL,
    message text NOT NULL DEFAULT '',
    instance_id uuid NOT NULL
);

CREATE INDEX IF NOT EXISTS posthog_plu_plugin__736133_idx ON posthog_pluginlogentry (plugin_config_id, timestamp);

CREATE INDEX IF NOT EXISTS posthog_pluginlogentry_team_id_5cab32b2 ON posthog_pluginlogentry (team_id);

CREATE INDEX IF NOT EXISTS posthog_pluginlogentry_plugin_id_42aaf74e ON posthog_pluginlogentry (plugin_id);

CREATE INDEX IF NOT EXISTS posthog_pluginlogentry_plugin_config_id_2fe30023 ON posthog_pluginlogentry (plugin_config_id);

-- Persons (posthog/models/person.py). is_user_id points at posthog_user, not created here.
CREATE TABLE IF NOT EXISTS posthog_person (
    id serial NOT NULL PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    properties_last_updated_at jsonb NULL DEFAULT '{}'::jsonb,
    properties_last_operation jsonb NULL,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    properties jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_user_id integer NULL,
    is_identified boolean NOT NULL DEFAULT false,
    uuid uuid NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text)::uuid
);

CREATE INDEX IF NOT EXISTS posthog_person_team_id_325c1b73 ON posthog_person (team_id);

CREATE INDEX IF NOT EXISTS posthog_person_uuid_82b4a3ed ON posthog_person (uuid);

CREATE TABLE IF NOT EXISTS posthog_persondistinctid (
    id serial NOT NULL PRIMARY KEY,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    person_id integer NOT NULL REFERENCES posthog_person (id) DEFERRABLE INITIALLY DEFERRED,
    distinct_id varchar(400) NOT NULL,
    CONSTRAINT "unique distinct_id for team" UNIQUE (team_id, distinct_id)
);

CREATE INDEX IF NOT EXISTS posthog_persondistinctid_team_id_46330ec9 ON posthog_persondistinctid (team_id);

CREATE INDEX IF NOT EXISTS posthog_persondistinctid_person_id_5d655bba ON posthog_persondistinctid (person_id);

-- Events (posthog/models/event.py), Postgres pipeline only.
-- uuid is this project's addition (idempotent replays), not a Django column.
CREATE TABLE IF NOT EXISTS posthog_event (
    id serial NOT NULL PRIMARY KEY,
    created_at timestamptz NULL DEFAULT now(),
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    event varchar(200) NULL,
    distinct_id varchar(200) NOT NULL,
    properties jsonb NOT NULL DEFAULT '{}'::jsonb,
    timestamp timestamptz NOT NULL DEFAULT now(),
    elements_hash varchar(200) NULL,
    site_url varchar(200) NULL,
    elements jsonb NULL DEFAULT '[]'::jsonb,
    uuid uuid NULL
);

ALTER TABLE posthog_event ADD COLUMN IF NOT EXISTS uuid uuid NULL;

CREATE UNIQUE INDEX IF NOT EXISTS posthog_event_uuid_uniq ON posthog_event (uuid);

CREATE INDEX IF NOT EXISTS posthog_event_team_id_a8b4c6dc ON posthog_event (team_id);

CREATE INDEX IF NOT EXISTS posthog_eve_element_48becd_idx ON posthog_event (elements_hash);

CREATE INDEX IF NOT EXISTS posthog_eve_timesta_1f6a8c_idx ON posthog_event (timestamp, team_id, event);

CREATE INDEX IF NOT EXISTS idx_distinct_id ON posthog_event (distinct_id);

-- Element groups and elements (posthog/models/element_group.py, element.py), Postgres pipeline only.
CREATE TABLE IF NOT EXISTS posthog_elementgroup (
    id serial NOT NULL PRIMARY KEY,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    hash varchar(400) NULL,
    CONSTRAINT "unique hash for each team" UNIQUE (team_id, hash)
);

CREATE INDEX IF NOT EXISTS posthog_elementgroup_team_id_3ced0286 ON posthog_elementgroup (team_id);

CREATE TABLE IF NOT EXISTS posthog_element (
    id serial NOT NULL PRIMARY KEY,
    text varchar(10000) NULL,
    tag_name varchar(1000) NULL,
    href varchar(10000) NULL,
    attr_id varchar(10000) NULL,
    attr_class varchar(10000)[] NULL,
    nth_child integer NULL,
    nth_of_type integer NULL,
    attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    event_id integer NULL REFERENCES posthog_event (id) DEFERRABLE INITIALLY DEFERRED,
    "order" integer NULL,
    group_id integer NULL REFERENCES posthog_elementgroup (id) DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX IF NOT EXISTS posthog_element_event_id_bb6549a0 ON posthog_element (event_id);

CREATE INDEX IF NOT EXISTS posthog_element_group_id_09134876 ON posthog_element (group_id);

-- Session recordings (posthog/models/session_recording_event.py), Postgres pipeline only.
-- uuid is this project's addition (idempotent replays), not a Django column.
CREATE TABLE IF NOT EXISTS posthog_sessionrecordingevent (
    id serial NOT NULL PRIMARY KEY,
    created_at timestamptz NULL DEFAULT now(),
    timestamp timestamptz NOT NULL DEFAULT now(),
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    distinct_id varchar(200) NOT NULL,
    session_id varchar(200) NOT NULL,
    window_id varchar(200) NULL,
    snapshot_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    uuid uuid NULL
);

ALTER TABLE posthog_sessionrecordingevent ADD COLUMN IF NOT EXISTS uuid uuid NULL;

CREATE UNIQUE INDEX IF NOT EXISTS posthog_sessionrecordingevent_uuid_uniq ON posthog_sessionrecordingevent (uuid);

CREATE INDEX IF NOT EXISTS posthog_sessionrecordingevent_team_id_974f0e0d ON posthog_sessionrecordingevent (team_id);

CREATE INDEX IF NOT EXISTS posthog_ses_team_id_265946_idx ON posthog_sessionrecordingevent (team_id, session_id);

CREATE INDEX IF NOT EXISTS posthog_ses_team_id_46392f_idx ON posthog_sessionrecordingevent (team_id, distinct_id, timestamp, session_id);

-- Event and property definitions (posthog/models/event_definition.py, property_definition.py).
-- Django's trigram (gin_trgm_ops) indexes on name are left out: they need the pg_trgm
-- extension and only serve the app's search box.
CREATE TABLE IF NOT EXISTS posthog_eventdefinition (
    id uuid NOT NULL PRIMARY KEY DEFAULT md5(random()::text || clock_timestamp()::text)::uuid,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    name varchar(400) NOT NULL,
    created_at timestamptz NULL DEFAULT now(),
    last_seen_at timestamptz NULL,
    volume_30_day integer NULL,
    query_usage_30_day integer NULL,
    CONSTRAINT posthog_eventdefinition_team_id_name_80fa0b87_uniq UNIQUE (team_id, name)
);

CREATE INDEX IF NOT EXISTS posthog_eventdefinition_team_id_818ed0f2 ON posthog_eventdefinition (team_id);

CREATE TABLE IF NOT EXISTS posthog_propertydefinition (
    id uuid NOT NULL PRIMARY KEY DEFAULT md5(random()::text || clock_timestamp()::text)::uuid,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    name varchar(400) NOT NULL,
    is_numerical boolean NOT NULL DEFAULT false,
    query_usage_30_day integer NULL,
    volume_30_day integer NULL,
    CONSTRAINT posthog_propertydefinition_team_id_name_e21599fc_uniq UNIQUE (team_id, name)
);

CREATE INDEX IF NOT EXISTS posthog_propertydefinition_team_id_b7abe702 ON posthog_propertydefinition (team_id);

-- Group types (posthog/models/group_type_mapping.py): at most 5 per team, indexes 0 to 4.
CREATE TABLE IF NOT EXISTS posthog_grouptypemapping (
    id serial NOT NULL PRIMARY KEY,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    group_type varchar(400) NOT NULL,
    group_type_index integer NOT NULL,
    name_singular varchar(400) NULL,
    name_plural varchar(400) NULL,
    CONSTRAINT "unique group types for team" UNIQUE (team_id, group_type),
    CONSTRAINT "unique event column indexes for team" UNIQUE (team_id, group_type_index),
    CONSTRAINT "group_type_index is less than or equal 5" CHECK (group_type_index <= 5)
);

CREATE INDEX IF NOT EXISTS posthog_grouptypemapping_team_id_5fb54d04 ON posthog_grouptypemapping (team_id);

-- Cohorts (posthog/models/cohort.py): the server only moves cohort members on person merges
-- and checks membership in action filters. created_by_id points at posthog_user, not created here.
CREATE TABLE IF NOT EXISTS posthog_cohort (
    id serial NOT NULL PRIMARY KEY,
    name varchar(400) NULL,
    description varchar(1000) NOT NULL DEFAULT '',
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    deleted boolean NOT NULL DEFAULT false,
    groups jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_by_id integer NULL,
    created_at timestamptz NULL DEFAULT now(),
    is_calculating boolean NOT NULL DEFAULT false,
    last_calculation timestamptz NULL,
    errors_calculating integer NOT NULL DEFAULT 0,
    is_static boolean NOT NULL DEFAULT false
);

CREATE INDEX IF NOT EXISTS posthog_cohort_team_id_8a849f3d ON posthog_cohort (team_id);

CREATE TABLE IF NOT EXISTS posthog_cohortpeople (
    id bigserial NOT NULL PRIMARY KEY,
    cohort_id integer NOT NULL REFERENCES posthog_cohort (id) DEFERRABLE INITIALLY DEFERRED,
    person_id integer NOT NULL REFERENCES posthog_person (id) DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX IF NOT EXISTS posthog_coh_cohort__89c25f_idx ON posthog_cohortpeople (cohort_id, person_id);

CREATE INDEX IF NOT EXISTS posthog_cohortpeople_cohort_id_1f371733 ON posthog_cohortpeople (cohort_id);

CREATE INDEX IF NOT EXISTS posthog_cohortpeople_person_id_33da7d3f ON posthog_cohortpeople (person_id);

-- Actions (posthog/models/action.py, action_step.py). created_by_id points at posthog_user.
CREATE TABLE IF NOT EXISTS posthog_action (
    id serial NOT NULL PRIMARY KEY,
    name varchar(400) NULL,
    team_id integer NOT NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by_id integer NULL,
    deleted boolean NOT NULL DEFAULT false,
    post_to_slack boolean NOT NULL DEFAULT false,
    slack_message_format varchar(600) NOT NULL DEFAULT '',
    is_calculating boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_calculated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS posthog_action_team_id_3a21e3a6 ON posthog_action (team_id);

CREATE INDEX IF NOT EXISTS posthog_act_team_id_8c04de_idx ON posthog_action (team_id, updated_at DESC);

CREATE TABLE IF NOT EXISTS posthog_actionstep (
    id serial NOT NULL PRIMARY KEY,
    action_id integer NOT NULL REFERENCES posthog_action (id) DEFERRABLE INITIALLY DEFERRED,
    tag_name varchar(400) NULL,
    text varchar(400) NULL,
    href varchar(65535) NULL,
    selector varchar(65535) NULL,
    url varchar(65535) NULL,
    url_matching varchar(400) NULL DEFAULT 'contains',
    name varchar(400) NULL,
    event varchar(400) NULL,
    properties jsonb NULL DEFAULT '[]'::jsonb
);

CREATE INDEX IF NOT EXISTS posthog_actionstep_action_id_b50d75e6 ON posthog_actionstep (action_id);

-- Matched actions per event (the Action.events many-to-many table), Postgres pipeline only.
CREATE TABLE IF NOT EXISTS posthog_action_events (
    id serial NOT NULL PRIMARY KEY,
    action_id integer NOT NULL REFERENCES posthog_action (id) DEFERRABLE INITIALLY DEFERRED,
    event_id integer NOT NULL REFERENCES posthog_event (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT posthog_action_events_action_id_event_id_18e163e2_uniq UNIQUE (action_id, event_id)
);

CREATE INDEX IF NOT EXISTS posthog_action_events_action_id_f6f1f077 ON posthog_action_events (action_id);

CREATE INDEX IF NOT EXISTS posthog_action_events_event_id_7077ea70 ON posthog_action_events (event_id);
