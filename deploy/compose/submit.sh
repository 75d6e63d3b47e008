#!/usr/bin/env bash
# Runs one job of files through the compose stack and waits for its end:
#   deploy/compose/submit.sh FOLDER [JOB_ID]
# FOLDER is a directory or a .jsonl/.csv/.parquet manifest under KBI_INPUT_DIR (mounted at
# /data/input), e.g. fashion-mnist. Submits it to the reader (POST /jobs, with the script the
# Kubernetes submit Job runs), then prints the job status from the writer once it is final.
# Exit 0 when the job SUCCEEDED.
set -euo pipefail
cd "$(dirname "$0")"
[ $# -ge 1 ] || { sed -n '2,7p' "$0"; exit 2; }
setting() { local v="${!1:-}"; [ -n "$v" ] && echo "$v" || sed -n "s/^$1=//p" .env; }

job="${2:-job-$(date +%s)}"
KBI_READER_URL="http://127.0.0.1:$(setting KBI_READER_PORT)" JOB_ID="$job" JOB_INPUT="/data/input/$1" \
  POLL_SECONDS="${POLL_SECONDS:-2}" sh ../kubernetes/base/submit-job.sh

status_url="http://127.0.0.1:$(setting KBI_WRITER_PORT)/jobs/$job"
deadline=$((SECONDS + ${KBI_JOB_TIMEOUT:-1800}))
while :; do
  status="$(curl -fsS "$status_url" 2>/dev/null || true)"
  case "$status" in
    *'"state":"SUCCEEDED"'*) echo "$status"; exit 0 ;;
    *'"state":"FAILED"'*|*'"state":"CANCELLED"'*) echo "$status" >&2; exit 1 ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "job $job not final after ${KBI_JOB_TIMEOUT:-1800} s: $status" >&2
    exit 1
  fi
  sleep 2
done
