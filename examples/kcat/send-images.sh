#!/usr/bin/env bash
# Sends every JPEG and PNG of a folder to the pipeline's input topic with kcat (Debian package
# `kcat`), one record per image (key = the file name, kept as the rows' `key` and the results'
# record key), as job JOB; then announces the job's total on kbi.jobs, so that it completes.
#
#   examples/kcat/send-images.sh BOOTSTRAP FOLDER JOB
#
# BOOTSTRAP is the broker's host:port (the local pipeline prints it). Extra librdkafka settings
# (a secured cluster) go in KCAT_OPTS, e.g. KCAT_OPTS="-X security.protocol=SASL_SSL ...".
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "usage: $0 BOOTSTRAP FOLDER JOB" >&2
    exit 2
fi
bootstrap="$1"
folder="$2"
job="$3"
input_topic="${KBI_TOPICS_INPUT:-kbi.input}"
jobs_topic="${KBI_TOPICS_JOBS:-kbi.jobs}"

count=0
for file in "$folder"/*; do
    case "${file,,}" in
        *.png) type=image/png ;;
        *.jpg | *.jpeg) type=image/jpeg ;;
        *) continue ;;
    esac
    # One file argument = one record holding the whole file.
    # shellcheck disable=SC2086
    kcat -P -b "$bootstrap" ${KCAT_OPTS:-} -t "$input_topic" -k "$(basename "$file")" \
        -H "content-type=$type" -H "kbi-job-id=$job" "$file"
    count=$((count + 1))
done

printf '{"jobId": "%s", "input": "kcat %s", "totalRows": %d, "announcedAtMillis": %d}\n' \
    "$job" "$folder" "$count" "$(date +%s%3N)" |
    # shellcheck disable=SC2086
    kcat -P -b "$bootstrap" ${KCAT_OPTS:-} -t "$jobs_topic" -k "$job"
echo "Sent $count images as job $job to $input_topic"
