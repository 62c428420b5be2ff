package com.posthog.flink.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns a message of {@code events_plugin_ingestion} into a {@link PipelineEvent} (spec §3.1):
 * {@code event = {...outerFieldsExceptData, ...JSON.parse(data)}}, keys inside {@code data}
 * winning, then {@code site_url ||= null}, {@code ip ||= null} and {@code distinct_id =
 * String(distinct_id)}.
 */
public final class MessageParser {

    private MessageParser() {}

    public static PipelineEvent parse(String raw, long offset) throws MalformedMessageException {
        ObjectNode outer;
        try {
            outer = Json.parseObject(raw);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("the message is not a JSON object");
        }

        JsonNode data = outer.get("data");
        ObjectNode inner;
        if (data == null || data.isNull()) {
            throw new MalformedMessageException("the message has no data");
        } else if (data.isObject()) {
            inner = (ObjectNode) data;
        } else if (data.isTextual()) {
            try {
                inner = Json.parseObject(data.textValue());
            } catch (JsonProcessingException e) {
                throw new MalformedMessageException("data is not a JSON object");
            }
        } else {
            throw new MalformedMessageException("data is not a JSON object");
        }

        ObjectNode event = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = outer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("data")) {
                event.set(field.getKey(), field.getValue());
            }
        }
        event.setAll(inner);

        long teamId = teamId(event.get("team_id"));
        event.put("team_id", teamId);
        if (!Json.truthy(event.get("site_url"))) {
            event.putNull("site_url");
        }
        if (!Json.truthy(event.get("ip"))) {
            event.putNull("ip");
        }
        event.put("distinct_id", Json.jsString(event.get("distinct_id")));
        return new PipelineEvent(teamId, Json.write(event), raw, offset);
    }

    private static long teamId(JsonNode node) throws MalformedMessageException {
        if (node == null || node.isNull()) {
            throw new MalformedMessageException("the message has no team_id");
        }
        BigDecimal value;
        try {
            if (node.isNumber()) {
                value = node.decimalValue();
            } else if (node.isTextual()) {
                value = new BigDecimal(node.textValue().trim());
            } else {
                throw new NumberFormatException();
            }
            return value.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MalformedMessageException("team_id is not an integer: " + Json.write(node));
        }
    }
}
