#!/usr/bin/env bash
#
# socksgw side by side with Dante, microsocks and a direct baseline, on this machine's loopback.
#
#   gateway-bench/run.sh [--quick] [--reps N] [--no-build] [--modes bulk,rate,hold] [--hold N]
#                        [--profile] [--no-peers] [--copy-too] [-- extra load generator options]
#
# Builds (mvn package at the root), starts the bench sink/echo server, socksgw from the dist directory
# (bin/socksgw run, shipped conf/jvm.options), a 3-hop chain of socksgw instances, Dante and
# microsocks when installed, then runs every mode against every target, interleaved, and prints one
# markdown table of medians on stdout (the per-run log goes to stderr and to the work directory).
# Every process started here is killed on exit. Loopback only.
#
#   --quick      ~1-2 minutes: 1 repetition, short windows, 2,000 idle tunnels
#   --reps N     interleaved repetitions (default 3)
#   --no-build   use what the last build left
#   --profile    instead of the table: JFR CPU profiles of socksgw in bulk and connection-rate modes,
#                summarized by top frames (needs the JDK's jfr support; adds -XX:+DebugNonSafepoints)
#   --no-peers   leave Dante and microsocks out
#   --copy-too   also run socksgw and its 3-hop chain with performance.splice = off (columns
#                socksgw-copy, socksgw-3hop-copy), interleaved with the others: splice against copy
#   after --      options passed to the load generator as they are (see LoadGenerator's Javadoc)
#
# Environment:
#   BENCH_BUILD_DIR   Maven build directory name (default target; -Dbuild.dir.name)
#   BENCH_MVN_ARGS    Maven arguments (default: -q -B -DskipTests)
#   SOCKSGW_BENCH_JAVA_OPTS  extra JVM flags for the socksgw instances (after conf/jvm.options)

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
BUILD_DIR=${BENCH_BUILD_DIR:-target}
MVN_ARGS=${BENCH_MVN_ARGS:--q -B -DskipTests}
COMMAND_LINE="gateway-bench/run.sh $*"

quick=false
build=true
profile=false
peers=true
copy_too=false
reps=3
modes=bulk,rate,hold
hold_count=
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=true ;;
    --no-build) build=false ;;
    --profile) profile=true ;;
    --no-peers) peers=false ;;
    --copy-too) copy_too=true ;;
    --reps) reps=$2; shift ;;
    --modes) modes=$2; shift ;;
    --hold) hold_count=$2; shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf 'run.sh: %s\n' "$*" >&2; }

# --- build ------------------------------------------------------------------------------------------
if $build; then
  say "building (mvn $MVN_ARGS -Dbuild.dir.name=$BUILD_DIR package)"
  # shellcheck disable=SC2086 # MVN_ARGS is a list of arguments
  (cd "$ROOT" && mvn $MVN_ARGS "-Dbuild.dir.name=$BUILD_DIR" package)
fi
DIST=$(ls -d "$ROOT"/gateway-dist/"$BUILD_DIR"/socksgw-*/ 2>/dev/null | head -1)
JAR=$ROOT/gateway-bench/$BUILD_DIR/benchmarks.jar
[ -n "$DIST" ] && [ -x "$DIST/bin/socksgw" ] || { say "no dist directory under gateway-dist/$BUILD_DIR"; exit 1; }
[ -f "$JAR" ] || { say "no $JAR"; exit 1; }
DIST=${DIST%/}

