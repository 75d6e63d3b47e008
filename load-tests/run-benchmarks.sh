#!/usr/bin/env bash
# Runs the benchmarks: ./load-tests/run-benchmarks.sh [--quick|--full] [--resnet50] [--results DIR]
# Builds what is missing, then runs every scenario with a fresh local broker and the packaged services.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KBI_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -q -B install -DskipTests
fi
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[ -e "$TCMALLOC" ] && export LD_PRELOAD="$TCMALLOC"   # libtorch is much slower with glibc malloc
export DJL_CACHE_DIR="$PWD/.work/djl-cache" OPT_OUT_TRACKING=true
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Dai.djl.offline=true -Xmx2g \
  -cp "load-tests/target/classes:load-tests/target/lib/*" dev.kbi.loadtests.BenchmarkMain "$@"
