package com.posthog.flink.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** Builds kombu messages as Celery's {@code send_task} LPUSHes them to a Redis list. */
public final class CeleryTasks {

    public static final String PLUGIN_JOB = "posthog.tasks.plugins.plugin_job";

    private CeleryTasks() {}

    /** Protocol v2: the task in the headers, the body {@code [args, {}, embed]}. */
    public static String v2(String task, String argsJson) {
        String id = UUID.randomUUID().toString();
        ObjectNode message = envelope("[" + argsJson + ", {}, {\"callbacks\": null}]");
        message.putObject("headers")
                .put("lang", "py")
                .put("task", task)
                .put("id", id)
                .put("root_id", id)
                .put("argsrepr", argsJson);
        return Json.write(message);
    }

    /** Protocol v1: no task in the headers, the body {@code {task, id, args, kwargs}}. */
    public static String v1(String task, String argsJson) {
        String body =
                "{\"task\": \""
                        + task
                        + "\", \"id\": \""
                        + UUID.randomUUID()
                        + "\", \"args\": "
                        + argsJson
                        + ", \"kwargs\": {}}";
        ObjectNode message = envelope(body);
        message.putObject("headers");
        return Json.write(message);
    }

    /** {@code plugin_job(team, configId, type, jobOp, payload)} in protocol v2. */
    public static String pluginJob(long team, long configId, String type, String payloadJson) {
        return v2(
                PLUGIN_JOB,
                "["
                        + team
                        + ", "
                        + configId
                        + ", \""
                        + type
                        + "\", \"start\", "
                        + payloadJson
                        + "]");
    }

    private static ObjectNode envelope(String bodyJson) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put(
                "body",
                Base64.getEncoder().encodeToString(bodyJson.getBytes(StandardCharsets.UTF_8)));
        message.put("content-encoding", "utf-8");
        message.put("content-type", "application/json");
        message.putObject("properties")
                .put("correlation_id", UUID.randomUUID().toString())
                .put("body_encoding", "base64")
                .put("delivery_tag", UUID.randomUUID().toString())
                .put("priority", 0)
                .putObject("delivery_info")
                .put("exchange", "")
                .put("routing_key", "posthog-plugins");
        return message;
    }
}
