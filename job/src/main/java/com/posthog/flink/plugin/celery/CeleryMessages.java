package com.posthog.flink.plugin.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.posthog.flink.event.Json;
import com.posthog.flink.event.MalformedMessageException;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.plugin.PendingJob;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Reads the kombu messages the PostHog app LPUSHes to {@code PLUGINS_CELERY_QUEUE} (spec §3.1):
 * {@code {body, content-type, content-encoding, headers, properties}}, the body JSON (base64 when
 * {@code properties.body_encoding} says so). Protocol v2 names the task in {@code headers.task} and
 * sends {@code [args, kwargs, embed]}; protocol v1 sends {@code {task, args, kwargs}}.
 */
public final class CeleryMessages {

    /** The one task the job handles; Celery event ingestion is out of scope (CONTRACTS.md). */
    public static final String PLUGIN_JOB = "posthog.tasks.plugins.plugin_job";

    private CeleryMessages() {}

    /**
     * {@code plugin_job(pluginConfigTeam, pluginConfigId, type, jobOp, payload)} as a job record
     * for the team: job {@code type} of the config, with {@code {...payload, $operation: jobOp}},
     * due now. Its id is derived from the message, so a message delivered twice while its job waits
     * is one job.
     *
     * @throws MalformedMessageException when the message is not a kombu JSON message, or not a
     *     well-formed {@code plugin_job} ({@code Missing process handler for task X} for another
     *     task, as the original)
     */
    public static PipelineEvent pluginJob(String raw) throws MalformedMessageException {
        ObjectNode message = object(raw);
        String contentType = message.path("content-type").asText();
        if (!"application/json".equals(contentType)) {
            throw new MalformedMessageException("Unsupported content type " + contentType);
        }
        String encoding = message.path("content-encoding").asText();
        if (!"utf-8".equalsIgnoreCase(encoding)) {
            throw new MalformedMessageException("Unsupported content encoding " + encoding);
        }
        JsonNode body = body(message);
        JsonNode headerTask = message.path("headers").path("task");
        boolean v2 = headerTask.isTextual();
        String task = v2 ? headerTask.textValue() : body.path("task").asText(null);
        if (task == null) {
            throw new MalformedMessageException("The message names no task");
        }
        if (!PLUGIN_JOB.equals(task)) {
            throw new MalformedMessageException("Missing process handler for task " + task);
        }
        JsonNode args = v2 ? body.path(0) : body.path("args");
        JsonNode team = args.path(0);
        JsonNode configId = args.path(1);
        JsonNode type = args.path(2);
        JsonNode payload = args.path(4);
        if (!team.canConvertToExactIntegral()
                || !configId.canConvertToExactIntegral()
                || !type.isTextual()
                || !payload.isObject()) {
            throw new MalformedMessageException(
                    "plugin_job wants the arguments (pluginConfigTeam, pluginConfigId, type, jobOp, payload object), got "
                            + Json.write(args));
        }
        ObjectNode withOperation = ((ObjectNode) payload).deepCopy();
        withOperation.set("$operation", args.get(3));
        String id =
                UUID.nameUUIDFromBytes(("celery\n" + raw).getBytes(StandardCharsets.UTF_8))
                        .toString();
        return PipelineEvent.job(
                team.longValue(),
                new PendingJob(
                        id, configId.longValue(), type.textValue(), Json.write(withOperation), 0));
    }

    /** The decoded body: base64 when {@code properties.body_encoding} is, else the text itself. */
    private static JsonNode body(ObjectNode message) throws MalformedMessageException {
        JsonNode body = message.path("body");
        if (!body.isTextual()) {
            throw new MalformedMessageException("The message has no body");
        }
        String bodyEncoding = message.path("properties").path("body_encoding").asText("");
        String text;
        if ("base64".equals(bodyEncoding)) {
            try {
                text =
                        new String(
                                Base64.getDecoder().decode(body.textValue()),
                                StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("The body is not base64: " + e.getMessage());
            }
        } else if (bodyEncoding.isEmpty()) {
            text = body.textValue();
        } else {
            throw new MalformedMessageException("Unsupported body encoding " + bodyEncoding);
        }
        try {
            return Json.parse(text);
        } catch (Exception e) {
            throw new MalformedMessageException("The body is not JSON");
        }
    }

    private static ObjectNode object(String raw) throws MalformedMessageException {
        try {
            return Json.parseObject(raw);
        } catch (Exception e) {
            throw new MalformedMessageException("The message is not a JSON object");
        }
    }
}
