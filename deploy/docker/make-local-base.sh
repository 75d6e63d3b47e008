#!/usr/bin/env bash
# Makes a Java 17 base image from Debian packages, for machines that can reach a Debian mirror but
# no container registry (so eclipse-temurin:17-jre cannot be pulled). The image holds a minimal
# Debian bookworm with openjdk-17-jre-headless, tcmalloc (inference preloads it) and curl (the
# images' health checks), and is imported as kbi-base:bookworm-jre17 unless it exists already.
#   deploy/docker/make-local-base.sh [IMAGE]        # needs root (debootstrap) and a Docker engine
# The mirror is the one apt already uses (KBI_DEBIAN_MIRROR overrides it).
set -euo pipefail

image="${1:-kbi-base:bookworm-jre17}"
docker="${DOCKER:-docker}"
if "$docker" image inspect "$image" >/dev/null 2>&1; then
  echo "Base image $image exists"
  exit 0
fi

# The first Debian mirror in apt's sources: deb822 (URIs: ...) or one-line (deb URL suite ...).
mirror="${KBI_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
      | awk '/^URIs:/ && $2 ~ /debian\/?$/ { print $2; exit }')"
fi
if [ -z "$mirror" ]; then
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }')"
fi
if [ -z "$mirror" ]; then
  echo "No Debian mirror found in apt's sources; set KBI_DEBIAN_MIRROR" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "Building $image from $mirror (debootstrap, about 30 s)"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,libtcmalloc-minimal4,curl,ca-certificates \
  bookworm "$root" "$mirror" > "$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"
# Smaller image: no package lists or caches (a build that needs a package runs apt-get update).
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
tar -C "$root" -c . | "$docker" import \
  --change 'ENV LANG=C.UTF-8' \
  --change "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
  --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
"$docker" run --rm "$image" java -version 2>&1 | head -1
echo "Base image $image ready"
