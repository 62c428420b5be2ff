# shellcheck shell=bash disable=SC2034
# Shared by scripts/flink-cluster, scripts/submit, scripts/upgrade and scripts/bench (the JIT jars): where the standalone session
# cluster lives, the Flink CLI, and small REST helpers. Needs ROOT set to the repository root and
# scripts/lib/common.sh sourced (flink_java_opts).
#
# Nothing here writes into the repository: the Flink jars are cached in
# ${XDG_CACHE_HOME:-~/.cache}/posthog-flink/flink-2.0.2/lib, the cluster's conf, logs, pid files,
# checkpoints and savepoints live in ${POSTHOG_FLINK_CLUSTER_DIR:-/var/tmp/posthog-flink-cluster}.

FLINK_VERSION=2.0.2
CLUSTER_DIR="${POSTHOG_FLINK_CLUSTER_DIR:-/var/tmp/posthog-flink-cluster}"
CLUSTER_CONF="$CLUSTER_DIR/conf"
CLUSTER_LOGS="$CLUSTER_DIR/logs"
CLUSTER_RUN="$CLUSTER_DIR/run"
CLUSTER_CHECKPOINTS="$CLUSTER_DIR/checkpoints"
CLUSTER_SAVEPOINTS="$CLUSTER_DIR/savepoints"
FLINK_LIB="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/posthog-flink/flink-$FLINK_VERSION/lib"
REST_PORT=8081
WEB_UI="http://localhost:$REST_PORT"
JOB_JAR_DEFAULT="$ROOT/job/target/plugin-server-job-0.1.0-SNAPSHOT.jar"

CLUSTER_LIB_SRC="$ROOT/scripts/lib/cluster"
JIT_JARS=(compiler collections word truffle-compiler)

cluster_die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# The Flink and GraalJS jars (with the Graal JIT) in FLINK_LIB, fetched with Maven once.
fetch_jars() {
  [[ -f $FLINK_LIB/.complete ]] && return 0
  command -v mvn >/dev/null || cluster_die "Maven (mvn) is needed once to fetch the Flink jars: install it ('apt-get install -y maven') and run 'scripts/flink-cluster up' again."
  local tmp="$FLINK_LIB.tmp.$$"
  echo "$(basename "$0"): fetching the Flink $FLINK_VERSION and GraalJS jars into $FLINK_LIB (once)"
  rm -rf "$tmp"
  mkdir -p "$tmp" "$CLUSTER_LOGS"
  if ! mvn -B -q -Dstyle.color=never -f "$CLUSTER_LIB_SRC/flink-pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DexcludeTypes=pom -DoutputDirectory="$tmp" >"$CLUSTER_LOGS/fetch.log" 2>&1; then
    rm -rf "$tmp"
    cluster_die "could not fetch the Flink jars with Maven; look at $CLUSTER_LOGS/fetch.log (network, ~/.m2/settings.xml), then run 'scripts/flink-cluster up' again."
  fi
  rm -rf "$FLINK_LIB"
  mv "$tmp" "$FLINK_LIB"
  touch "$FLINK_LIB/.complete"
}

# The Graal JIT for Truffle, as one --upgrade-module-path value.
jit_module_path() {
  local name jar path=()
  for name in "${JIT_JARS[@]}"; do
    jar=
    for jar in "$FLINK_LIB/$name"-[0-9]*.jar; do [[ -f $jar ]] && break; jar=; done
    [[ -n $jar ]] || cluster_die "$FLINK_LIB lacks $name-*.jar; delete $FLINK_LIB and run 'scripts/flink-cluster up' again."
    path+=("$jar")
  done
  (IFS=:; echo "${path[*]}")
}

# True when something accepts TCP connections on 127.0.0.1:<port> (pure bash).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_of <pid file> <text in its command line>: the pid, if that process is alive and is ours.
pid_of() {
  local file=$1 pattern=$2 pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$pattern"* ]] || return 1
  echo "$pid"
}

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

jobmanager_pid() { pid_of "$CLUSTER_RUN/jobmanager.pid" "$JM_CLASS --configDir $CLUSTER_CONF"; }
taskmanager_pid() { pid_of "$CLUSTER_RUN/taskmanager-$1.pid" "$TM_CLASS --configDir $CLUSTER_CONF"; }

