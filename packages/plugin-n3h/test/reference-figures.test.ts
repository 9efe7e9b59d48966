import { describe, expect, it } from 'vitest';
import { REFERENCE_HARDWARE } from '../src/hardware/hardware-point.js';
import { dspCoreCycles } from '../src/latency/dsp-core-cycles.js';
import { lutCoreCycles } from '../src/latency/lut-core-cycles.js';
import { networkLatency } from '../src/latency/network-latency.js';
import { roundHalfEven } from '../src/latency/python-round.js';
import { balancedRatio } from '../src/latency/split-ratio.js';
import type { SplitRatio } from '../src/policy/layer-policy.js';
import { RESNET18_IMAGENET_GEMMS } from '../src/workload/gemm-layer.js';

const uniform = (weightBits: number, activationBits: number, ratio: SplitRatio) => () => ({ weightBits, activationBits, ratio });
const total = (w: number, a: number, ratio: SplitRatio): number => networkLatency(RESNET18_IMAGENET_GEMMS, REFERENCE_HARDWARE, uniform(w, a, ratio)).totalMs;

describe('N3H latency model against the reference implementation (ResNet-18 ImageNet, Dk=128 Dm=8 Dn=16 Bm=8192 Lmem=8192 Rmem=2048)', () => {
  // Figures of zhihanxu/N3H-Core's cal_bismo/cal_dsp/cal_ratio at this point (papers.md §4), every layer at the given bits.
  it.each([
    ['W2A2, balanced split', 2, 2, 'auto', 17.04],
    ['W4A4, balanced split', 4, 4, 'auto', 36.64],
    ['W8A8, balanced split', 8, 8, 'auto', 64.52],
    ['DSP-only (ratio 0)', 8, 8, 0, 82.31],
    ['LUT-only W4A4 (ratio 1)', 4, 4, 1, 58.32],
  ] as const)('%s: %f ms', (_label, w, a, ratio, expected) => {
    expect(Math.abs(total(w, a, ratio) - expected)).toBeLessThan(0.005 + 1e-9);
  });

  it('balances W4A4 layers at the reference ratios', () => {
    expect(RESNET18_IMAGENET_GEMMS.map((layer) => balancedRatio(layer, REFERENCE_HARDWARE, 4, 4))).toEqual(
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.63, 0, 0.63, 0.63, 0.63, 0.69, 0, 0.69, 0.69, 0.66, 0.68, 0.72, 0.68, 0.68, 0.51]);
  });
});

describe('hand-worked small cases', () => {
  it('LUT core: one tile of everything', () => {
    // m=8,k=128,n=16 on Dm=8,Dk=128,Dn=16, Ab=Wb=1, Bm=8: tiles 1,1,1; regions 8; 1 fetch, last 1 → 1 iteration.
    // lfetch bram = 8·128/64 = 16; rfetch = 16·128/64 = 32; exec = 9·1·1+8 = 17; lfetch = 32+9+16+5 = 62 > 18 → delt 0; fr = 0.
    // total = 238 + 62·1/1 + (32+9+32+5)·1·1 = 378.
    expect(lutCoreCycles(8, 128, 16, { ...REFERENCE_HARDWARE, Bm: 8 }, 1, 1)).toBe(378);
    expect(lutCoreCycles(8, 128, 0, REFERENCE_HARDWARE, 4, 4)).toBe(0);
  });

  it('DSP core: one tile row', () => {
    // m=1,k=32,n=16, full width: tk=2, tm=1, tn=1; rl=floor(8192/2)=4096, rr=floor(2048/2/2)=512.
    // trl=0, ll=1; trr=0, lr=1. readL = 32+1+2·8·2 = 65; exLite=2·512·2, rdLite=4 → sync 0; last: 2·1·2=4 > 4? no → syncL = 0.
    // LLR = 2·1·1·2·1 + 32+1+2·8·2 + 32+16 + 2·1·2·8 = 4 + 65 + 48 + 32 = 149; total = 149 + 32 = 181.
    expect(dspCoreCycles(1, 32, 16, REFERENCE_HARDWARE, true)).toBe(181);
  });

  it('rounds channel splits as Python does (ties to even)', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 40.5].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 40]);
  });
});
