package com.posthog.flink.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds {@code events_plugin_ingestion} messages as Django's capture endpoint writes them. */
public final class Messages {

    public static final String NOW = "2021-10-29T12:00:00.000Z";

    /** The ways a message can be at fault, one dead letter each, with the reason it gets. */
    public enum Fault {
        NOT_JSON("parseMessage failed. Error: the message is not a JSON object"),
        NO_TEAM("parseMessage failed. Error: the message has no team_id"),
        NON_NUMERIC_TEAM("parseMessage failed. Error: team_id is not an integer: \"two\""),
        INVALID_UUID("ingestEvent failed. Error: Not a valid UUID: \"not-a-uuid\""),
        UNKNOWN_TEAM("ingestEvent failed. Error: No team found with ID 1337. Can't ingest event.");

        public final String error;

        Fault(String error) {
            this.error = error;
        }
    }

    private Messages() {}

    public static String event(String uuid, String distinctId, long teamId, String eventName) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("event", eventName);
        data.putObject("properties")
                .put("distinct_id", distinctId)
                .put("$current_url", "http://localhost/");
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("uuid", uuid);
        message.put("distinct_id", distinctId);
        message.put("ip", "127.0.0.1");
        message.put("site_url", "http://localhost");
        message.put("data", Json.write(data));
        message.put("team_id", teamId);
        message.put("now", NOW);
        message.put("sent_at", "");
        return Json.write(message);
    }

    /**
     * A message for team 2 with the given event name and properties (JSON text); the uuid is
     * derived from {@code n} so the same call gives the same message.
     */
    public static String event(int n, String distinctId, String eventName, String propertiesJson) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("event", eventName);
        try {
            data.set("properties", Json.parse(propertiesJson));
        } catch (Exception e) {
            throw new IllegalArgumentException(propertiesJson, e);
        }
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("uuid", UUID.nameUUIDFromBytes(("message-" + n).getBytes()).toString());
        message.put("distinct_id", distinctId);
        message.put("ip", "127.0.0.1");
        message.put("site_url", "http://localhost");
        message.put("data", Json.write(data));
        message.put("team_id", 2);
        message.put("now", NOW);
        message.put("sent_at", "");
        return Json.write(message);
    }

    /**
     * A realistic identity story for {@code users} users, interleaved at random (seeded) but in
     * order per user: anonymous page views with {@code $set_once}, {@code $set}, {@code $identify}
     * with the anonymous id, a second anonymous session aliased to the user, and later property
     * changes.
     */
    public static List<String> identityStory(int users, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<java.util.ArrayDeque<String>> perUser = new ArrayList<>();
        int n = 1_000_000;
        for (int u = 0; u < users; u++) {
            String user = "user_" + u;
            String anon1 = "anon_" + u + "_1";
            String anon2 = "anon_" + u + "_2";
            java.util.ArrayDeque<String> story = new java.util.ArrayDeque<>();
            story.add(
                    event(
                            n++,
                            anon1,
                            "$pageview",
                            "{\"$set_once\":{\"$initial_os\":\"os" + (u % 3) + "\"}}"));
            story.add(event(n++, anon1, "$pageview", "{\"$set\":{\"plan\":\"free\"}}"));
            story.add(
                    event(
                            n++,
                            user,
                            "$identify",
                            "{\"$anon_distinct_id\":\""
                                    + anon1
                                    + "\",\"$set\":{\"email\":\""
                                    + u
                                    + "@x.io\"}}"));
            story.add(
                    event(
                            n++,
                            anon2,
                            "$pageview",
                            "{\"$set_once\":{\"$initial_os\":\"other\"},\"$set\":{\"visits\":1}}"));
            story.add(event(n++, user, "$create_alias", "{\"alias\":\"" + anon2 + "\"}"));
            story.add(
                    event(
                            n++,
                            user,
                            "$pageview",
                            "{\"$set\":{\"plan\":\"paid\",\"visits\":" + (2 + u % 5) + "}}"));
            story.add(event(n++, anon2, "clicked", "{\"$set\":{\"clicked\":true}}"));
            if (u % 4 == 0) {
                story.add(
                        event(
                                n++,
                                "user_" + ((u + 1) % users),
                                "$identify",
                                "{\"$anon_distinct_id\":\"" + user + "\"}"));
            }
            perUser.add(story);
        }
        List<String> messages = new ArrayList<>();
        while (!perUser.isEmpty()) {
            int pick = random.nextInt(perUser.size());
            messages.add(perUser.get(pick).poll());
            if (perUser.get(pick).isEmpty()) {
                perUser.remove(pick);
            }
        }
        return messages;
    }

    /** A message at fault in the given way; {@code n} makes it unique. */
    public static String faulty(Fault fault, int n) {
        String uuid = UUID.nameUUIDFromBytes(("faulty-" + n).getBytes()).toString();
        return switch (fault) {
            case NOT_JSON -> "not json " + n;
            case NO_TEAM ->
                    event(uuid, "user-" + n, 2, "e").replace("\"team_id\":2", "\"no_team\":" + n);
            case NON_NUMERIC_TEAM ->
                    event(uuid, "user-" + n, 2, "e")
                            .replace("\"team_id\":2", "\"team_id\":\"two\"");
            case INVALID_UUID -> event("not-a-uuid", "user-" + n, 2, "e" + n);
            case UNKNOWN_TEAM -> event(uuid, "user-" + n, 1337, "e");
        };
    }

    /**
     * {@code count} messages for team 2 of which every hundredth is at fault, cycling through the
     * faults; uuids are derived from {@code seed} so the same call gives the same messages.
     */
    public static List<String> stream(int count, String seed) {
        List<String> messages = new ArrayList<>(count);
        Fault[] faults = Fault.values();
        for (int i = 0; i < count; i++) {
            if (i % 100 == 99) {
                messages.add(faulty(faults[(i / 100) % faults.length], i));
            } else {
                String uuid = UUID.nameUUIDFromBytes((seed + "-" + i).getBytes()).toString();
                messages.add(
                        event(uuid, "user-" + (i % 50), 2, i % 3 == 0 ? "$pageview" : "clicked"));
            }
        }
        return messages;
    }
}
