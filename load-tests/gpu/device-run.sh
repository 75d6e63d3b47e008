#!/usr/bin/env bash
# Runs on the lent GPU machine, from the repository root, with the kit carried in .gpu-kit:
# builds DJL's PyTorch JNI against the machine's torch (CUDA), exports the ResNet-50 there, then
# measures the inference service's model code on GPU (fp32) and on that machine's CPU.
set -euo pipefail
KIT="$(cd "$(dirname "$0")" && pwd)"
OUT="${OUT:-$KIT/out}"; mkdir -p "$OUT"
PY="${PY:-python3}"
export PY
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
( time bash "$KIT/build_jni.sh" ) > "$OUT/build.log" 2>&1 || { tail -50 "$OUT/build.log"; exit 1; }
"$PY" "$KIT/export_resnet50.py" --out "$KIT/models/resnet50/model.pt" > "$OUT/export.log" 2>&1
run() { bash "$KIT/run.sh" dev.kbi.loadtests.gpu.ModelThroughput "$@" 2>&1 | grep -E "images/s|Exception|Error" ; }
{
  run "$KIT/models/resnet50" gpu 10 1 8 32 64 128 256
  run "$KIT/models/fashion-mnist" gpu 5 32 256 1024
  run "$KIT/models/resnet50" cpu 10 32
} | tee "$OUT/throughput.txt"
