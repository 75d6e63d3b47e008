#!/usr/bin/env bash
# Schema check of the manifests without a cluster: renders the base and every overlay with
# kustomize (`kustomize build`, or `kubectl kustomize`), then validates each object against the
# Kubernetes and KEDA schemas (npm packages kubernetes-models and @kubernetes-models/keda, installed
# into .work/tools on first use). Needs node and npm, and kustomize or kubectl.
#   deploy/kubernetes/tools/validate.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
MANIFESTS="$(cd "$HERE/.." && pwd)"
TOOLS="$(mkdir -p "$HERE/../../../.work/tools/k8s-validate" && cd "$HERE/../../../.work/tools/k8s-validate" && pwd)"

if [ ! -d "$TOOLS/node_modules/@kubernetes-models/keda" ]; then
  (cd "$TOOLS" && npm install --silent --no-audit --no-fund \
    kubernetes-models@5.1.0 @kubernetes-models/keda@2.0.0 js-yaml@4.1.0 >/dev/null)
fi

render() {
  if command -v kustomize >/dev/null 2>&1; then
    kustomize build "$1"
  elif command -v kubectl >/dev/null 2>&1; then
    kubectl kustomize "$1"
  else
    echo "validate.sh: needs kustomize or kubectl" >&2
    exit 1
  fi
}

mkdir -p "$TOOLS/rendered"
rendered=()
for dir in "$MANIFESTS/base" "$MANIFESTS"/overlays/*/; do
  name="$(basename "$dir")"
  render "$dir" > "$TOOLS/rendered/$name.yaml"
  rendered+=("$TOOLS/rendered/$name.yaml")
done
cp "$HERE/validate.mjs" "$TOOLS/validate.mjs"
exec node "$TOOLS/validate.mjs" "${rendered[@]}"
