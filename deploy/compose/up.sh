#!/usr/bin/env bash
# Starts the compose stack and waits until every service is healthy. Builds the images first when
# any is missing, passing its arguments to deploy/docker/build-images.sh:
#   deploy/compose/up.sh                  # images on eclipse-temurin:17-jre
#   deploy/compose/up.sh --local-base     # images on a base made from Debian packages (no registry)
# More services of a stage: KBI_SCALE="inference=2" deploy/compose/up.sh. Compose's own
# COMPOSE_PROJECT_NAME (default kbi) and COMPOSE_FILE (default compose.yaml; add override files
# with ":") apply, and every setting of .env can be overridden in the environment.
set -euo pipefail
cd "$(dirname "$0")"
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-kbi}"
export COMPOSE_FILE="${COMPOSE_FILE:-compose.yaml}"
docker="${DOCKER:-docker}"
# A value of .env, unless the environment sets it (Compose's own precedence).
setting() { local v="${!1:-}"; [ -n "$v" ] && echo "$v" || sed -n "s/^$1=//p" .env; }
compose() { docker-compose "$@"; }

tag="$(setting KBI_IMAGE_TAG)"
for image in kafka reader preprocessor inference writer; do
  if ! "$docker" image inspect "kbi-$image:$tag" >/dev/null 2>&1; then
    ../docker/build-images.sh "$@"
    break
  fi
done

# The writer runs as uid 10001: its output folder must be writable for it.
output="$(setting KBI_OUTPUT_DIR)"
mkdir -p "$output"
chmod a+rwx "$output"
output="$(cd "$output" && pwd)"

scale=()
for s in ${KBI_SCALE:-}; do scale+=(--scale "$s"); done
compose up -d "${scale[@]}"

# Healthy = each container's HEALTHCHECK (/q/health; the broker answering); the topics step exited 0.
deadline=$((SECONDS + ${KBI_UP_TIMEOUT:-300}))
for service in kafka reader preprocessor inference writer; do
  for id in $(compose ps -q "$service"); do
    until [ "$("$docker" inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "$service ($id) is not healthy; its last log lines:" >&2
        "$docker" logs --tail 30 "$id" >&2
        exit 1
      fi
      sleep 2
    done
  done
done
echo "Up (project $COMPOSE_PROJECT_NAME):"
echo "  broker:     127.0.0.1:$(setting KBI_KAFKA_PORT)   (input topic kbi.input, results kbi.results)"
echo "  jobs:       http://127.0.0.1:$(setting KBI_READER_PORT)/jobs   (deploy/compose/submit.sh FOLDER JOB)"
echo "  job status: http://127.0.0.1:$(setting KBI_WRITER_PORT)/jobs/<job id>"
echo "  output:     $output/<job id>/"
