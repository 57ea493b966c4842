#!/usr/bin/env bash
# Rebuilds src/linalg/linalg.wasm from src/linalg/c/*.c with Debian's clang and lld (wasm32, SIMD,
# shared memory for the worker threads, no libc). The output is byte-for-byte reproducible for a
# given clang version: no paths, timestamps or debug sections are embedded (.ci/run compares it with
# the committed file). Usage: src/linalg/build.sh [output.wasm]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/linalg.wasm}"
cd "$here/c"
clang --target=wasm32 -nostdlib -ffreestanding -O3 -msimd128 -matomics -mbulk-memory -mmutable-globals \
  -fno-ident -ffp-contract=off -Wall -Wextra -Wno-unused-parameter -Wno-unused-function \
  -Wl,--no-entry -Wl,--import-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
  -Wl,--export=__heap_base -Wl,--export=__stack_pointer -Wl,-z,stack-size=1048576 -Wl,--strip-all \
  -o "$out" gemm.c eigen.c svd.c modrank.c threads.c
