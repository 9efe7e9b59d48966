import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { silentLogger } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { TempDir } from '@whittle/testing';
import { buildResNet18ImageNet } from '@whittle/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

const temp = new TempDir('whittle-cli-fpga-');
let model: string;
const REFERENCE_HW = 'Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048';

beforeAll(async () => {
  await tf.setBackend('cpu');
  const resnet = buildResNet18ImageNet({ seed: 0 });
  await saveModel(resnet, temp.path('resnet18'));
  resnet.dispose();
  model = temp.path('resnet18', 'model.json');
}, 120_000);
afterAll(() => temp.cleanup());

async function fpga(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['fpga', model, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('whittle fpga', () => {
  it('gives the reference W4A4 total (36.64 ms) for the zoo ResNet-18 at the reference hardware point, as JSON', async () => {
    const { code, out, err } = await fpga('--board', 'xc7z045', '--hw', REFERENCE_HW, '--bits', 'W4A4', '--json');
    expect(code, err).toBe(0);
    const json = JSON.parse(out) as { totalMs: number; fits: boolean; layers: { layer: string; m: number; k: number; n: number; lutMs: number; dspMs: number; ms: number; ratio: number }[]; dspOnlyMs: number; lutOnlyMs: number };
    expect(json.layers.length).toBe(21);
    expect(Math.abs(json.totalMs - 36.64)).toBeLessThan(0.005 + 1e-9);
    expect(json.fits).toBe(true);
    const stem = json.layers[0]!;
    expect([stem.m, stem.k, stem.n]).toEqual([12544, 147, 64]);
    for (const l of json.layers) expect(l.ms).toBeCloseTo(Math.max(l.lutMs, l.dspMs), 12);
    expect(json.layers.map((l) => l.ratio).slice(6, 8)).toEqual([0.63, 0]);
    expect(json.totalMs).toBeLessThan(json.lutOnlyMs);
    expect(json.totalMs).toBeLessThan(json.dspOnlyMs);
  });

  it('prints the per-layer table, the totals and the resources as text; DSP-only and LUT-only by --ratio', async () => {
    const text = await fpga('--board', 'xc7z045', '--hw', REFERENCE_HW, '--bits', 'W4A4');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^layer\s+M\s+K\s+N\s+bits\s+ratio/m);
    expect(text.out).toMatch(/stem_conv\s+12544\s+147\s+64\s+W4A4/);
    expect(text.out).toMatch(/total 36\.64 ms \(heterogeneous\); DSP-only 82\.31 ms; LUT-only 58\.32 ms/);
    expect(text.out).toMatch(/resources: DSP 128\/900, LUT \d+\/218600, BRAM36 \d+\/545 — fits XC7Z045/);
    const dspOnly = JSON.parse((await fpga('--board', 'xc7z045', '--hw', REFERENCE_HW, '--bits', 'W8A8', '--ratio', '0', '--json')).out) as { totalMs: number };
    expect(Math.abs(dspOnly.totalMs - 82.31)).toBeLessThan(0.005 + 1e-9);
  });

  it('reads a policy file (per-layer bits and splits)', async () => {
    const first = JSON.parse((await fpga('--board', 'xc7z045', '--hw', REFERENCE_HW, '--bits', 'W2A2', '--json')).out) as { layers: { layer: string }[]; totalMs: number };
    const policy = temp.path('policy.json');
    writeFileSync(policy, JSON.stringify({ layers: Object.fromEntries(first.layers.map((l) => [l.layer, { weightBits: 2, activationBits: 2, ratio: 'auto' }])) }));
    const { code, out, err } = await fpga('--board', 'xc7z045', '--hw', REFERENCE_HW, '--policy', policy, '--json');
    expect(code, err).toBe(0);
    expect(Math.abs((JSON.parse(out) as { totalMs: number }).totalMs - 17.04)).toBeLessThan(0.005 + 1e-9);
  });

  it('refuses a design that does not fit the board, naming the resource and by how much (exit 2)', async () => {
    const { code, out, err } = await fpga('--board', 'xc7z020', '--hw', REFERENCE_HW, '--bits', 'W4A4');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/does not fit XC7Z020: BRAM36: needs \d+, XC7Z020 has 140 \(\d+ over/);
    const anyway = await fpga('--board', 'xc7z020', '--hw', REFERENCE_HW, '--bits', 'W4A4', '--allow-oversized');
    expect(anyway.code).toBe(0);
    expect(anyway.out).toMatch(/does NOT fit XC7Z020: BRAM36/);
  });

  it.each([
    [['--hw', 'Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048,Dz=3'], /unknown hardware parameter "Dz"/],
    [['--hw', 'Dk=128,Dm=8'], /hardware parameter Dn must be a positive integer/],
    [['--hw', 'Dk=abc'], /--hw: cannot read "Dk=abc"/],
    [['--board', 'zcu102'], /--board: unknown board "zcu102"/],
    [['--bits', 'W9A4'], /--bits: "W9A4" is not W<w>A<a>/],
    [['--ratio', '1.5'], /--ratio: "1.5" is not "auto" or a number in \[0, 1\]/],
    [['--bits', 'W4A4', '--policy', 'p.json'], /--bits and --policy both given/],
    [['--policy', '/nonexistent/policy.json'], /--policy \/nonexistent\/policy.json/],
  ])('exits 2 with a message on bad input %j', async (args, message) => {
    const { code, err } = await fpga(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
