#!/bin/sh
# Starts the service's Quarkus fast jar with $JAVA_OPTS $JAVA_OPTS_APPEND (the convention of
# Quarkus' own images). In the inference image, preloads tcmalloc unless LD_PRELOAD is already set
# (see Dockerfile.jvm for why).
set -eu

app_dir="${KBI_APP_DIR:-/deployments}"
tcmalloc=/opt/kbi/preload/libtcmalloc_minimal.so.4

if [ -z "${LD_PRELOAD:-}" ] && [ -e "${tcmalloc}" ]; then
    export LD_PRELOAD="${tcmalloc}"
fi

# Word splitting of the two option strings is intended.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -jar "${app_dir}/quarkus-run.jar" "$@"
