package com.posthog.flink.cli;

import com.posthog.flink.cli.pluginrun.Arguments;
import com.posthog.flink.cli.pluginrun.Harness;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code scripts/plugin-run}: runs plugins offline with the job's own runtime, over JSON lines on
 * standard input (CONTRACTS.md); the harness itself is in {@code cli.pluginrun}. Exit codes: 0
 * done, 1 a usage mistake or a failing service, 2 a plugin failed to load or set up, 3 a bad input
 * line.
 */
public final class PluginRun {

    private PluginRun() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("plugin-run: " + e.getMessage());
            err.println(Arguments.USAGE);
            return Harness.USAGE;
        }
        try {
            return Harness.run(arguments, in, out, err);
        } catch (Exception e) {
            err.println("plugin-run: " + Preflight.rootMessage(e));
            return Harness.USAGE;
        }
    }
}
