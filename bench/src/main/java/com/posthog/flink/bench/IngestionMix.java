package com.posthog.flink.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * The event mix of {@code scripts/bench ingestion} (issue: event ingestion, speed): 20 teams, the
 * first with 30% of the events; 70% page views and autocaptures over 50,000 known distinct ids, 20%
 * events with {@code $set}, 8% from new distinct ids, 2% {@code $identify} or {@code
 * $create_alias}. Half the IPs are in the GeoIP test database, so the GeoIP plugin finds them.
 */
final class IngestionMix {

    static final int TEAMS = 20;
    static final long FIRST_TEAM = 100;
    private static final int KNOWN_IDS = 50_000;
    private static final String[] LOCATED_IPS = {
        "89.160.20.129", "81.2.69.142", "216.160.83.56", "2.125.160.216", "67.43.156.1"
    };
    private static final String[] PATHS = {"/", "/pricing", "/docs", "/blog/flink", "/signup"};
    private static final String[] CUSTOM = {"planSelected", "Checkout Started", "invite-sent"};

    private final Random random = new Random(42);
    private long sequence;

    /** The team of the next event: the first team 30%, the others 70% in equal parts. */
    private long team() {
        return random.nextInt(100) < 30 ? FIRST_TEAM : FIRST_TEAM + 1 + random.nextInt(TEAMS - 1);
    }

    /** One of the team's share of the 50,000 known distinct ids. */
    private String knownId(long team) {
        int perTeam = KNOWN_IDS / TEAMS;
        return "user-" + team + "-" + random.nextInt(perTeam);
    }

    String next() {
        long n = sequence++;
        long team = team();
        int kind = random.nextInt(100);
        String distinctId = kind >= 90 && kind < 98 ? "new-" + team + "-" + n : knownId(team);
        ObjectNode data = Json.MAPPER.createObjectNode();
        ObjectNode properties = data.putObject("properties");
        properties.put("distinct_id", distinctId);
        String path = PATHS[random.nextInt(PATHS.length)];
        properties.put("$current_url", "https://example.com" + path);
        properties.put("$pathname", path);
        properties.put("$browser", random.nextBoolean() ? "Chrome" : "Firefox");
        properties.put("$os", random.nextBoolean() ? "Mac OS X" : "Windows");
        properties.put("$lib", "web");
        ObjectNode cart = properties.putObject("cart");
        cart.putArray("items").add("a").add("b");
        cart.put("total", random.nextInt(100));
        if (kind < 40) {
            data.put("event", "$pageview");
        } else if (kind < 70) {
            data.put("event", "$autocapture");
            properties.put("$event_type", "click");
            ArrayNode elements = properties.putArray("$elements");
            elements.addObject()
                    .put("tag_name", "button")
                    .put("$el_text", "Sign up")
                    .put("attr__class", "btn primary")
                    .put("nth_child", 1)
                    .put("nth_of_type", 1);
            elements.addObject().put("tag_name", "div").put("nth_child", 2).put("nth_of_type", 1);
        } else if (kind < 98) { // 70–89 with $set, 90–97 from a new distinct id
            data.put("event", CUSTOM[random.nextInt(CUSTOM.length)]);
            if (kind < 90) {
                properties.putObject("$set").put("plan", "plan-" + random.nextInt(3));
                properties.putObject("$set_once").put("first_path", path);
            }
        } else if (kind == 98) {
            data.put("event", "$identify");
            properties.put("$anon_distinct_id", "anon-" + team + "-" + n);
            properties.putObject("$set").put("email", distinctId + "@example.com");
        } else {
            data.put("event", "$create_alias");
            properties.put("alias", "alias-" + team + "-" + n);
        }
        String now = Instant.now().toString();
        data.put("timestamp", now);
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("uuid", new UUID(random.nextLong(), random.nextLong()).toString());
        message.put("distinct_id", distinctId);
        message.put(
                "ip",
                random.nextBoolean()
                        ? LOCATED_IPS[random.nextInt(LOCATED_IPS.length)]
                        : "10.0." + random.nextInt(256) + "." + random.nextInt(256));
        message.put("site_url", "https://example.com");
        message.put("data", Json.write(data));
        message.put("team_id", team);
        message.put("now", now);
        message.put("sent_at", now);
        return Json.write(message);
    }
}
