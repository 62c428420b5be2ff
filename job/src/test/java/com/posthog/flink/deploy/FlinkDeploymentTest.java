package com.posthog.flink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.flink.config.PluginServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The example FlinkDeployment ({@code deploy/kubernetes/flink-deployment.yaml}) stays a valid
 * resource for the Flink Kubernetes Operator and stays in step with the project: the same Flink
 * settings as {@code flink-conf/config.yaml}, and only environment variables the job reads.
 *
 * <p>YAML is read with snakeyaml-engine (YAML 1.2), the parser Flink 2.0 itself uses for {@code
 * config.yaml}; it comes with flink-core.
 */
class FlinkDeploymentTest {

    // The fields of the operator's CRD reference ("Custom Resource Definition Reference",
    // flink-kubernetes-operator docs, docs/content/docs/custom-resource/reference.md, operator
    // 1.10-1.11; v2_0 joined FlinkVersion in operator 1.11).
    static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec");
    static final Set<String> DEPLOYMENT_SPEC_FIELDS =
            Set.of(
                    "job",
                    "restartNonce",
                    "flinkConfiguration",
                    "image",
                    "imagePullPolicy",
                    "serviceAccount",
                    "flinkVersion",
                    "ingress",
                    "podTemplate",
                    "jobManager",
                    "taskManager",
                    "logConfiguration",
                    "mode");
    static final Set<String> JOB_SPEC_FIELDS =
            Set.of(
                    "jarURI",
                    "parallelism",
                    "entryClass",
                    "args",
                    "state",
                    "savepointTriggerNonce",
                    "initialSavepointPath",
                    "initialStateReference",
                    "checkpointTriggerNonce",
                    "upgradeMode",
                    "allowNonRestoredState",
                    "savepointRedeployNonce",
                    "autoscalerResetNonce");
    static final Set<String> JOB_MANAGER_SPEC_FIELDS =
            Set.of("resource", "replicas", "podTemplate");
    static final Set<String> TASK_MANAGER_SPEC_FIELDS =
            Set.of("resource", "replicas", "podTemplate");
    static final Set<String> RESOURCE_SPEC_FIELDS = Set.of("cpu", "memory", "ephemeralStorage");
    static final Set<String> INGRESS_SPEC_FIELDS =
            Set.of("template", "className", "annotations", "labels", "tls");
    static final Set<String> FLINK_VERSIONS =
            Set.of("v1_16", "v1_17", "v1_18", "v1_19", "v1_20", "v2_0");
    static final Set<String> UPGRADE_MODES = Set.of("savepoint", "last-state", "stateless");
    static final Set<String> JOB_STATES = Set.of("running", "suspended");
    static final Set<String> DEPLOYMENT_MODES = Set.of("native", "standalone");

    /**
     * The container of a pod template the operator merges into its own (operator docs, "Pod
     * template").
     */
    static final String MAIN_CONTAINER = "flink-main-container";

    /** Left to {@code spec.job.parallelism}, which the operator sets as the job's parallelism. */
    static final Set<String> CONFIG_KEYS_SET_ELSEWHERE = Set.of("parallelism.default");

