package com.posthog.flink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.cli.CommandLine.Mode;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void noArgumentsRunsTheJob() {
        assertThat(CommandLine.parse(new String[0]).mode()).isEqualTo(Mode.RUN);
    }

    @Test
    void modesFollowTheOriginalsPrecedence() {
        assertThat(CommandLine.parse(new String[] {"--migrate", "--version"}).mode())
                .isEqualTo(Mode.VERSION);
        assertThat(CommandLine.parse(new String[] {"--idle", "--help"}).mode())
                .isEqualTo(Mode.HELP);
        assertThat(
                        CommandLine.parse(new String[] {"--input-file", "f.jsonl", "--healthcheck"})
                                .mode())
                .isEqualTo(Mode.HEALTHCHECK);
        CommandLine file = CommandLine.parse(new String[] {"--input-file", "f.jsonl"});
        assertThat(file.mode()).isEqualTo(Mode.INPUT_FILE);
        assertThat(file.inputFile()).isEqualTo("f.jsonl");
    }

    @Test
    void dynamicPropertiesInBothForms() {
        CommandLine command =
                CommandLine.parse(
                        new String[] {"-Dplugin-server.task-timeout=5", "-D", "rest.port=9000"});

        assertThat(command.dynamic())
                .containsEntry("plugin-server.task-timeout", "5")
                .containsEntry("rest.port", "9000");
        assertThat(command.warnings()).isEmpty();
    }

    @Test
    void unknownArgumentsAreIgnoredWithAWarning() {
        CommandLine command = CommandLine.parse(new String[] {"--job-classname", "X", "-Dnovalue"});

        assertThat(command.mode()).isEqualTo(Mode.RUN);
        assertThat(command.warnings()).hasSize(3);
        assertThat(command.warnings().get(0)).contains("--job-classname");
    }
}
