#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite. This is exactly what CI runs (.ci/run).
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"${ROOT}/scripts/setup.sh"
cd "${ROOT}"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j2
