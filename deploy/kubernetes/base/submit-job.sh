#!/bin/sh
# Submits one job of files to the reader service (POST /jobs) and follows it until its reading ends:
# exit 0 once it is announced (or was cancelled), 1 when the reader could not read it or refused it.
# If the reader forgets the job (its pod restarted mid-job), the job is submitted again: the reader
# resumes after the blocks it committed before, so no row is sent twice.
#   KBI_READER_URL  the reader service, e.g. http://kbi-reader:8080
#   JOB_ID          the job id (its output folder's name)
#   JOB_INPUT       a directory or a .jsonl, .csv or .parquet manifest, under the reader's allowed roots
#   POLL_SECONDS    how often to ask (default 10)
set -u
jobs_url="${KBI_READER_URL%/}/jobs"
body="{\"input\": \"${JOB_INPUT}\", \"jobId\": \"${JOB_ID}\"}"
answer="${TMPDIR:-/tmp}/kbi-submit-answer.$$"
trap 'rm -f "$answer"' EXIT

state_of() { sed -n 's/.*"state" *: *"\([A-Z]*\)".*/\1/p' "$answer"; }

while :; do
  code=$(curl -sS -o "$answer" -w '%{http_code}' "$jobs_url/$JOB_ID" 2>/dev/null) || code=000
  state=$([ "$code" = 200 ] && state_of)
  case "$state" in
    ANNOUNCED|CANCELLED)
      echo "job $JOB_ID: $state ($(cat "$answer"))"
      exit 0 ;;
    FAILED)
      echo "job $JOB_ID could not be read: $(cat "$answer")" >&2
      exit 1 ;;
    QUEUED|READING)
      echo "job $JOB_ID: $state" ;;
    *)
      # Not known to the reader (never submitted, or its pod restarted): submit it.
      code=$(curl -sS -o "$answer" -w '%{http_code}' -X POST "$jobs_url" \
        -H 'Content-Type: application/json' -d "$body" 2>/dev/null) || code=000
      case "$code" in
        202|409) echo "job $JOB_ID submitted to $jobs_url" ;;
        000|5*)  echo "the reader at $jobs_url does not answer yet (HTTP $code); retrying" >&2 ;;
        *)       echo "the reader refused job $JOB_ID (HTTP $code): $(cat "$answer")" >&2
                 exit 1 ;;
      esac ;;
  esac
  sleep "${POLL_SECONDS:-10}"
done
