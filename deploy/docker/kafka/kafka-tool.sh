#!/bin/sh
# The Kafka distribution's command-line tools, as /opt/kafka/bin/<tool>.sh links to this script
# (kafka-topics.sh, kafka-configs.sh, kafka-consumer-groups.sh, kafka-storage.sh): the same names and
# options as in the apache/kafka image, so scripts written for that image run here.
set -eu
home="${KAFKA_HOME:-/opt/kafka}"
case "$(basename "$0")" in
    kafka-topics.sh) main=org.apache.kafka.tools.TopicCommand ;;
    kafka-configs.sh) main=kafka.admin.ConfigCommand ;;
    kafka-consumer-groups.sh) main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
    kafka-storage.sh) main=kafka.tools.StorageTool ;;
    kafka-broker-api-versions.sh) main=org.apache.kafka.tools.BrokerApiVersionsCommand ;;
    *) echo "unknown tool $(basename "$0")" >&2; exit 2 ;;
esac
# A tool starts fast with the client compiler only.
exec java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$home/config/tools-log4j2.properties" -cp "$home/libs/*" "$main" "$@"
