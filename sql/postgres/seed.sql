-- Seed for local runs and tests, applied after V001__posthog_schema.sql. Idempotent: rows are
-- inserted with ON CONFLICT DO NOTHING, and the sequences are moved past the seeded ids so
-- later inserts that take ids from the sequences do not collide with them.
-- Follows the rows PostHog's own test setup creates (an organization with full plugin access,
-- teams with an api_token), see plugin-server-spec section 1.1 and CONTRACTS.md.
-- Format rules: each statement ends with a semicolon as the last character of its line, and
-- comments are whole lines only (a simple migrator splits the file).

-- plugins_access_level 9 is ROOT: the organization may install and run any plugin.
INSERT INTO posthog_organization (id, name, plugins_access_level, setup_section_2_completed, available_features)
VALUES ('0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001', 'PostHog Local', 9, true, '{}')
ON CONFLICT DO NOTHING;

-- Team 2 is the default team of local runs.
INSERT INTO posthog_team (id, uuid, organization_id, name, api_token, anonymize_ips, ingested_event, session_recording_opt_in, app_urls)
VALUES (2, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0002', '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001', 'Local', 'phc_local_test_token', false, false, true, '{}')
ON CONFLICT DO NOTHING;

-- Team 3 anonymizes IPs (tests use it to check that $ip is not added).
INSERT INTO posthog_team (id, uuid, organization_id, name, api_token, anonymize_ips, ingested_event, session_recording_opt_in, app_urls)
VALUES (3, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0003', '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001', 'Local (anonymized IPs)', 'phc_local_anonymize_token', true, false, true, '{}')
ON CONFLICT DO NOTHING;

-- Move the team id sequence past the seeded ids and past any id already in use, never backwards.
SELECT setval(pg_get_serial_sequence('posthog_team', 'id'), GREATEST(3, (SELECT COALESCE(MAX(id), 0) FROM posthog_team), COALESCE((SELECT s.last_value FROM pg_sequences s WHERE (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass = pg_get_serial_sequence('posthog_team', 'id')::regclass), 0)), true);
