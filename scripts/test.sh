#!/usr/bin/env bash
# Every test: type check, lint and format, unit and property tests (Node), then end-to-end tests in headless Chromium
# with WebGPU on SwiftShader. Installs Debian's chromium first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "== installing Debian's chromium (needed by the browser tests)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# Dawn in Node (npm 'webgpu') runs the fused kernel's tests on SwiftShader's Vulkan driver, which Chromium
# installs; the Vulkan loader itself is Debian's libvulkan1 (Chromium bundles its own copy).
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  echo "== installing Debian's libvulkan1 (needed by the fused kernel's tests in Node)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libvulkan1 >/dev/null
fi

# Each stage says when it starts (seconds since this script began), so a slow stage shows in CI's log.
stage() { echo "== $1 (at ${SECONDS} s)"; }

stage "the CPU trainer's WebAssembly module"
npx tsx scripts/build-cpu.ts
stage "type check"
npx tsc --noEmit
stage "lint (ESLint, type-aware: layers, import cycles, floating promises, unused code) and format (Prettier)"
npx eslint .
npx prettier --check .
stage "unit and property tests"
npx vitest run
stage "build"
npx vite build --logLevel warn
stage "browser tests (WebGPU on SwiftShader; the CPU trainer where the page picks it)"
npx playwright test
stage "every regression lesson's claim on seed 0 at its full step budget (the CPU trainer)"
npx tsx scripts/lessons.ts --seed 0
echo "== every test passed in ${SECONDS} s"
