#!/bin/sh
# Creates the pipeline's topics, idempotently; run by the kbi-create-topics Job (apache/kafka image).
# A missing topic is created. An existing topic keeps its settings, except that it gets more
# partitions when it has fewer than asked (never fewer: Kafka cannot remove partitions) and the data
# topics' max.message.bytes is set again, since the services split blocks just below that size.
set -eu

bin="${KAFKA_HOME:-/opt/kafka}/bin"
max_message_bytes="${KBI_MAX_MESSAGE_BYTES:-8388608}"

# Options shared by every call. They hold no spaces, so they travel as one unquoted word list.
common="--bootstrap-server ${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS is required}"
# A secured cluster (SASL/TLS): client properties mounted at this path (see the Job).
if [ -f /etc/kbi/kafka-client/client.properties ]; then
    common="${common} --command-config /etc/kbi/kafka-client/client.properties"
fi
# Unset = the brokers' default.replication.factor.
replication=""
if [ -n "${TOPIC_REPLICATION_FACTOR:-}" ]; then
    replication="--replication-factor ${TOPIC_REPLICATION_FACTOR}"
fi

# The topics that exist now, listed once: a missing topic is then created in one call, with its
# partitions and configs (each tool call starts a JVM, a second or two).
# shellcheck disable=SC2086
existing="$("${bin}/kafka-topics.sh" ${common} --list)"

ensure_topic() { # name partitions [key=value config]...
    name="$1"
    partitions="$2"
    shift 2
    configs=""
    for config in "$@"; do
        configs="${configs} --config ${config}"
    done
    if ! printf '%s\n' "${existing}" | grep -qxF "${name}"; then
        # shellcheck disable=SC2086
        "${bin}/kafka-topics.sh" ${common} --create --if-not-exists --topic "${name}" \
            --partitions "${partitions}" ${replication} ${configs}
        echo "Topic ${name}: ${partitions} partition(s)"
        return
    fi
    # shellcheck disable=SC2086
    current="$("${bin}/kafka-topics.sh" ${common} --describe --topic "${name}" \
        | sed -n 's/.*PartitionCount: *\([0-9][0-9]*\).*/\1/p' | head -n 1)"
    if [ -z "${current}" ]; then
        echo "Topic ${name}: could not read its partition count" >&2
        exit 1
    fi
    if [ "${current}" -lt "${partitions}" ]; then
        echo "Topic ${name}: ${current} partition(s), adding up to ${partitions}"
        # shellcheck disable=SC2086
        "${bin}/kafka-topics.sh" ${common} --alter --topic "${name}" --partitions "${partitions}"
        current="${partitions}"
    fi
    if [ "$#" -gt 0 ]; then
        # shellcheck disable=SC2086
        "${bin}/kafka-configs.sh" ${common} --alter --entity-type topics --entity-name "${name}" \
            --add-config "$(IFS=,; echo "$*")"
    fi
    echo "Topic ${name}: ${current} partition(s)"
}

# Data topics: partitions >= the most consumers the stage reading them can run
# (KEDA maxReplicaCount x KBI_STAGE_CONCURRENCY), see scaledobjects.yaml.
# The public input: records other systems produce, one image or reference each (or an Arrow block).
ensure_topic "${KBI_TOPICS_INPUT:-kbi.input}" "${INPUT_PARTITIONS:-4}" "max.message.bytes=${max_message_bytes}"
ensure_topic "${KBI_TOPICS_IMAGES:-kbi.images}" "${IMAGES_PARTITIONS:-8}" "max.message.bytes=${max_message_bytes}"
ensure_topic "${KBI_TOPICS_TENSORS:-kbi.tensors}" "${TENSORS_PARTITIONS:-8}" "max.message.bytes=${max_message_bytes}"
ensure_topic "${KBI_TOPICS_PREDICTIONS:-kbi.predictions}" "${PREDICTIONS_PARTITIONS:-4}" "max.message.bytes=${max_message_bytes}"
ensure_topic "${KBI_TOPICS_DEAD_LETTERS:-kbi.dead-letters}" "${DEAD_LETTERS_PARTITIONS:-4}" "max.message.bytes=${max_message_bytes}"
# The public results: one JSON record per written prediction; read by other systems, not by a stage.
ensure_topic "${KBI_TOPICS_RESULTS:-kbi.results}" "${RESULTS_PARTITIONS:-4}"
# Job announcements: one partition, compacted (the latest total per job id).
ensure_topic "${KBI_TOPICS_JOBS:-kbi.jobs}" 1 "cleanup.policy=compact"
# Job tracking: each stage's per-job counts, sent in its transactions (key = job id; several partitions
# so many workers' commits spread), and each job's status as the writer's job-status app publishes it
# (one record per job id: compacted).
ensure_topic "${KBI_TOPICS_JOB_EVENTS:-kbi.job-events}" "${JOB_EVENTS_PARTITIONS:-4}"
ensure_topic "${KBI_TOPICS_JOB_STATUS:-kbi.job-status}" 1 "cleanup.policy=compact"
