#!/usr/bin/env bash
# Prints every committed result on kbi.results with kcat, one line each: the record key (the
# input's key, else the row id), the job, and the result's JSON; exits at the end of the topic.
#
#   examples/kcat/read-results.sh BOOTSTRAP
#
# read_committed: the writer produces results in the same transaction as the Parquet file that
# holds them, so this sees each row once, and never a result of an aborted transaction.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 BOOTSTRAP" >&2
    exit 2
fi
# shellcheck disable=SC2086
kcat -C -b "$1" ${KCAT_OPTS:-} -t "${KBI_TOPICS_RESULTS:-kbi.results}" -X isolation.level=read_committed \
    -o beginning -e -q -f '%k\t%h\t%s\n'
