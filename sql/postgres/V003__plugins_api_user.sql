-- The tables behind posthog.api's default credentials (spec section 2.4): the organization's bot
-- user "Plugins API User [Bot]", its membership and its personal API key, as PostHog's Django
-- models of late 2021 define them (posthog/models/user.py, organization.py, personal_api_key.py).
-- Same rules as V001: CREATE ... IF NOT EXISTS only, so a Django-managed database is left alone;
-- columns Django fills in Python get a database DEFAULT here.
CREATE TABLE IF NOT EXISTS posthog_user (
    id serial NOT NULL PRIMARY KEY,
    password varchar(128) NOT NULL,
    last_login timestamptz NULL,
    first_name varchar(150) NOT NULL DEFAULT '',
    last_name varchar(150) NOT NULL DEFAULT '',
    is_staff boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    date_joined timestamptz NOT NULL DEFAULT now(),
    uuid uuid NOT NULL UNIQUE DEFAULT md5(random()::text || clock_timestamp()::text)::uuid,
    current_organization_id uuid NULL REFERENCES posthog_organization (id) DEFERRABLE INITIALLY DEFERRED,
    current_team_id integer NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    email varchar(254) NOT NULL UNIQUE,
    temporary_token varchar(200) NULL UNIQUE,
    distinct_id varchar(200) NULL UNIQUE,
    email_opt_in boolean NULL DEFAULT false,
    partial_notification_settings jsonb NULL,
    anonymize_data boolean NULL DEFAULT false,
    toolbar_mode varchar(200) NULL DEFAULT 'toolbar',
    events_column_config jsonb NOT NULL DEFAULT '{"active": "DEFAULT"}'::jsonb
);
CREATE TABLE IF NOT EXISTS posthog_organizationmembership (
    id uuid NOT NULL PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES posthog_organization (id) DEFERRABLE INITIALLY DEFERRED,
    user_id integer NOT NULL REFERENCES posthog_user (id) DEFERRABLE INITIALLY DEFERRED,
    level smallint NOT NULL DEFAULT 1 CHECK (level >= 0),
    joined_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT unique_organization_membership UNIQUE (organization_id, user_id)
);
CREATE TABLE IF NOT EXISTS posthog_personalapikey (
    id varchar(50) NOT NULL PRIMARY KEY,
    label varchar(40) NOT NULL,
    value varchar(50) NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NULL,
    team_id integer NULL REFERENCES posthog_team (id) DEFERRABLE INITIALLY DEFERRED,
    user_id integer NOT NULL REFERENCES posthog_user (id) DEFERRABLE INITIALLY DEFERRED
);
