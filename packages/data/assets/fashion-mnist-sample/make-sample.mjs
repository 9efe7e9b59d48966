#!/usr/bin/env node
// Makes the embedded Fashion-MNIST sample: a class-balanced, seeded subset of the official IDX files.
// Usage (from the repository root, with Debian's dataset-fashion-mnist installed):
//   node packages/data/assets/fashion-mnist-sample/make-sample.mjs [/usr/share/datasets/fashion-mnist]
// Same source + same seed → byte-identical output (gzip level 9, no file name or time in the header).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import seedrandom from 'seedrandom';

const SOURCE = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const OUT = dirname(fileURLToPath(import.meta.url));
const SEED = 'whittle-fashion-mnist-sample';
const PER_CLASS = { train: 200, t10k: 40 };
const CLASSES = 10;

function readIdx(name) {
  const bytes = gunzipSync(readFileSync(join(SOURCE, name)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ndims = bytes[3];
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  return { dims, data: bytes.subarray(4 + 4 * ndims) };
}

function idxBytes(dims, data) {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08; // unsigned bytes
  header[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return Buffer.concat([header, data]);
}

/** Fisher–Yates with seedrandom's `quick()`, as the kernel's SeededRng does. */
function shuffled(items, rng) {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.quick() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

for (const [split, perClass] of Object.entries(PER_CLASS)) {
  const images = readIdx(`${split}-images-idx3-ubyte.gz`);
  const labels = readIdx(`${split}-labels-idx1-ubyte.gz`);
  const [, h, w] = images.dims;
  const rng = seedrandom(`${SEED}:${split}`);
  const chosen = [];
  for (let c = 0; c < CLASSES; c++) {
    const ofClass = [];
    labels.data.forEach((label, i) => label === c && ofClass.push(i));
    chosen.push(...shuffled(ofClass, rng).slice(0, perClass));
  }
  chosen.sort((a, b) => a - b); // keep the source's order: classes stay interleaved
  const pixels = Buffer.alloc(chosen.length * h * w);
  chosen.forEach((src, dst) => pixels.set(images.data.subarray(src * h * w, (src + 1) * h * w), dst * h * w));
  const picked = Buffer.from(chosen.map((i) => labels.data[i]));
  writeFileSync(join(OUT, `${split}-images-idx3-ubyte.gz`), gzipSync(idxBytes([chosen.length, h, w], pixels), { level: 9 }));
  writeFileSync(join(OUT, `${split}-labels-idx1-ubyte.gz`), gzipSync(idxBytes([chosen.length], picked), { level: 9 }));
  console.log(`${split}: ${chosen.length} examples (${perClass} per class) from ${labels.dims[0]}`);
}