# --- processes: started here, killed on exit --------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/socksgw-bench.XXXXXX")
PIDS=()
cleanup() {
  local pid child
  for pid in "${PIDS[@]}"; do
    # Dante forks helpers: end them too, by id.
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill "$child" 2>/dev/null || true; done
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  say "logs and configs kept in $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Waits until 127.0.0.1:$1 accepts a connection (or $2, a pid, dies); 20 s at most.
wait_port() {
  local port=$1 pid=$2 i
  for i in $(seq 2000); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { say "process $pid died before listening on $port"; return 1; }
    sleep 0.01
  done
  say "nothing listens on $port after 20 s"
  return 1
}

LG_JAVA_OPTS=(-Xms256m -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled)
mapfile -t PORTS < <(java -cp "$JAR" io.socksgw.bench.BenchMain free-ports 12)
SINK_PORT=${PORTS[0]} ECHO_PORT=${PORTS[1]} GW_PORT=${PORTS[2]} DANTE_PORT=${PORTS[3]}
MICRO_PORT=${PORTS[4]} CHAIN_FRONT=${PORTS[5]} CHAIN_H1=${PORTS[6]} CHAIN_H2=${PORTS[7]}
COPY_PORT=${PORTS[8]} COPY_FRONT=${PORTS[9]} COPY_H1=${PORTS[10]} COPY_H2=${PORTS[11]}

java "${LG_JAVA_OPTS[@]}" -cp "$JAR" io.socksgw.bench.BenchMain server --host 127.0.0.1 \
  --sink-port "$SINK_PORT" --echo-port "$ECHO_PORT" >"$WORK/bench-server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_port "$ECHO_PORT" "$SERVER_PID"

# A socksgw config: loopback, no auth, allow all, no access log; $3 is the routers block, $4 more settings.
gateway_conf() {
  local file=$1 port=$2 routers=$3 more=${4:-}
  cat >"$file" <<EOF
socksgw {
  listeners = [ { name = bench, host = "127.0.0.1", port = $port } ]
  authenticators = [ { plugin = none } ]
  access { default = deny, policies = [ { plugin = allow-all } ] }
  routers = [ $routers ]
  session-listeners = []
  limits.max-connections = 100000
  # one loopback client address makes all the load: no per-address limits
  limits { max-sessions-per-ip = 0, new-connections-per-ip-per-second = 0 }
  timeouts.idle = 10m
  $more
}
EOF
}

GW_EXTRA_OPTS=${SOCKSGW_BENCH_JAVA_OPTS:-}
if $profile; then
  GW_EXTRA_OPTS="$GW_EXTRA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
fi

# Starts a socksgw instance from the dist directory; sets STARTED_PID and STARTED_MS (start to listening).
start_gateway() {
  local name=$1 port=$2 routers=$3 more=${4:-} t0
  gateway_conf "$WORK/$name.conf" "$port" "$routers" "$more"
  mkdir -p "$WORK/logs-$name"
  t0=$(now_ms)
  SOCKSGW_JAVA_OPTS="-Dsocksgw.log.dir=$WORK/logs-$name $GW_EXTRA_OPTS" \
    "$DIST/bin/socksgw" run --config "$WORK/$name.conf" >"$WORK/$name.out" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  wait_port "$port" "$STARTED_PID"
  STARTED_MS=$(($(now_ms) - t0))
  say "$name: pid $STARTED_PID on 127.0.0.1:$port, listening after $STARTED_MS ms"
}

TARGETS=(--target direct)
STARTUP=()

# bin/socksgw makes its class-data sharing archive on the first start after install (a training run of
# a few seconds): make it now, so that "start to listening" is what every later start takes.
start_gateway prime "$GW_PORT" "{ plugin = direct }"
kill "$STARTED_PID"
for _ in $(seq 300); do kill -0 "$STARTED_PID" 2>/dev/null || break; sleep 0.1; done

start_gateway socksgw "$GW_PORT" "{ plugin = direct }"
GW_PID=$STARTED_PID
TARGETS+=(--target "socksgw=127.0.0.1:$GW_PORT@$GW_PID")
STARTUP+=(--startup-ms "socksgw=$STARTED_MS")

if ! $profile && $peers; then
  if [ -x /usr/sbin/danted ]; then
    cat >"$WORK/danted.conf" <<EOF
logoutput: $WORK/danted.log
internal: 127.0.0.1 port = $DANTE_PORT
external: 127.0.0.1
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 127.0.0.0/8 log: error }
socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 log: error }
EOF
    /usr/sbin/danted -f "$WORK/danted.conf" -p "$WORK/danted.pid" >"$WORK/danted.out" 2>&1 &
    DANTE_PID=$!
    PIDS+=("$DANTE_PID")
    wait_port "$DANTE_PORT" "$DANTE_PID"
    TARGETS+=(--target "dante=127.0.0.1:$DANTE_PORT@$DANTE_PID")
    say "dante: pid $DANTE_PID on 127.0.0.1:$DANTE_PORT ($(/usr/sbin/danted -v 2>&1 | head -1))"
  else
    say "Dante (/usr/sbin/danted) not installed: skipped (apt-get install dante-server)"
  fi
  if [ -x /usr/bin/microsocks ]; then
    /usr/bin/microsocks -i 127.0.0.1 -p "$MICRO_PORT" >"$WORK/microsocks.out" 2>&1 &
    MICRO_PID=$!
    PIDS+=("$MICRO_PID")
    wait_port "$MICRO_PORT" "$MICRO_PID"
    TARGETS+=(--target "microsocks=127.0.0.1:$MICRO_PORT@$MICRO_PID")
    say "microsocks: pid $MICRO_PID on 127.0.0.1:$MICRO_PORT"
  else
    say "microsocks (/usr/bin/microsocks) not installed: skipped (apt-get install microsocks)"
  fi
