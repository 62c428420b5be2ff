package com.posthog.flink.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, from the Maven project version. */
public final class Version {

    public static final String VERSION = load();

    private Version() {}

    private static String load() {
        try (InputStream in =
                Version.class
                        .getClassLoader()
                        .getResourceAsStream("plugin-server-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
