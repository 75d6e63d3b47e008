#!/usr/bin/env bash
# Prepares, on this machine, the kit that runs the inference service's own model code on the lent
# GPU machine (no JDK, no network there; 64 MiB per call). See README.md beside this file.
#   DJL_SRC=/path/to/djl-v0.36.0 load-tests/gpu/prepare-kit.sh
# DJL_SRC: a checkout of DJL at tag v0.36.0 (the JNI's C++ sources and PyTorchLibrary.java); it is
# not part of this repository and nothing here downloads it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
KIT="$ROOT/.gpu-kit"
SHARED="$ROOT/../shared/gpu"
: "${DJL_SRC:?set DJL_SRC to a DJL v0.36.0 checkout}"
cd "$ROOT"
./mvnw -q -B install -DskipTests -pl load-tests -am
rm -rf "$KIT" && mkdir -p "$KIT/lib" "$KIT/models"

# Java: a jlink'd runtime (Temurin 25's needs only glibc 2.17), enough for DJL and the JNI build.
JDK=/usr/lib/jvm/temurin-25-jdk-amd64; [ -x "$JDK/bin/jlink" ] || JDK="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported,java.desktop \
  --strip-debug --no-man-pages --compress=2 --output "$KIT/jre"
cp -r "$JDK/include" "$KIT/jre/include"

# The service's model code and DJL's Java side; no pytorch-native-cpu / pytorch-jni (the JNI is built there).
cp services/inference/target/kbi-inference-*.jar load-tests/target/kbi-load-tests-*.jar "$KIT/lib/"
for jar in load-tests/target/lib/*.jar; do
  case "$(basename "$jar")" in
    api-*|pytorch-engine-*|jna-*|gson-*|jackson-*|slf4j-api-*|commons-compress-*) cp "$jar" "$KIT/lib/" ;;
  esac
done

# JNI sources plus the header javac generates from PyTorchLibrary.java.
NATIVE="$KIT/djl/engines/pytorch/pytorch-native"
mkdir -p "$NATIVE/build/include"
cp -r "$DJL_SRC/engines/pytorch/pytorch-native/CMakeLists.txt" "$DJL_SRC/engines/pytorch/pytorch-native/src" "$NATIVE/"
javac -h "$NATIVE/build/include" -d "$KIT/.javac" -cp "$KIT/lib/*" \
  "$DJL_SRC/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
rm -rf "$KIT/.javac"

cp -r models/fashion-mnist "$KIT/models/"
cp load-tests/models/export_resnet50.py "$KIT/"
cp "$SHARED/build_jni.sh" "$SHARED/run.sh" "$ROOT/load-tests/gpu/device-run.sh" "$KIT/"
du -sh "$KIT"
echo "Kit ready in $KIT: copy it to the GPU machine and run 'bash .gpu-kit/device-run.sh' there."