fi

# Starts a 3-hop chain (front -> h1 -> h2 -> destination) named $1 on ports $2 (front), $3, $4; $5 more settings.
start_chain() {
  local name=$1 front=$2 p1=$3 p2=$4 more=${5:-} h1_pid h2_pid
  start_gateway "$name-h2" "$p2" "{ plugin = direct }" "$more"
  h2_pid=$STARTED_PID
  start_gateway "$name-h1" "$p1" "{ plugin = direct }" "$more"
  h1_pid=$STARTED_PID
  start_gateway "$name-front" "$front" "{
    plugin = rules
    upstreams {
      h1 { protocol = socks5, host = \"127.0.0.1\", port = $p1 }
      h2 { protocol = socks5, host = \"127.0.0.1\", port = $p2 }
    }
    chains { c { hops = [h1, h2] } }
    default = c
  }" "$more"
  TARGETS+=(--target "$name=127.0.0.1:$front@$STARTED_PID,$h1_pid,$h2_pid")
}

if $copy_too && ! $profile; then
  start_gateway socksgw-copy "$COPY_PORT" "{ plugin = direct }" "performance.splice = off"
  TARGETS+=(--target "socksgw-copy=127.0.0.1:$COPY_PORT@$STARTED_PID")
fi
if ! $profile; then
  # The 3-hop chain: client -> front -> h1 -> h2 -> destination, each a socksgw process.
  start_chain socksgw-3hop "$CHAIN_FRONT" "$CHAIN_H1" "$CHAIN_H2"
  if $copy_too; then
    start_chain socksgw-3hop-copy "$COPY_FRONT" "$COPY_H1" "$COPY_H2" "performance.splice = off"
  fi
fi

# --- what to run ------------------------------------------------------------------------------------
fd_limit=$(ulimit -n)
if [ -z "$hold_count" ]; then
  # Two descriptors per tunnel on the gateway (and one on each of the client and the server); keep some spare.
  hold_count=$(((fd_limit - 300) / 2))
  [ "$hold_count" -gt 10000 ] && hold_count=10000
  $quick && hold_count=2000
fi
if $quick; then
  [ "$reps" = 3 ] && reps=1
  DURATIONS=(--prewarm-ms 1500 --bulk-warmup-ms 500 --bulk-ms 1500 --rate-warmup-ms 500 --rate-ms 2000 --hold-settle-ms 1000)
else
  DURATIONS=(--prewarm-ms 3000 --bulk-warmup-ms 1000 --bulk-ms 3000 --rate-warmup-ms 1000 --rate-ms 4000 --hold-settle-ms 1500)
fi

CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
JDK=$(java -version 2>&1 | head -1)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- gateway-core gateway-api gateway-plugins 2>/dev/null || COMMIT="$COMMIT (with uncommitted changes)"
GW_FLAGS=$(grep -v '^[[:space:]]*#' "$DIST/conf/jvm.options" | grep -v '^[[:space:]]*$' | tr '\n' ' ')

run_load() {
  java "${LG_JAVA_OPTS[@]}" -Dbench.clkTck="$(getconf CLK_TCK)" -cp "$JAR" io.socksgw.bench.BenchMain run \
    --sink "127.0.0.1:$SINK_PORT" --echo "127.0.0.1:$ECHO_PORT" --server-pid "$SERVER_PID" "$@"
}

if $profile; then
  # One JFR recording (Java frames) and, when perf is installed, one perf recording (kernel and native
  # frames) of socksgw per mode; then the top frames of each.
  for mode in bulk rate; do
    jcmd "$GW_PID" JFR.start name="$mode" settings=profile filename="$WORK/socksgw-$mode.jfr" >/dev/null
    perf_pid=
    if command -v perf >/dev/null 2>&1; then
      perf record -q -F 499 -g -p "$GW_PID" -o "$WORK/socksgw-$mode.perf" >/dev/null 2>&1 &
      perf_pid=$!
      PIDS+=("$perf_pid")
    fi
    case $mode in
      bulk) run_load --target "socksgw=127.0.0.1:$GW_PORT@$GW_PID" --modes bulk --reps 1 \
              --bulk-warmup-ms 1000 --bulk-ms 4000 "${extra[@]}" >"$WORK/profile-$mode.md" 2>>"$WORK/bench.log" ;;
      rate) run_load --target "socksgw=127.0.0.1:$GW_PORT@$GW_PID" --modes rate --reps 1 \
              --rate-warmup-ms 1000 --rate-ms 8000 "${extra[@]}" >"$WORK/profile-$mode.md" 2>>"$WORK/bench.log" ;;
    esac
    jcmd "$GW_PID" JFR.stop name="$mode" >/dev/null
    if [ -n "$perf_pid" ]; then
      kill -INT "$perf_pid" 2>/dev/null || true
      wait "$perf_pid" 2>/dev/null || true
    fi
    echo "### socksgw CPU profile, $mode mode"
    echo
    cat "$WORK/profile-$mode.md"
    echo
    echo '```'
    java -cp "$JAR" io.socksgw.bench.BenchMain jfr-top "$WORK/socksgw-$mode.jfr" 20
    if [ -n "$perf_pid" ]; then
      echo
      echo "perf (cpu-clock, all threads of the gateway; [k] kernel, [.] user; JIT-compiled Java shows as perf-$GW_PID.map):"
      perf report -i "$WORK/socksgw-$mode.perf" --stdio --no-children --sort dso,sym 2>/dev/null \
        | grep -E "^ +[0-9.]+%" | head -30 || true
      echo
      echo "perf, by shared object:"
      perf report -i "$WORK/socksgw-$mode.perf" --stdio --no-children --sort dso 2>/dev/null \
        | grep -E "^ +[0-9.]+%" | head -8 || true
    fi
    echo '```'
    echo
  done
  exit 0
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "running modes $modes, $reps repetition(s), hold $hold_count tunnels; per-run log: $WORK/bench.log"
run_load "${TARGETS[@]}" "${STARTUP[@]}" --reps "$reps" --modes "$modes" --hold "$hold_count" \
  --subject socksgw --chain socksgw-3hop "${DURATIONS[@]}" "${extra[@]}" \
  >"$WORK/table.md" 2> >(tee "$WORK/bench.log" >&2)

