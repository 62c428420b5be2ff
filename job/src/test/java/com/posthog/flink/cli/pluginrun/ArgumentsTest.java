package com.posthog.flink.cli.pluginrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The command line of {@code scripts/plugin-run}: defaults, and one sentence per mistake. */
class ArgumentsTest {

    @Test
    void defaultsAreTheProcessEventChainOnTheCurrentClockWithOneTick() {
        Arguments args = Arguments.parse(new String[] {"--plugin", "a"});

        assertThat(args.invoke()).isEqualTo(Arguments.Invoke.PROCESS_EVENT);
        assertThat(args.report()).isFalse();
        assertThat(args.now()).isNull();
        assertThat(args.ticks()).isOne();
        assertThat(args.fetchMock()).isNull();
    }

    @Test
    void optionsBelongToTheNearestPluginBeforeThem() {
        Arguments args =
                Arguments.parse(
                        new String[] {
                            "--plugin",
                            "a",
                            "--config",
                            "k=1",
                            "--plugin",
                            "b",
                            "--config",
                            "k=2=3",
                            "--attachment",
                            "x=file.txt:text/plain"
                        });

        assertThat(args.plugins().get(0).config().toString()).isEqualTo("{\"k\":\"1\"}");
        assertThat(args.plugins().get(1).config().toString()).isEqualTo("{\"k\":\"2=3\"}");
        assertThat(args.plugins().get(0).attachments()).isEmpty();
        assertThat(args.plugins().get(1).attachments())
                .containsExactly(new String[] {"x", "file.txt:text/plain"});
    }

    @Test
    void hooksTicksFormatAndClockAreRead() {
        Arguments args =
                Arguments.parse(
                        new String[] {
                            "--plugin",
                            "a",
                            "--invoke",
                            "runEveryHour",
                            "--ticks",
                            "3",
                            "--format",
                            "report",
                            "--now",
                            "2024-01-01T12:00:00"
                        });
        Arguments job = Arguments.parse(new String[] {"--plugin", "a", "--invoke", "job:send"});

        assertThat(args.invoke().hook()).isEqualTo(Arguments.Hook.RUN_EVERY_HOUR);
        assertThat(args.ticks()).isEqualTo(3);
        assertThat(args.report()).isTrue();
        assertThat(args.now()).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
        assertThat(job.invoke().method()).isEqualTo("job:send");
    }

    @Test
    void mistakesAreOneSentence() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--config", "k=v"}))
                .hasMessage("--config must follow a --plugin.");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--plugin"}))
                .hasMessage("--plugin needs a value.");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--plugin", "a", "--ticks", "0"}))
                .hasMessage("--ticks takes a whole number above 0, not '0'.");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--plugin", "a", "--ticks", "2"}))
                .hasMessageContaining("--ticks goes with --invoke runEveryMinute");
        assertThatThrownBy(
                        () -> Arguments.parse(new String[] {"--plugin", "a", "--invoke", "job:"}))
                .hasMessageContaining("needs a job name");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--plugin", "a", "--format", "xml"}))
                .hasMessage("--format is default or report, not 'xml'.");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--plugin", "a", "--bogus"}))
                .hasMessage("Unknown argument '--bogus'.");
        assertThatThrownBy(() -> Arguments.parse(new String[] {}))
                .hasMessage("Give at least one --plugin DIR|FILE.zip|FILE.tgz.");
    }
}
