-- Plugins and configs for PluginConfigsLoaderITCase, on top of the seed (organization ...0001 with
-- plugins_access_level 9, teams 2 and 3). Each config says whether it is in force and why.

INSERT INTO posthog_organization (id, name, plugins_access_level) VALUES
    ('0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d00b0', 'No plugin access', 0),
    ('0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d00c0', 'Other organization', 9);

INSERT INTO posthog_team (id, organization_id, name) VALUES
    (20, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d00b0', 'Team without plugin access'),
    (30, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d00c0', 'Team of the other organization');

INSERT INTO posthog_plugin (id, organization_id, plugin_type, is_global, name, url, tag, source, capabilities) VALUES
    (1, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001', 'custom', false, 'own', 'https://github.com/x/own', 'v1', NULL, '{"methods": ["processEvent"]}'),
    (2, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d00c0', 'source', false, 'foreign', NULL, NULL, 'export const processEvent = e => e', '{}'),
    (3, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d00c0', 'local', true, 'global', 'file:global', NULL, NULL, '{}'),
    (4, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001', 'source', false, 'only disabled', NULL, NULL, 'x', '{}'),
    (5, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d00b0', 'source', false, 'no access', NULL, NULL, 'x', '{}'),
    (6, '0179e6f4-1c9a-4f4b-8b0c-6c1a3f1d0001', 'source', false, 'not installed', NULL, NULL, 'x', '{}');

INSERT INTO posthog_pluginconfig (id, team_id, plugin_id, enabled, "order", config, error) VALUES
    -- in force: the organization's own plugin, twice for team 2, in order 3 and 2
    (101, 2, 1, true, 3, '{"greeting": "hi"}', NULL),
    (108, 2, 1, true, 2, '{}', '{"message": "earlier failure", "time": "2021-10-28T10:00:00.000Z"}'),
    -- in force: a global plugin of another organization
    (102, 2, 3, true, 1, '{}', NULL),
    -- not in force: another organization's plugin that is not global
    (103, 2, 2, true, 0, '{}', NULL),
    -- not in force: disabled
    (104, 2, 4, false, 0, '{}', NULL),
    -- not in force: the team's organization has plugins_access_level 0
    (105, 20, 5, true, 0, '{}', NULL),
    -- not in force: no team, so no organization
    (106, NULL, 1, true, 0, '{}', NULL),
    -- in force: the other organization's own plugin for its own team
    (107, 30, 2, true, 0, '{}', NULL);

INSERT INTO posthog_pluginattachment (id, team_id, plugin_config_id, key, content_type, file_name, file_size, contents) VALUES
    (201, 2, 101, 'mmdb', 'application/octet-stream', 'city.mmdb', 4, '\x74657374'::bytea),
    (202, 2, 104, 'disabled', 'text/plain', 'x.txt', 1, '\x78'::bytea),
    (203, NULL, NULL, '@posthog/mmdb', 'application/octet-stream', 'db.mmdb', 1, '\x78'::bytea);
