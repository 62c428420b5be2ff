package com.posthog.flink.plugin.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.Json;
import com.posthog.flink.testing.TestServices;
import org.junit.jupiter.api.Test;

/**
 * The default credentials of {@code posthog.api} against the real Postgres tables (spec §2.4): the
 * team's token and one bot user per organization, created on first use with its membership and
 * {@code autogen} key, and found again by a fresh process instead of created twice.
 */
class PluginApiKeysITCase {

    @Test
    void oneBotUserPerOrganizationWithItsMembershipAndKey() throws Exception {
        TestServices services = TestServices.fromEnvironment();
        services.freshDatabases();
        try (PostgresClient postgres = new PostgresClient(services.postgres())) {
            JsonNode first = Json.parse(new PluginApiKeys(postgres).credentials(2));
            assertThat(first.get("token").asText())
                    .isEqualTo(
                            services.postgresValue(
                                    "SELECT api_token FROM posthog_team WHERE id = 2"));
            String key = first.get("personalApiKey").asText();
            assertThat(key).matches("phx_[A-Za-z0-9]{43}");

            // Another process (no cache) finds the same bot and key.
            JsonNode again = Json.parse(new PluginApiKeys(postgres).credentials(2));
            assertThat(again.get("personalApiKey").asText()).isEqualTo(key);

            assertThat(services.postgresCount("SELECT count(*) FROM posthog_user")).isOne();
            assertThat(
                            services.postgresValue(
                                    "SELECT first_name || ' ' || (email LIKE '%@posthogbot.user') || ' '"
                                            + " || (current_organization_id = (SELECT organization_id FROM posthog_team WHERE id = 2))"
                                            + " FROM posthog_user"))
                    .isEqualTo("Plugins API User [Bot] true true");
            assertThat(
                            services.postgresValue(
                                    "SELECT m.level || ' ' || k.label || ' ' || k.value FROM posthog_organizationmembership m"
                                            + " JOIN posthog_personalapikey k ON k.user_id = m.user_id"))
                    .isEqualTo("1 autogen " + key);

            assertThatThrownBy(() -> new PluginApiKeys(postgres).credentials(999))
                    .hasMessage("Team 999 does not exist.");
        }
    }
}
