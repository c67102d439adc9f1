#!/usr/bin/env bash
# Connection-rate A/B of two socksgw builds side by side, in one run, interleaved, against direct and
# microsocks (and, with "chain", a 3-hop chain of each build), short windows (2.5 s, 3 repetitions).
#
#   gateway-bench/ab-rate.sh BASE_DIST NEW_DIST [chain] [-- extra load generator options]
#
# BASE_DIST/NEW_DIST: unpacked dist directories (gateway-dist/target/socksgw-*, copied aside before
# rebuilding). NEW_OPTS: extra JVM flags for the "new" instances only (e.g. -XX:TieredStopAtLevel=1);
# GW_OPTS: for all. Connection-rate runs leave tens of thousands of sockets in TIME_WAIT: run sparingly.
set -euo pipefail
BASE=$1 NEW=$2; shift 2
chain=false
if [ "${1:-}" = chain ]; then chain=true; shift; fi
[ "${1:-}" = -- ] && shift
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
JAR=${BENCH_JAR:-$ROOT/gateway-bench/${BENCH_BUILD_DIR:-target}/benchmarks.jar}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/socksgw-ab.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_port() { for i in $(seq 2000); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.01; done; return 1; }
LG=(-Xms256m -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled)
mapfile -t P < <(java -cp "$JAR" io.socksgw.bench.BenchMain free-ports 10)
java "${LG[@]}" -cp "$JAR" io.socksgw.bench.BenchMain server --host 127.0.0.1 --sink-port ${P[0]} --echo-port ${P[1]} >$WORK/server.log 2>&1 &
SPID=$!; PIDS+=($SPID); wait_port ${P[1]}
conf() { cat >"$1" <<C
socksgw {
  listeners = [ { name = bench, host = "127.0.0.1", port = $2 } ]
  authenticators = [ { plugin = none } ]
  access { default = deny, policies = [ { plugin = allow-all } ] }
  routers = [ $3 ]
  session-listeners = []
  limits.max-connections = 100000
  # one loopback client address makes all the load: no per-address limits
  limits { max-sessions-per-ip = 0, new-connections-per-ip-per-second = 0 }
  timeouts.idle = 10m
}
C
}
start() { # name dist port routers
  conf $WORK/$1.conf $3 "$4"; mkdir -p $WORK/logs-$1
  o=""; case $1 in new*) o=${NEW_OPTS:-};; esac; SOCKSGW_JAVA_OPTS="-Dsocksgw.log.dir=$WORK/logs-$1 ${GW_OPTS:-} $o" $2/bin/socksgw run --config $WORK/$1.conf >$WORK/$1.out 2>&1 &
  STARTED=$!; PIDS+=($STARTED); wait_port $3; }
T=(--target direct)
start base $BASE ${P[2]} "{ plugin = direct }"; T+=(--target "base=127.0.0.1:${P[2]}@$STARTED"); echo "base pid $STARTED" >&2
start new $NEW ${P[3]} "{ plugin = direct }"; T+=(--target "new=127.0.0.1:${P[3]}@$STARTED"); echo "new pid $STARTED" >&2
/usr/bin/microsocks -i 127.0.0.1 -p ${P[4]} >/dev/null 2>&1 & MP=$!; PIDS+=($MP); wait_port ${P[4]}; T+=(--target "microsocks=127.0.0.1:${P[4]}@$MP")
if $chain; then
  for v in base new; do
    d=$BASE; [ $v = new ] && d=$NEW
    if [ $v = base ]; then f=${P[5]} h1=${P[6]} h2=${P[7]}; else f=${P[8]} h1=${P[9]} h2=$(java -cp "$JAR" io.socksgw.bench.BenchMain free-ports 1); fi
    start $v-h2 $d $h2 "{ plugin = direct }"; a=$STARTED
    start $v-h1 $d $h1 "{ plugin = direct }"; b=$STARTED
    start $v-front $d $f "{ plugin = rules
      upstreams { h1 { protocol = socks5, host = \"127.0.0.1\", port = $h1 }, h2 { protocol = socks5, host = \"127.0.0.1\", port = $h2 } }
      chains { c { hops = [h1, h2] } }
      default = c }"
    T+=(--target "$v-3hop=127.0.0.1:$f@$STARTED,$b,$a")
  done
fi
echo "load before: $(cat /proc/loadavg)" >&2
java "${LG[@]}" -Dbench.clkTck=$(getconf CLK_TCK) -cp "$JAR" io.socksgw.bench.BenchMain run --sink 127.0.0.1:${P[0]} --echo 127.0.0.1:${P[1]} --server-pid $SPID \
  "${T[@]}" --modes rate --subject new --chain new-3hop --prewarm-ms 2000 --rate-warmup-ms 500 --rate-ms 2500 --reps 3 "$@" 2>&1 | grep -v '^$' 
echo "load after: $(cat /proc/loadavg)" >&2
echo "work: $WORK" >&2
