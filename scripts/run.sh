#!/usr/bin/env bash
# Sets up, builds and runs tessel's main job on the bundled default: `tessel map` maps ResNet-50
# on the Simba-like accelerator (examples/simba) with the cosa mapper and writes tessel_map.json
# and tessel_report.html in the current directory. Extra arguments go to `tessel map`, e.g.
#   scripts/run.sh --workload vgg16 --json vgg.json --html vgg.html
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"${ROOT}/scripts/setup.sh"
exec "${ROOT}/${BUILD_DIR:-build}/tessel" map "$@"
