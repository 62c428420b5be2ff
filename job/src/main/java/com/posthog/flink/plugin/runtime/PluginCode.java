package com.posthog.flink.plugin.runtime;

import java.util.Map;

/**
 * The code of one plugin as loaded (spec §1.2): its files by path relative to the plugin's root
 * (e.g. {@code index.js}, {@code lib/util.js}, {@code plugin.json}), and the entry file among them.
 *
 * @param name the plugin's name, for error messages
 * @param entry the entry file ({@code plugin.json} {@code main}, else {@code index.js}; {@code
 *     index.ts} for TypeScript; {@code source} plugins use {@code index.ts}, as the original
 *     compiled them under that name)
 * @param files every file of the plugin, UTF-8 text
 */
public record PluginCode(String name, String entry, Map<String, String> files) {}
