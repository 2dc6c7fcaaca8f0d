#!/usr/bin/env bash
# Sets up, builds and runs `tessel eval` on the bundled default (a ResNet-50 3x3 layer on a
# Simba-like accelerator). Extra arguments go to `tessel eval`, e.g. scripts/run.sh --json out.json
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"${ROOT}/scripts/setup.sh"
exec "${ROOT}/${BUILD_DIR:-build}/tessel" eval "$@"
