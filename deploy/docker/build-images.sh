#!/usr/bin/env bash
# Builds the pipeline's container images from this checkout: kbi-kafka (the broker), kbi-reader,
# kbi-preprocessor, kbi-inference, kbi-writer, tagged with the project version; kbi-prometheus (for
# the compose stack's monitoring profile) when named.
#   deploy/docker/build-images.sh                   # on eclipse-temurin:17-jre (pulled from a registry)
#   deploy/docker/build-images.sh --local-base      # on kbi-base:bookworm-jre17, made from Debian packages
#                                                   #   by make-local-base.sh (no registry needed; root)
#   deploy/docker/build-images.sh --base IMAGE      # on any image with java 17 and apt-get or curl
#   deploy/docker/build-images.sh ... reader writer # only these images
#   deploy/docker/build-images.sh --libtorch DIR inference-cuda
#                                                   # kbi-inference-cuda: kbi-inference with the libtorch
#                                                   #   build in DIR (CUDA 12.8; Dockerfile.inference-cuda)
# Builds the jars first (./mvnw install -DskipTests) unless KBI_SKIP_BUILD=1. Each image's build
# context is staged under .work/docker-context/, so neither BuildKit nor the whole checkout is sent.
set -euo pipefail
cd "$(dirname "$0")/../.."

base="eclipse-temurin:17-jre"
local_base=""
libtorch=""
images=()
while [ $# -gt 0 ]; do
  case "$1" in
    --local-base) local_base=1 ;;
    --base) base="$2"; shift ;;
    --libtorch) libtorch="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) images+=("$1") ;;
  esac
  shift
done
[ ${#images[@]} -gt 0 ] || images=(kafka reader preprocessor inference writer)

docker="${DOCKER:-docker}"
tag="${KBI_IMAGE_TAG:-$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)}"
# The Dockerfiles need no BuildKit; use the classic builder where the client has no buildx plugin.
if ! "$docker" buildx version >/dev/null 2>&1; then
  export DOCKER_BUILDKIT=0
fi

if [ -n "$local_base" ]; then
  base="kbi-base:bookworm-jre17"
  deploy/docker/make-local-base.sh "$base"
fi
if [ "${KBI_SKIP_BUILD:-}" != 1 ]; then
  echo "Building the jars (./mvnw install -DskipTests)..."
  ./mvnw -q -B install -DskipTests
fi

stage="$PWD/.work/docker-context"
# Hard links where the checkout and .work share a file system: staging costs no copy.
copy() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

for image in "${images[@]}"; do
  context="$stage/$image"
  rm -rf "$context"
  mkdir -p "$context"
  if [ "$image" = inference-cuda ]; then
    [ -f "$libtorch/lib/libtorch.so" ] || { echo "inference-cuda needs --libtorch DIR with lib/libtorch.so" >&2; exit 2; }
    "$docker" image inspect "kbi-inference:$tag" >/dev/null 2>&1 \
      || { echo "kbi-inference:$tag is missing: build inference first" >&2; exit 1; }
    mkdir -p "$context/libtorch"
    copy "$(cd "$libtorch" && pwd)/lib" "$context/libtorch/lib"
    flavor=cpu
    [ -f "$libtorch/lib/libtorch_cuda.so" ] && flavor=cu128
    dockerfile=deploy/docker/Dockerfile.inference-cuda
    args=(--build-arg "INFERENCE_IMAGE=kbi-inference:$tag" --build-arg "PYTORCH_FLAVOR=$flavor")
  elif [ "$image" = prometheus ]; then
    dockerfile=deploy/docker/Dockerfile.prometheus
    args=()
  elif [ "$image" = kafka ]; then
    libs=deploy/local-kafka/target/kafka-libs
    [ -d "$libs" ] || { echo "$libs is missing: build the project first" >&2; exit 1; }
    copy "$libs" "$context/libs"
    cp -a deploy/docker/kafka "$context/kafka"
    dockerfile=deploy/docker/Dockerfile.kafka
    args=()
  else
    app="services/$image/target/quarkus-app"
    [ -d "$app" ] || { echo "$app is missing: build the project first (no service named $image?)" >&2; exit 1; }
    copy "$app" "$context/quarkus-app"
    install -m 0755 deploy/docker/entrypoint.sh "$context/entrypoint.sh"
    dockerfile=deploy/docker/Dockerfile.jvm
    args=(--build-arg "SERVICE=$image")
  fi
  echo "Building kbi-$image:$tag on $base"
  # (Newer clients warn at length that the classic builder is deprecated: that warning is dropped.)
  "$docker" build -q -f "$dockerfile" --build-arg "BASE_IMAGE=$base" "${args[@]}" -t "kbi-$image:$tag" "$context" \
    2> >(grep -v -E 'DEPRECATED: The legacy builder|BuildKit is currently disabled|environment-variable\.|^$' >&2) >/dev/null
done
echo "Images: $(printf "kbi-%s:$tag " "${images[@]}")"
