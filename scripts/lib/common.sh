# Shared by the scripts: building the job when its sources changed, and its class path.
# Needs ROOT set to the repository root.

JOB_TARGET="$ROOT/job/target"

# Rebuilds (without tests) when any source, resource, migration or pom is newer than the last build.
ensure_job_built() {
  local stamp="$JOB_TARGET/classpath-runtime.txt"
  if [[ -f "$stamp" && -f "$JOB_TARGET/classes/com/posthog/flink/cli/PluginServer.class" ]] \
     && [[ -z "$(find "$ROOT/job/src/main" "$ROOT/sql" "$ROOT/pom.xml" "$ROOT/job/pom.xml" -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
    return 0
  fi
  echo "Building the job (mvn process-classes)..." >&2
  if ! (cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests process-classes >&2); then
    echo "The build failed: run 'mvn -DskipTests process-classes' in $ROOT to see why." >&2
    exit 1
  fi
  touch "$stamp"
}

job_classpath() {
  echo "$JOB_TARGET/classes:$(cat "$JOB_TARGET/classpath-runtime.txt"):$(cat "$JOB_TARGET/classpath-provided.txt")"
}

# The module openings Flink's own launch scripts pass on Java 17.
flink_java_opts() {
  echo "-XX:+IgnoreUnrecognizedVMOptions \
--add-exports=java.base/sun.net.util=ALL-UNNAMED \
--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED \
--add-opens=java.base/java.time=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
}
