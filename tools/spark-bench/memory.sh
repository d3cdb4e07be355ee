#!/usr/bin/env bash
# The memory of one `cleft spark embed` JVM (in local mode: the driver is the executor) over a long job.
#
#   tools/spark-bench/memory.sh CHECKPOINT IMAGE_FOLDER [ROWS_PER_CHUNK [HEAP]]
#
# Runs the job with a fixed, pre-touched heap (-Xms = -Xmx = HEAP, default 1g, so the heap is resident from the
# start and takes no part in the growth) and Native Memory Tracking, samples the process's resident set once a
# second, and prints it at each chunk the job reports (--rows-per-chunk, default 1000). NMT's baseline is taken
# after the third chunk and compared with the JVM's native memory before the last; what NMT does not track (ONNX
# Runtime's own allocations, the C library's arenas) shows only in the resident set.
set -euo pipefail
ckpt=${1:?checkpoint folder}
images=${2:?image folder}
chunk=${3:-1000}
heap=${4:-1g}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/cleft" --version > /dev/null # builds once, outside the measurement
CLEFT_JAVA_OPTS="-Xms$heap -Xmx$heap -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary" \
  "$root/cleft" spark embed --model "$ckpt" --input "$images" --out "$work/out" --master 'local[2]' --threads 1 \
  --rows-per-chunk "$chunk" > "$work/job.log" 2>&1 &
launcher=$!
pid=
for _ in $(seq 100); do # the JVM the script execs (the launcher's own pid once it has)
  pid=$(pgrep -f 'org.cleft.examples.cli.CleftCli spark embed' | head -1 || true)
  [ -n "$pid" ] && break
  sleep 0.1
done
[ -n "$pid" ] || { echo "the job did not start" >&2; cat "$work/job.log" >&2; exit 1; }
chunks=
baseline=
seen=0
echo "chunk  rows_done  seconds  rss_MB  threads"
while kill -0 "$pid" 2> /dev/null; do
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" 2> /dev/null || echo 0)
  threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status" 2> /dev/null || echo 0)
  line=$(grep -c '^spark    chunk' "$work/job.log" || true)
  if [ "$line" -gt "$seen" ]; then
    seen=$line
    read -r k n at < <(grep '^spark    chunk' "$work/job.log" | tail -1 \
      | sed -E 's#^spark +chunk ([0-9]+)/([0-9]+): [0-9]+ rows \(([0-9]+) of [0-9]+\) at ([0-9.]+) s#\1/\2 \3 \4#')
    printf '%-6s %10s %8s %7s %8s\n' "$k" "$n" "$at" "$rss" "$threads"
    chunks=${k#*/}
    if [ "${k%/*}" -eq 3 ] && [ -z "$baseline" ]; then
      jcmd "$pid" VM.native_memory baseline > /dev/null && baseline=yes
    fi
    if [ -n "$chunks" ] && [ "${k%/*}" -eq $((chunks - 1)) ] && [ -n "$baseline" ]; then
      jcmd "$pid" VM.native_memory summary.diff > "$work/nmt.txt" 2>&1 || true
    fi
  fi
  sleep 1
done
wait "$launcher" || { cat "$work/job.log" >&2; exit 1; }
grep '^spark ' "$work/job.log" | tail -1
if [ -s "$work/nmt.txt" ]; then
  echo "NMT, from after chunk 3 to before the last (committed KB, change):"
  grep -E '^Total|^-  +[A-Z]' "$work/nmt.txt" | sed -E 's/reserved=[0-9]+KB( [+-][0-9]+KB)?, //'
fi