{
  echo "socksgw benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) cores ($CPU_MODEL), $(uname -sr), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
    "gateway, peers, load generator and echo/sink server all share these $(nproc) cores"
  echo "- JDK: $JDK; socksgw $COMMIT, epoll, $(ulimit -n) open files allowed per process"
  echo "- socksgw JVM flags (conf/jvm.options as shipped): \`$GW_FLAGS${GW_EXTRA_OPTS:+ $GW_EXTRA_OPTS}\`"
  echo "- load generator and echo/sink server: Java on Netty epoll, pooled direct buffers, 64 KiB writes, \`${LG_JAVA_OPTS[*]}\`"
  echo "- peers: $(/usr/sbin/danted -v 2>&1 | head -1 | cut -d. -f1-3 || echo 'Dante not installed'); microsocks $(dpkg-query -W -f='${Version}' microsocks 2>/dev/null || echo 'not installed')"
  echo "- load average (1, 5, 15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)" \
    "(anything above the bench's own processes on these 2 cores skews the numbers)"
  echo "- command: \`$COMMAND_LINE\`"
  echo
  cat "$WORK/table.md"
  echo
  echo "MB/s are 10^6 bytes per second of payload (echo: the bytes that came back). CPU-s per GB: user+system" \
    "CPU of the target's processes per 10^9 bytes they relayed (echo counts both directions). Latency: connect" \
    "to last echoed byte. Memory per tunnel: (holding - before) / tunnels held; RSS for one process, PSS summed" \
    "over all processes for the forking Dante and for the 3-hop chain. Ratios use medians; best peer is the" \
    "better of Dante and microsocks for that row."
} | tee "$WORK/RESULTS-table.md"
