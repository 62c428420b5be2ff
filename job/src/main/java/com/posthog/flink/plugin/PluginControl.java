package com.posthog.flink.plugin;

import com.posthog.flink.config.Settings;
import com.posthog.flink.db.PostgresClient;
import com.posthog.flink.event.PipelineEvent;
import com.posthog.flink.pipeline.Inputs;
import com.posthog.flink.pipeline.Uids;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The keyed control stream of DESIGN.md: once a minute, a control record for every team with plugin
 * configs in force, so that the plugin stage (keyed by team) starts a team's schedules even when
 * the team sends no events. Parallelism 1; the records are keyed with the events.
 */
public final class PluginControl {

    static final long INTERVAL_MILLIS = 60_000;

    /** The teams of the configs in force, with the filter of the plugin loader (spec §1.1). */
    static final String TEAMS_WITH_PLUGINS =
            "SELECT DISTINCT pc.team_id FROM posthog_pluginconfig pc"
                    + " JOIN posthog_team t ON t.id = pc.team_id"
                    + " JOIN posthog_organization o ON o.id = t.organization_id"
                    + " JOIN posthog_plugin p ON p.id = pc.plugin_id"
                    + " WHERE pc.enabled AND o.plugins_access_level > 0"
                    + " AND (p.organization_id = o.id OR p.is_global)";

    private PluginControl() {}

    public static DataStream<PipelineEvent> stream(
            StreamExecutionEnvironment env, Settings settings) {
        return Inputs.ticks(env, INTERVAL_MILLIS, "Plugin control ticks", Uids.PLUGIN_CONTROL_TICKS)
                .flatMap(new TeamsWithPlugins(settings))
                .returns(TypeInformation.of(PipelineEvent.class))
                .name("Teams with plugins")
                .uid(Uids.PLUGIN_CONTROL)
                .setParallelism(1);
    }

    /** On each tick, a control record per team with plugin configs. */
    static final class TeamsWithPlugins extends RichFlatMapFunction<Long, PipelineEvent> {

        private static final long serialVersionUID = 1L;

        private final Settings settings;
        private transient PostgresClient postgres;

        TeamsWithPlugins(Settings settings) {
            this.settings = settings;
        }

        @Override
        public void open(OpenContext openContext) {
            postgres = new PostgresClient(settings.postgres());
        }

        @Override
        public void flatMap(Long tick, Collector<PipelineEvent> out) throws Exception {
            List<Long> teams =
                    postgres.execute(
                            c -> {
                                List<Long> ids = new ArrayList<>();
                                try (Statement s = c.createStatement();
                                        ResultSet rows = s.executeQuery(TEAMS_WITH_PLUGINS)) {
                                    while (rows.next()) {
                                        ids.add(rows.getLong(1));
                                    }
                                }
                                return ids;
                            });
            teams.forEach(team -> out.collect(PipelineEvent.control(team)));
        }

        @Override
        public void close() {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
