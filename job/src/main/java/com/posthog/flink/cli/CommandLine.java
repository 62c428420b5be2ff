package com.posthog.flink.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of {@code scripts/plugin-server}: one mode (the first given wins, in the order of
 * spec §6.1), {@code -Dkey=value} pairs, and warnings for anything else.
 */
public record CommandLine(
        Mode mode, String inputFile, Map<String, String> dynamic, List<String> warnings) {

    public enum Mode {
        HELP,
        VERSION,
        HEALTHCHECK,
        MIGRATE,
        IDLE,
        INPUT_FILE,
        RUN
    }

    public static CommandLine parse(String[] args) {
        Mode mode = Mode.RUN;
        String inputFile = null;
        Map<String, String> dynamic = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            Mode given = null;
            switch (arg) {
                case "-h", "--help" -> given = Mode.HELP;
                case "-v", "--version" -> given = Mode.VERSION;
                case "--healthcheck" -> given = Mode.HEALTHCHECK;
                case "--migrate" -> given = Mode.MIGRATE;
                case "--idle" -> given = Mode.IDLE;
                case "--input-file" -> {
                    if (i + 1 < args.length) {
                        given = Mode.INPUT_FILE;
                        inputFile = args[++i];
                    } else {
                        warnings.add("--input-file needs a file name; ignored");
                    }
                }
                default -> {
                    if (arg.startsWith("-D") && arg.length() > 2) {
                        addDynamic(arg.substring(2), dynamic, warnings);
                    } else if (arg.equals("-D") && i + 1 < args.length) {
                        addDynamic(args[++i], dynamic, warnings);
                    } else {
                        warnings.add("Unknown argument '" + arg + "' is ignored");
                    }
                }
            }
            if (given != null && given.ordinal() < mode.ordinal()) {
                mode = given;
            }
        }
        return new CommandLine(mode, inputFile, dynamic, warnings);
    }

    private static void addDynamic(
            String pair, Map<String, String> dynamic, List<String> warnings) {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
            warnings.add("Argument -D" + pair + " is not key=value; ignored");
            return;
        }
        dynamic.put(pair.substring(0, equals).trim(), pair.substring(equals + 1));
    }
}
