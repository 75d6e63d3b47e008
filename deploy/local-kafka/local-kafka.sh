#!/usr/bin/env sh
# Starts, stops or checks the local Kafka broker: local-kafka.sh start|stop|status --data-dir DIR [options]
# (see README.md). Needs this module built: ./mvnw -pl deploy/local-kafka -am package -DskipTests
set -eu
module=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$module/target/classes" ] || [ ! -d "$module/target/kafka-libs" ]; then
  echo "local-kafka: build first: ./mvnw -pl deploy/local-kafka -am package -DskipTests" >&2
  exit 1
fi
# log4j2.level: the CLI has no log4j configuration of its own; show only errors, without log4j's notice about it.
exec "${JAVA:-java}" -Dlog4j2.level=ERROR \
  -cp "$module/target/classes:$module/target/kafka-libs/*" dev.kbi.localkafka.LocalKafkaMain "$@"