    static Path root;
    static Map<String, Object> deployment;
    static Map<String, Object> spec;

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        deployment = map(loadYaml(root.resolve("deploy/kubernetes/flink-deployment.yaml")));
        spec = map(deployment.get("spec"));
    }

    @Test
    void isAFlinkDeploymentOfTheOperatorApi() {
        assertThat(deployment.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.get("kind")).isEqualTo("FlinkDeployment");
        assertThat(map(deployment.get("metadata"))).containsKey("name");
    }

    @Test
    void usesOnlyDocumentedFields() {
        assertThat(deployment.keySet()).isSubsetOf(RESOURCE_FIELDS);
        assertThat(spec.keySet()).isSubsetOf(DEPLOYMENT_SPEC_FIELDS);
        assertThat(map(spec.get("job")).keySet()).isSubsetOf(JOB_SPEC_FIELDS);
        if (spec.containsKey("ingress")) {
            assertThat(map(spec.get("ingress")).keySet()).isSubsetOf(INGRESS_SPEC_FIELDS);
        }
        for (String manager : List.of("jobManager", "taskManager")) {
            Map<String, Object> managerSpec = map(spec.get(manager));
            assertThat(managerSpec.keySet())
                    .as(manager)
                    .isSubsetOf(
                            manager.equals("jobManager")
                                    ? JOB_MANAGER_SPEC_FIELDS
                                    : TASK_MANAGER_SPEC_FIELDS);
            if (managerSpec.containsKey("resource")) {
                assertThat(map(managerSpec.get("resource")).keySet())
                        .as(manager + ".resource")
                        .isSubsetOf(RESOURCE_SPEC_FIELDS);
            }
        }
        assertThat(FLINK_VERSIONS).contains((String) spec.get("flinkVersion"));
        assertThat(spec.get("flinkVersion")).isEqualTo("v2_0");
        if (spec.containsKey("mode")) {
            assertThat(DEPLOYMENT_MODES).contains((String) spec.get("mode"));
        }
        Map<String, Object> job = map(spec.get("job"));
        assertThat(UPGRADE_MODES).contains((String) job.get("upgradeMode"));
        assertThat(JOB_STATES).contains((String) job.get("state"));
        // flinkConfiguration is Map<String, String>: a bare YAML number or boolean is not a string
        map(spec.get("flinkConfiguration"))
                .forEach(
                        (key, value) ->
                                assertThat(value)
                                        .as("flinkConfiguration " + key + " must be a string")
                                        .isInstanceOf(String.class));
    }

    @Test
    void runsTheJobJarWithSavepointUpgrades() {
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/plugin-server-job.jar");
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertThat(job.get("parallelism")).isInstanceOf(Integer.class);
        if (job.containsKey("entryClass")) {
            assertThat(job.get("entryClass")).isEqualTo("com.posthog.flink.cli.PluginServer");
        }
    }

    @Test
    void flinkConfigurationAgreesWithTheRepositoryConfig() throws IOException {
        Map<String, String> repoConfig =
                flatten(map(loadYaml(root.resolve("flink-conf/config.yaml"))));
        Map<String, Object> flinkConfiguration = map(spec.get("flinkConfiguration"));

        List<String> different = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        repoConfig.forEach(
                (key, value) -> {
                    if (flinkConfiguration.containsKey(key)) {
                        if (!value.equals(String.valueOf(flinkConfiguration.get(key)))) {
                            different.add(
                                    key
                                            + ": config.yaml "
                                            + value
                                            + ", FlinkDeployment "
                                            + flinkConfiguration.get(key));
                        }
                    } else if (!CONFIG_KEYS_SET_ELSEWHERE.contains(key)) {
                        missing.add(key);
                    }
                });
        assertThat(different).as("keys with another value than in config.yaml").isEmpty();
        assertThat(missing).as("config.yaml keys the FlinkDeployment lacks").isEmpty();
    }

    @Test
    void graalJsIsLoadedParentFirstAndCompiledOnTheTaskManagers() {
        Map<String, Object> flinkConfiguration = map(spec.get("flinkConfiguration"));
        assertThat((String) flinkConfiguration.get("classloader.parent-first-patterns.additional"))
                .contains("org.graalvm.", "com.oracle.truffle.");
        assertThat((String) flinkConfiguration.get("env.java.opts.taskmanager"))
                .contains("-XX:+EnableJVMCI", "--upgrade-module-path=")
                .contains(
                        "/opt/flink/lib/compiler-",
                        "/opt/flink/lib/collections-",
                        "/opt/flink/lib/word-",
                        "/opt/flink/lib/truffle-compiler-");
    }

    @Test
    void podTemplatesSetOnlySettingsTheJobKnows() {
        Set<String> known =
                PluginServerOptions.ALL.stream()
                        .map(PluginServerOptions::envNameOf)
                        .collect(Collectors.toSet());
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> template : podTemplates()) {
            assertThat(template.get("kind")).isEqualTo("Pod");
            for (Map<String, Object> container : containers(template)) {
                for (Object entry : list(container.getOrDefault("env", List.of()))) {
                    Map<String, Object> env = map(entry);
                    String name = (String) env.get("name");
                    used.add(name);
                    if (env.containsKey("value")) {
                        assertThat(env.get("value"))
                                .as("value of " + name + " (Kubernetes wants a string)")
                                .isInstanceOf(String.class);
                    } else {
                        assertThat(env)
                                .as(name + " has a value or valueFrom")
                                .containsKey("valueFrom");
                    }
                }
            }
        }
        assertThat(used).as("environment variables of the pod templates").isNotEmpty();
        assertThat(used).as("settings the job does not know").isSubsetOf(known);
        assertThat(used).contains("KAFKA_HOSTS", "DATABASE_URL", "REDIS_URL", "CLICKHOUSE_HOST");
    }

    @Test
    void theTaskManagersLivenessProbeIsTheJobsHealthCheck() {
        Map<String, Object> template = map(map(spec.get("taskManager")).get("podTemplate"));
        Map<String, Object> main =
                containers(template).stream()
                        .filter(c -> MAIN_CONTAINER.equals(c.get("name")))
                        .findFirst()
                        .orElseThrow();
        Map<String, Object> probe = map(main.get("livenessProbe"));
        String command = String.join(" ", strings(map(probe.get("exec")).get("command")));
        assertThat(command)
                .contains("com.posthog.flink.cli.PluginServer", "--healthcheck")
                .contains("/opt/flink/usrlib/plugin-server-job.jar");
        // the probe must outlast a slow first checkpoint before it counts failures
        int tolerated =
                (Integer) probe.get("initialDelaySeconds")
                        + (Integer) probe.get("periodSeconds")
                                * (Integer) probe.get("failureThreshold");
        assertThat(tolerated).isGreaterThanOrEqualTo(120);
    }

    // ------------------------------------------------------------------------------------------

    private static List<Map<String, Object>> podTemplates() {
        List<Map<String, Object>> templates = new ArrayList<>();
        if (spec.containsKey("podTemplate")) {
            templates.add(map(spec.get("podTemplate")));
        }
        for (String manager : List.of("jobManager", "taskManager")) {
            Map<String, Object> managerSpec = map(spec.get(manager));
            if (managerSpec.containsKey("podTemplate")) {
                templates.add(map(managerSpec.get("podTemplate")));
            }
        }
        return templates;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> podTemplate) {
        Map<String, Object> podSpec = map(podTemplate.get("spec"));
        List<Map<String, Object>> result = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            for (Object container : list(podSpec.getOrDefault(field, List.of()))) {
                result.add(map(container));
            }
        }
        return result;
    }

    /** Nested maps to Flink's dotted keys; values as Flink reads them, as strings. */
    static Map<String, String> flatten(Map<String, Object> yaml) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", yaml, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<String, Object> yaml, Map<String, String> out) {
        yaml.forEach(
                (key, value) -> {
                    String full = prefix.isEmpty() ? key : prefix + "." + key;
                    if (value instanceof Map<?, ?>) {
                        flatten(full, map(value), out);
                    } else if (value != null) {
                        out.put(full, String.valueOf(value));
                    }
                });
    }

    static Object loadYaml(Path file) throws IOException {
        Load load = new Load(LoadSettings.builder().setLabel(file.toString()).build());
        return load.loadFromString(Files.readString(file));
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("flink-conf/config.yaml"))
                    && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "repository root not found above " + Path.of("").toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    static List<?> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<?>) value;
    }

    static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).collect(Collectors.toList());
    }
}
