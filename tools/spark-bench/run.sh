#!/usr/bin/env bash
# Side by side, in one run: `cleft embed` and `cleft spark embed` on the same images, with the same threads.
#
#   tools/spark-bench/run.sh CHECKPOINT SOURCE_FOLDER [SMALL LARGE [REPEATS]]
#
# Copies the images of SOURCE_FOLDER (PNG or DICOM, searched recursively) round-robin into two folders of SMALL and
# LARGE files (default 1,000 and 10,000) under a temporary folder, then times each command on each folder REPEATS
# times (default 3), alternating the two so that the machine's noise falls on both. Reports the whole command's
# seconds (JVM start-up included), the marginal rate (the extra images over the extra seconds, which leaves out
# every fixed cost) and the fixed cost (the small run less its images at the marginal rate), as medians.
# cleft embed gets --threads T loader threads and ONNX Runtime's default intra-op threads (one per core); Spark
# gets local[T] with one intra-op thread per task. T is THREADS, default the number of cores; BATCH, default 16.
set -euo pipefail
ckpt=${1:?checkpoint folder}
src=${2:?folder of images to copy}
small=${3:-1000}
large=${4:-10000}
repeats=${5:-3}
threads=${THREADS:-$(nproc)}
batch=${BATCH:-16}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t files < <(find "$src" -type f \( -name '*.png' -o -name '*.dcm' \) | sort)
[ ${#files[@]} -gt 0 ] || { echo "no .png or .dcm under $src" >&2; exit 2; }
for n in "$small" "$large"; do
  mkdir -p "$work/in-$n"
  for ((i = 0; i < n; i++)); do
    f=${files[$((i % ${#files[@]}))]}
    cp "$f" "$work/in-$n/$i.${f##*.}"
  done
done
"$root/cleft" --version > /dev/null # builds once, outside the timings

seconds() { # the wall seconds of a command
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

median() {
  tr ' ' '\n' <<< "$1" | grep . | sort -g \
    | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

declare -A times
for ((r = 1; r <= repeats; r++)); do
  for n in "$small" "$large"; do
    e=$(seconds "$root/cleft" embed --model "$ckpt" --backend onnx --images "$work/in-$n" \
      --out "$work/e.safetensors" --threads "$threads" --batch-size "$batch")
    rm -rf "$work/out"
    s=$(seconds "$root/cleft" spark embed --model "$ckpt" --input "$work/in-$n" --out "$work/out" \
      --master "local[$threads]" --threads 1 --batch-size "$batch")
    times[embed-$n]+="$e "
    times[spark-$n]+="$s "
    printf 'repeat %d, %d images: embed %.2f s, spark %.2f s\n' "$r" "$n" "$e" "$s" >&2
  done
done

printf '%-8s %10s %10s %15s %8s\n' command "$small img" "$large img" "marginal img/s" "fixed s"
declare -A rate whole_small whole_large
for c in embed spark; do
  whole_small[$c]=$(median "${times[$c-$small]}")
  whole_large[$c]=$(median "${times[$c-$large]}")
  rate[$c]=$(echo "($large - $small) / (${whole_large[$c]} - ${whole_small[$c]})" | bc -l)
  fixed=$(echo "${whole_small[$c]} - $small / ${rate[$c]}" | bc -l)
  printf '%-8s %8.2f s %8.2f s %15.0f %8.2f\n' "$c" "${whole_small[$c]}" "${whole_large[$c]}" "${rate[$c]}" "$fixed"
done
printf 'spark / embed: marginal rate %.2fx; whole command %.2fx at %d images, %.2fx at %d\n' \
  "$(echo "${rate[spark]} / ${rate[embed]}" | bc -l)" \
  "$(echo "${whole_small[embed]} / ${whole_small[spark]}" | bc -l)" "$small" \
  "$(echo "${whole_large[embed]} / ${whole_large[spark]}" | bc -l)" "$large"
