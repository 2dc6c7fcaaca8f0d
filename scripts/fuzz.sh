#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, docs/reliability.md) and runs one or all of them.
#
#   scripts/fuzz.sh TARGET SECONDS     e.g. scripts/fuzz.sh onnx_fuzz 600
#   scripts/fuzz.sh all SECONDS        every target in turn, SECONDS each (CI: 60)
#   scripts/fuzz.sh list               the target names
#
# The tree is FUZZ_BUILD_DIR (default: build-sanitize, shared with `scripts/test.sh --sanitize`),
# configured with clang-14, -DTESSEL_FUZZ=ON. Seeds come from tests/data and examples
# (scripts/fuzz_seeds.py); what a run adds goes to FUZZ_BUILD_DIR/fuzz-corpus/TARGET and is
# reused by the next run. A crash, leak, sanitizer report, a 10 s input or more than 2 GB of
# memory stops the run with exit code 1 and leaves the input in FUZZ_BUILD_DIR/fuzz-artifacts/.
# JOBS (default: nproc) sets build parallelism; PARALLEL (default: nproc) how many targets run at
# once with `all`.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly BUILD="$(realpath -m "${FUZZ_BUILD_DIR:-${ROOT}/build-sanitize}")"
readonly PARALLEL="${PARALLEL:-$(nproc)}"
readonly TARGETS=(timeloop_eval_fuzz mapping_fuzz cim_arch_fuzz onnx_fuzz report_json_fuzz
                  stream_system_fuzz stream_mapping_fuzz mesh_fuzz)

usage() {
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS | list (targets: ${TARGETS[*]})" >&2
  exit 2
}

configure_and_build() {
  if [[ ! -f "${BUILD}/CMakeCache.txt" ]]; then
    CC=clang-14 CXX=clang++-14 cmake -S "${ROOT}" -B "${BUILD}" -DCMAKE_BUILD_TYPE=Debug \
      -DTESSEL_FUZZ=ON -DTESSEL_BUILD_BENCH=OFF \
      -DTESSEL_BUILD_PYTHON=OFF
  fi
  cmake --build "${BUILD}" -j"${JOBS:-$(nproc)}" --target fuzz_targets
}

# Runs TARGET for SECONDS; prints one summary line (execs, coverage, corpus size).
run_target() {
  local target="$1" seconds="$2"
  local name="${target%_fuzz}"
  local corpus="${BUILD}/fuzz-corpus/${target}" seeds="${BUILD}/fuzz-seeds/${target}"
  local log="${BUILD}/fuzz-logs/${target}.log"
  mkdir -p "${corpus}" "${BUILD}/fuzz-artifacts" "${BUILD}/fuzz-logs"
  local status=0
  "${BUILD}/fuzz/${target}" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -print_final_stats=1 -dict="${ROOT}/fuzz/dict/${name}.dict" \
    -artifact_prefix="${BUILD}/fuzz-artifacts/${target}-" "${corpus}" "${seeds}" \
    >"${log}" 2>&1 || status=$?
  local last
  last="$(grep -E '^#[0-9]+' "${log}" | tail -1 || true)"
  local execs
  execs="$(grep -E 'stat::number_of_executed_units' "${log}" | awk '{print $2}' || true)"
  echo "${target}: ${seconds} s, ${execs:-?} execs, last: ${last:-none}"
  if ((status != 0)); then
    echo "${target}: FINDING (exit ${status}); log ${log}" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "${log}" | head -5 >&2 || true
    return 1
  fi
}

main() {
  if [[ "${1:-}" == "list" ]]; then printf '%s\n' "${TARGETS[@]}"; return; fi
  [[ $# == 2 && "$2" =~ ^[0-9]+$ ]] || usage
  local wanted=("$1")
  if [[ "$1" == "all" ]]; then wanted=("${TARGETS[@]}"); fi
  for target in "${wanted[@]}"; do
    [[ " ${TARGETS[*]} " == *" ${target} "* ]] || usage
  done
  configure_and_build
  if [[ ! -d "${BUILD}/fuzz-seeds" ]]; then
    local tessel="${BUILD}/tessel"
    [[ -x "${tessel}" ]] || tessel=""
    /usr/bin/python3 "${ROOT}/scripts/fuzz_seeds.py" "${BUILD}/fuzz-seeds" ${tessel} >/dev/null
  fi
  # Up to PARALLEL targets at once (each libFuzzer run is one process on one core).
  local failed=0 running=0
  for target in "${wanted[@]}"; do
    if ((running >= PARALLEL)); then
      wait -n || failed=1
      running=$((running - 1))
    fi
    run_target "${target}" "$2" &
    running=$((running + 1))
  done
  while ((running > 0)); do
    wait -n || failed=1
    running=$((running - 1))
  done
  return "${failed}"
}

main "$@"
