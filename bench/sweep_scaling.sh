#!/usr/bin/env bash
# Scaling of `tessel sweep` over MPI ranks (docs/sweep.md): the bundled sweep (or SWEEP) with one
# process x 1 thread, then `mpirun -n 2` x 1 thread (rank 0 works too); checks that the two
# result files are byte-identical and prints both wall times and the speed-up.
#
#   bench/sweep_scaling.sh [BUILD_DIR [SWEEP.yaml]]      (default BUILD_DIR: build)
#
# Measure on a Release build and an otherwise idle machine: 2 ranks need 2 free cores.
set -euo pipefail

readonly build="${1:-build}"
readonly sweep="${2:-}"
readonly tessel="$(cd "${build}" && pwd)/tessel"
mpirun_flags=(--oversubscribe)
if [[ "$(id -u)" == 0 ]]; then mpirun_flags+=(--allow-run-as-root); fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

seconds() {  # seconds since the epoch, with nanoseconds
  date +%s.%N
}

run() {  # run LABEL COMMAND...: wall time of COMMAND into ${work}/LABEL.time
  local label="$1"
  shift
  local start end
  start="$(seconds)"
  "$@" >"${work}/${label}.log" 2>&1
  end="$(seconds)"
  awk -v a="${start}" -v b="${end}" 'BEGIN { printf "%.3f", b - a }' >"${work}/${label}.time"
}

# shellcheck disable=SC2086  # an empty ${sweep} means the bundled sweep
run one "${tessel}" sweep ${sweep} --out "${work}/one.jsonl" --threads 1
# shellcheck disable=SC2086
run two mpirun "${mpirun_flags[@]}" -n 2 "${tessel}" sweep ${sweep} --out "${work}/two.jsonl" \
  --threads 1

if ! cmp -s "${work}/one.jsonl" "${work}/two.jsonl"; then
  echo "sweep_scaling: the 1-process and 2-rank result files differ" >&2
  exit 1
fi
one="$(cat "${work}/one.time")"
two="$(cat "${work}/two.time")"
printf 'results: %s lines, identical for 1 process and 2 ranks\n' "$(wc -l <"${work}/one.jsonl")"
printf '1 rank  x 1 thread: %.1f s\n2 ranks x 1 thread: %.1f s\nspeed-up: %.2fx\n' \
  "${one}" "${two}" "$(awk -v a="${one}" -v b="${two}" 'BEGIN { print a / b }')"
