package com.posthog.flink.plugin.celery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posthog.flink.event.MalformedMessageException;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.testing.CeleryTasks;
import org.junit.jupiter.api.Test;

/** Reading {@code plugin_job} tasks from kombu messages (spec §3.1). */
class CeleryMessagesTest {

    private static final String ARGS =
            "[2, 7, \"Export historical events\", \"start\", {\"dateFrom\": \"2021-10-01\"}]";

    @Test
    void aProtocolV2PluginJobIsAJobOfTheTeamWithTheOperationInThePayload() throws Exception {
        PipelineEvent record =
                CeleryMessages.pluginJob(CeleryTasks.v2(CeleryTasks.PLUGIN_JOB, ARGS));

        assertThat(record.isControl()).isTrue();
        assertThat(record.teamId).isEqualTo(2);
        assertThat(record.job.configId).isEqualTo(7);
        assertThat(record.job.name).isEqualTo("Export historical events");
        assertThat(record.job.payloadJson)
                .isEqualTo("{\"dateFrom\":\"2021-10-01\",\"$operation\":\"start\"}");
        assertThat(record.job.retries).isZero();
    }

    @Test
    void aProtocolV1PluginJobReadsTheSame() throws Exception {
        PipelineEvent record =
                CeleryMessages.pluginJob(CeleryTasks.v1(CeleryTasks.PLUGIN_JOB, ARGS));

        assertThat(record.teamId).isEqualTo(2);
        assertThat(record.job.configId).isEqualTo(7);
        assertThat(record.job.payloadJson)
                .isEqualTo("{\"dateFrom\":\"2021-10-01\",\"$operation\":\"start\"}");
    }

    @Test
    void theJobIdIsDerivedFromTheMessage() throws Exception {
        String message = CeleryTasks.v2(CeleryTasks.PLUGIN_JOB, ARGS);
        String other = CeleryTasks.v2(CeleryTasks.PLUGIN_JOB, ARGS);

        assertThat(CeleryMessages.pluginJob(message).job.id)
                .isEqualTo(CeleryMessages.pluginJob(message).job.id)
                .isNotEqualTo(CeleryMessages.pluginJob(other).job.id);
    }

    @Test
    void anOperationOverridesThePayloadsOwn() throws Exception {
        PipelineEvent record =
                CeleryMessages.pluginJob(
                        CeleryTasks.v2(
                                CeleryTasks.PLUGIN_JOB,
                                "[2, 7, \"x\", \"stop\", {\"$operation\": \"start\"}]"));

        assertThat(record.job.payloadJson).isEqualTo("{\"$operation\":\"stop\"}");
    }

    @Test
    void anotherTaskHasNoHandler() {
        String event =
                CeleryTasks.v2(
                        "posthog.tasks.process_event.process_event_with_plugins",
                        "[\"d\", null, null, {}, 2, \"now\", \"now\"]");

        assertThatThrownBy(() -> CeleryMessages.pluginJob(event))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage(
                        "Missing process handler for task posthog.tasks.process_event.process_event_with_plugins");
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        String v2 = CeleryTasks.v2(CeleryTasks.PLUGIN_JOB, ARGS);
        assertMalformed("not json", "The message is not a JSON object");
        assertMalformed(
                v2.replace("application/json", "application/x-python-serialize"),
                "Unsupported content type application/x-python-serialize");
        assertMalformed(v2.replace("utf-8", "binary"), "Unsupported content encoding binary");
        assertMalformed(v2.replace("\"base64\"", "\"base32\""), "Unsupported body encoding base32");
        assertMalformed(
                "{\"body\": \"%%%\", \"content-type\": \"application/json\","
                        + " \"content-encoding\": \"utf-8\", \"properties\": {\"body_encoding\": \"base64\"}}",
                "The body is not base64: Illegal base64 character 25");
        assertMalformed(
                "{\"body\": \"[1,\", \"content-type\": \"application/json\","
                        + " \"content-encoding\": \"utf-8\", \"headers\": {\"task\": \"t\"}}",
                "The body is not JSON");
        assertMalformed(
                "{\"body\": \"{}\", \"content-type\": \"application/json\","
                        + " \"content-encoding\": \"utf-8\"}",
                "The message names no task");
        assertMalformed(
                CeleryTasks.v2(CeleryTasks.PLUGIN_JOB, "[2, \"seven\", \"x\", \"start\", {}]"),
                "plugin_job wants the arguments (pluginConfigTeam, pluginConfigId, type, jobOp, payload object), got [2,\"seven\",\"x\",\"start\",{}]");
        assertMalformed(
                CeleryTasks.v2(CeleryTasks.PLUGIN_JOB, "[2, 7, \"x\", \"start\"]"),
                "plugin_job wants the arguments (pluginConfigTeam, pluginConfigId, type, jobOp, payload object), got [2,7,\"x\",\"start\"]");
    }

    private static void assertMalformed(String message, String reason) {
        assertThatThrownBy(() -> CeleryMessages.pluginJob(message))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage(reason);
    }
}
