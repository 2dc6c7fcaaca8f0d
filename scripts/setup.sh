#!/usr/bin/env bash
# Installs tessel's build dependencies (Debian 12 packages only) when any is missing, then
# configures and builds a Release tree. Safe to run again: an installed system and an up-to-date
# build make it a few-second no-op.
#
#   scripts/setup.sh             install what is missing, then build into build/
#   scripts/setup.sh --deps-only install what is missing, build nothing
#
# BUILD_DIR (default: build) and JOBS (default: nproc) override the build location and parallelism.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly PACKAGES=(
  build-essential cmake pkg-config
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  coinor-libcbc-dev libglpk-dev
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx
  chromium  # tests/html_report_test.cc renders the HTML report headless
  pybind11-dev python3-dev python3-pytest  # the Python module (src/python) and its tests
  openmpi-bin libopenmpi-dev  # tessel sweep under mpirun (optional in CMake; tests/sweep_cli_test.cc)
  clang-14 libfuzzer-14-dev llvm-14  # scripts/test.sh --sanitize, scripts/fuzz.sh (symbolizer)
)

install_missing_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    # dpkg -s succeeds for removed-but-configured packages too; check the status line instead.
    if ! dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("${package}")
    fi
  done
  if ((${#missing[@]} == 0)); then
    echo "setup: all ${#PACKAGES[@]} Debian packages present"
    return
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
  # CI has no terminal and no stdin: never let apt or debconf ask anything.
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
  local build_dir="${BUILD_DIR:-build}"
  local jobs="${JOBS:-$(nproc)}"
  cd "${ROOT}"
  cmake -S . -B "${build_dir}" -DCMAKE_BUILD_TYPE=Release
  cmake --build "${build_dir}" -j"${jobs}"
}

main() {
  install_missing_packages
  if [[ "${1:-}" == "--deps-only" ]]; then return; fi
  build
}

main "$@"
