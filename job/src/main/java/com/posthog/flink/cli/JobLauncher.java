package com.posthog.flink.cli;

import com.posthog.flink.config.PluginServerOptions;
import com.posthog.flink.config.Settings;
import com.posthog.flink.health.HealthPingOperator;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.Outputs;
import com.posthog.flink.pipeline.PluginServerJob;
import com.posthog.flink.plugin.PluginControl;
import com.posthog.flink.plugin.celery.CeleryPluginJobs;
import com.posthog.flink.sink.Sinks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds the execution environment for a mode and runs the topology in it. */
final class JobLauncher {

    static final String JOB_NAME = "PostHog plugin server";

    private JobLauncher() {}

    /** The unbounded job on Kafka; in a local run, with the web UI on {@code rest.port} (8081). */
    static int runStreaming(
            Settings settings, Configuration fileConfig, Map<String, String> dynamic) {
        String problem = Preflight.check(settings, true, true);
        if (problem != null) {
            System.err.println(problem);
            return 1;
        }
        Configuration conf = flinkConfiguration(fileConfig, dynamic);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment) {
            if (!conf.contains(RestOptions.PORT) && !conf.contains(RestOptions.BIND_PORT)) {
                conf.set(RestOptions.PORT, 8081);
            }
            PluginServerJob.withLocalCheckpointStorage(conf);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(settings.localParallelism());
            System.out.println("Flink web UI: http://localhost:" + conf.get(RestOptions.PORT));
        }
        env.enableCheckpointing(
                (long) (settings.number(PluginServerOptions.CHECKPOINT_INTERVAL_SECONDS) * 1000));

        PluginServerJob.defineWorkflow(
                Inputs.kafka(env, settings),
                PluginControl.stream(env, settings),
                CeleryPluginJobs.stream(env, settings),
                settings,
                new Sinks(settings));
        HealthPingOperator.attach(env, settings.redisUrl());
        try {
            env.execute(JOB_NAME);
            return 0;
        } catch (Exception e) {
            System.err.println("The job failed: " + Preflight.rootMessage(e));
            return 1;
        }
    }

    /** The same topology over a file, bounded, without a web UI; prints the summary line. */
    static int runInputFile(
            Settings settings, Configuration fileConfig, Map<String, String> dynamic, String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            System.err.println("input-file: cannot read " + file + ": no such readable file.");
            return 2;
        }
        String problem = Preflight.check(settings, true, false);
        if (problem != null) {
            System.err.println(problem);
            return 1;
        }
        Configuration conf = flinkConfiguration(fileConfig, dynamic);
        conf.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        settings.localParallelism(), conf);
        PluginServerJob.defineWorkflow(
                Inputs.file(env, path.toAbsolutePath().toString()), settings, new Sinks(settings));
        try {
            JobExecutionResult result = env.execute(JOB_NAME + " (input file)");
            System.out.println(
                    "input-file: lines="
                            + count(result, Outputs.LINES)
                            + " ingested="
                            + count(result, Outputs.INGESTED)
                            + " dropped="
                            + count(result, Outputs.DROPPED)
                            + " dead_letters="
                            + count(result, Outputs.DEAD_LETTER_COUNT));
            return 0;
        } catch (Exception e) {
            System.err.println("input-file: the job failed: " + Preflight.rootMessage(e));
            return 1;
        }
    }

    private static long count(JobExecutionResult result, String accumulator) {
        Object value = result.getAccumulatorResult(accumulator);
        return value instanceof Number number ? number.longValue() : 0;
    }

    /**
     * config.yaml plus the {@code -D} keys that are Flink's own, and the rules that keep savepoints
     * usable: explicit uids only, no Kryo, a fixed max parallelism.
     */
    static Configuration flinkConfiguration(Configuration fileConfig, Map<String, String> dynamic) {
        Configuration conf = new Configuration(fileConfig);
        dynamic.forEach(
                (key, value) -> {
                    if (!key.startsWith(PluginServerOptions.KEY_PREFIX)) {
                        conf.setString(key, value);
                    }
                });
        return PluginServerJob.withUpgradeRules(conf);
    }
}
