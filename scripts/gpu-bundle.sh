#!/usr/bin/env bash
# Packs the fused kernel's Node benchmark for a GPU machine that has no Node and no registry (the `device`
# machines of this workplace, or any Linux x86-64 box with an NVIDIA/AMD/Intel Vulkan driver):
#   .gpu/bench.mjs      scripts/bench-fused.ts bundled into one file (tfjs included; `webgpu` left external)
#   .gpu/node.xz        this machine's node binary, xz-compressed (≈ 24 MB)
#   .gpu/dawn.node.xz   Dawn for Node (npm `webgpu`), beside its loader in .gpu/node_modules/webgpu
#   .gl/*.deb           Debian's Vulkan loader (libvulkan1), unpacked there with dpkg -x
#   .gpu/run.sh         unpacks all that and runs the bench once per argument string, writing to $OUT
# Then, on the GPU machine, from the repository root: bash .gpu/run.sh "--ms 2000" "--paths --ms 2000"
# (FINDINGS.md: "WGSL in Node, headless"). Both folders are ignored by git (.git/info/exclude).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .gpu/node_modules/webgpu/dist/linux-x64 .gl .git/info
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
grep -qx '/.gl/' .git/info/exclude 2>/dev/null || echo '/.gl/' >> .git/info/exclude
npx esbuild scripts/bench-fused.ts --bundle --platform=node --format=esm --target=node20 --external:webgpu \
  --outfile=.gpu/bench.mjs --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json .gpu/node_modules/webgpu/
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > .gpu/dawn.node.xz
xz -T0 -6 -c "$(command -v node)" > .gpu/node.xz
(cd .gl && rm -f ./*.deb && apt-get download libvulkan1 2>/dev/null)
cat > .gpu/run.sh <<'RUN'
#!/usr/bin/env bash
set -o pipefail
for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
# The GPU's own driver (NVIDIA's where present); else the loader's default search (SwiftShader's where Chromium is).
ICD=$(ls /usr/local/nvidia/share/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json 2>/dev/null | head -1)
echo "Vulkan driver: ${ICD:-none found}"; [ -n "$ICD" ] && export VK_ICD_FILENAMES=$ICD VK_DRIVER_FILES=$ICD
OUT=${OUT:-$PWD/gpu-out}; mkdir -p "$OUT"
cd .gpu && xz -dkf node.xz && chmod +x node && xz -dc dawn.node.xz > node_modules/webgpu/dist/linux-x64/dawn.node
nvidia-smi -L 2>/dev/null || true
for args in "$@"; do
  name=$(echo "$args" | tr -c 'a-zA-Z0-9' '_' | cut -c1-40)
  echo "== bench $args"
  # shellcheck disable=SC2086
  ./node bench.mjs $args --out "$OUT/$name.json" 2>&1 | grep -v XDG_RUNTIME | tee "$OUT/$name.log"
done
RUN
chmod +x .gpu/run.sh
du -sh .gpu .gl
