#!/usr/bin/env bash
# Runs one batch-inference job end to end on this machine: builds what is missing, starts a local
# Kafka broker and the four services (each in its own JVM), classifies the images and prints a summary.
#   ./run-local.sh                                  # the bundled Fashion-MNIST samples and model
#   ./run-local.sh --input DIR --model MODEL_DIR    # your images, your TorchScript model (model.json)
set -euo pipefail
cd "$(dirname "$0")"

# libtorch runs 10-20x slower with glibc malloc on large batches: install tcmalloc when we can.
if [ ! -e /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y -qq libtcmalloc-minimal4 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libtcmalloc-minimal4; }) >/dev/null 2>&1 \
    || echo "note: could not install libtcmalloc-minimal4; inference will be slower" >&2
fi

if [ "${KBI_SKIP_BUILD:-}" != 1 ]; then
  echo "Building (./mvnw install -DskipTests)..."
  ./mvnw -q -B install -DskipTests
fi
exec java -jar deploy/launcher/target/kbi-launcher.jar "$@"