# The numbers k of the TaskManagers whose pid file names a live TaskManager of this cluster.
running_taskmanagers() {
  local f k
  for f in "$CLUSTER_RUN"/taskmanager-*.pid; do
    [[ -e $f ]] || continue
    k=${f##*/taskmanager-}
    k=${k%.pid}
    taskmanager_pid "$k" >/dev/null && echo "$k"
  done | sort -n
}

# rest_get <path>: the JSON body of GET http://localhost:8081<path>, or failure.
rest_get() { curl -sf --max-time 5 "http://127.0.0.1:$REST_PORT$1"; }

# json_number <json> <field>: the first numeric value of "field" in a flat JSON text.
json_number() { grep -o "\"$2\":[0-9]*" <<<"$1" | head -n1 | cut -d: -f2 || true; }

# The cluster is ours and answers: our JobManager process is alive and its REST API responds.
cluster_up() { jobmanager_pid >/dev/null && rest_get /overview >/dev/null; }

# Ids of the jobs in state RUNNING, one per line (GET /jobs is flat: {"jobs":[{"id":…,"status":…}]}).
running_job_ids() {
  local body
  body=$(rest_get /jobs) || return 1
  grep -o '{[^{}]*}' <<<"$body" | grep '"status":"RUNNING"' | grep -o '"id":"[0-9a-f]*"' | cut -d'"' -f4
}

# job_state <job id>: the job's state (RUNNING, FINISHED, …), or nothing if unknown.
job_state() {
  local body
  body=$(rest_get "/jobs/$1") || return 0
  grep -o '"state":"[A-Z_]*"' <<<"$body" | head -n1 | cut -d'"' -f4 || true
}

# wait_job_running <job id> <seconds>: until the job and all its tasks run; fails on a terminal state.
wait_job_running() {
  local id=$1 deadline=$((SECONDS + $2)) body state
  while ((SECONDS < deadline)); do
    body=$(rest_get "/jobs/$id" || true)
    state=$(grep -o '"state":"[A-Z_]*"' <<<"$body" | head -n1 | cut -d'"' -f4 || true)
    case $state in
      FAILED | CANCELED | FINISHED | SUSPENDED) return 1 ;;
      RUNNING)
        # every vertex RUNNING: the per-vertex "status" fields are all RUNNING
        if ! grep -o '"status":"[A-Z_]*"' <<<"$body" | grep -qv '"status":"RUNNING"'; then
          return 0
        fi
        ;;
    esac
    sleep 0.5
  done
  return 1
}

# The Flink CLI (CliFrontend) against this cluster; its own log goes to logs/client.log, so standard
# output holds only what the CLI and the job's main print.
flink_cli() {
  # shellcheck disable=SC2046 # the option list splits into words on purpose
  FLINK_CONF_DIR="$CLUSTER_CONF" java $(flink_java_opts) \
    -Dlog.file="$CLUSTER_LOGS/client.log" \
    -Dlog4j.configurationFile="file:$CLUSTER_CONF/log4j-cli.properties" \
    -cp "$FLINK_LIB/*" org.apache.flink.client.cli.CliFrontend "$@"
}

# The job jar: --jar PATH as given, else the project's jar, built when missing or older than the sources.
ensure_job_jar() {
  local jar=$1 who=$2
  if [[ -n $jar ]]; then
    [[ -f $jar ]] || { echo "$who: no such jar: $jar" >&2; exit 1; }
    return 0
  fi
  jar=$JOB_JAR_DEFAULT
  if [[ -f $jar ]] && [[ -z "$(find "$ROOT/job/src/main" "$ROOT/sql" "$ROOT/pom.xml" "$ROOT/job/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    return 0
  fi
  echo "$who: building the job jar (mvn -q -DskipTests package -pl job -am)..." >&2
  mkdir -p "$CLUSTER_LOGS"
  if ! (cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests package -pl job -am >"$CLUSTER_LOGS/build.log" 2>&1); then
    grep -E '^\[ERROR\]' "$CLUSTER_LOGS/build.log" | head -n 10 >&2 || true
    echo "$who: the build failed (log: $CLUSTER_LOGS/build.log): run 'mvn -DskipTests package -pl job -am' in $ROOT to see why." >&2
    exit 1
  fi
}

require_cluster() {
  local who=$1
  if ! cluster_up; then
    echo "$who: no Flink cluster is running: start one with 'scripts/flink-cluster up'." >&2
    exit 1
  fi
  if [[ ! -f $FLINK_LIB/.complete || ! -f $CLUSTER_CONF/config.yaml ]]; then
    echo "$who: the cluster files are incomplete ($FLINK_LIB, $CLUSTER_CONF): run 'scripts/flink-cluster down' and 'scripts/flink-cluster up'." >&2
    exit 1
  fi
}

# submit_jar <jar> [savepoint]: runs `flink run -d` (from the savepoint if given) with the job's
# settings taken from this process's environment (the job's main reads them on the client side).
# Prints the new job id on standard output; the CLI's output goes to standard error.
submit_jar() {
  local jar=$1 savepoint=${2:-} out rc id
  local args=(run -d)
  [[ -n $savepoint ]] && args+=(-s "$savepoint")
  set +e
  out=$(flink_cli "${args[@]}" "$jar" 2>&1)
  rc=$?
  set -e
  id=$(grep -o 'Job has been submitted with JobID [0-9a-f]*' <<<"$out" | awk '{print $NF}' | tail -n1 || true)
  if [[ -z $id ]]; then
    printf '%s\n' "$out" | grep -v '^\s*$' | tail -n 25 >&2
    return "$((rc == 0 ? 1 : rc))"
  fi
  printf '%s\n' "$out" | grep -v 'Job has been submitted with JobID' | grep -v '^\s*$' >&2 || true
  echo "$id"
}

now_ms() { date +%s%3N; }
seconds_since() { # seconds_since <start ms>: elapsed seconds with one decimal
  local d=$(($(now_ms) - $1))
  printf '%d.%d' $((d / 1000)) $((d % 1000 / 100))
}
