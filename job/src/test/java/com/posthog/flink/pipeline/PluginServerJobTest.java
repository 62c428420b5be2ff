package com.posthog.flink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The configuration the job adds before it runs on a local MiniCluster. */
class PluginServerJobTest {

    @Test
    void aLocalJobCheckpointsToFilesUnlessADirectoryIsConfigured() {
        Configuration defaults = PluginServerJob.withLocalCheckpointStorage(new Configuration());
        assertThat(defaults.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .matches("file:/.*/posthog-plugin-server/checkpoints/?");

        Configuration own = new Configuration();
        own.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///data/checkpoints");
        assertThat(
                        PluginServerJob.withLocalCheckpointStorage(own)
                                .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///data/checkpoints");
    }
}
