package com.posthog.flink.plugin.corpus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;

/**
 * The input events of real-plugins.md: <b>B</b>, the event of the plugins' test utility {@code
 * createEvent()} (its documented defaults: no {@code properties}, no {@code uuid}), and <b>P</b>, a
 * typical web {@code $pageview} like its {@code createPageview()}. Each call gives a new object.
 */
final class Events {

    private Events() {}

    /** B with {@code changes} applied over it, as {@code {...defaults, ...changes}}. */
    static ObjectNode b(String changesJson) {
        ObjectNode event =
                object(
                        """
                        {"distinct_id": "007", "ip": "127.128.129.130",
                         "site_url": "http://localhost:8000/", "team_id": 13,
                         "now": "2020-11-26T12:58:57.367Z", "event": "EVENT_TYPE",
                         "sent_at": "2020-11-26T12:58:58.453Z",
                         "timestamp": "2020-11-26T12:58:58.453Z"}
                        """);
        event.setAll(object(changesJson));
        return event;
    }

    static ObjectNode b() {
        return b("{}");
    }

    /** P with {@code changes} applied over it. */
    static ObjectNode p(String changesJson) {
        ObjectNode event =
                b(
                        """
                        {"event": "$pageview", "properties": {
                          "$os": "Mac OS X", "$browser": "Chrome", "$device_type": "Desktop",
                          "$current_url": "https://posthog.com/docs/features/cohorts",
                          "$host": "posthog.com", "$pathname": "/docs/features/cohorts",
                          "$browser_version": 86, "$screen_height": 1120, "$screen_width": 1790,
                          "$viewport_height": 1006, "$viewport_width": 1790, "$lib": "web",
                          "$lib_version": "1.7.0-beta.1", "$insert_id": "a2f1s0rdzqh2nvys",
                          "$time": 1606383312.494, "distinct_id": "1759d1a5e1c3da-0d1a2b3c",
                          "$device_id": "1759d1a5e1c3da-0d1a2b3c",
                          "$initial_referrer": "$direct", "$initial_referring_domain": "$direct",
                          "$active_feature_flags": ["navigation-1775", "session-recording-player"],
                          "$referrer": "https://posthog.com/docs/features/actions",
                          "$referring_domain": "posthog.com"}}
                        """);
        event.setAll(object(changesJson));
        return event;
    }

    static ObjectNode object(String json) {
        try {
            return Json.parseObject(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }
}
