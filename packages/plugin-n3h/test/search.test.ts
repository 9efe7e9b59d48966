import * as tf from '@tensorflow/tfjs';
import { registerWasmGradients } from '@whittle/engine';
import { SeededRng } from '@whittle/kernel';
import { useWasm, withoutLeaks } from '@whittle/testing';
import { buildResNet } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOARDS, resourceOverruns } from '../src/hardware/boards.js';
import { resourceUse } from '../src/hardware/resource-model.js';
import { networkLatency } from '../src/latency/network-latency.js';
import { ACTIVATION_BITS, actionsToHardware, HARDWARE_ACTIONS, WEIGHT_BITS, WIDE_ACTIVATION_BITS } from '../src/search/action-space.js';
import type { CandidateDesign } from '../src/search/candidate-design.js';
import { DdpgAgent } from '../src/search/ddpg-agent.js';
import { DesignEnvironment } from '../src/search/design-environment.js';
import { bestEpisode, ddpgSearch, randomSearch, type EpisodeRecord } from '../src/search/design-search.js';
import type { EpisodeEvaluator } from '../src/search/episode-evaluator.js';
import { tuneHardware } from '../src/search/hardware-tuning.js';
import { QuantizedAccuracyEvaluator } from '../src/search/quantized-accuracy-evaluator.js';
import { truncatedNormal } from '../src/search/truncated-normal.js';
import type { GemmLayer } from '../src/workload/gemm-layer.js';
import { modelGemms } from '../src/workload/model-gemms.js';

beforeAll(async () => {
  await useWasm();
  registerWasmGradients();
});

/** ResNet-20's GEMM sizes on 28×28×1 (what bench/n3h searches), built without weights in memory for long. */
function resnet20Gemms(): GemmLayer[] {
  const model = buildResNet({ depth: 20, inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
  try {
    return modelGemms(model);
  } finally {
    model.dispose();
  }
}

/** A synthetic evaluator: accuracy grows with the mean bits (no tensors), so a search has something to find. */
const bitsEvaluator = (calls: CandidateDesign[] = []): EpisodeEvaluator => ({
  baseAccuracy: async () => 0.9,
  evaluate: async (design) => {
    calls.push(design);
    const mean = design.layers.reduce((s, l) => s + l.weightBits + l.activationBits, 0) / (2 * design.layers.length);
    return { accuracy: 0.9 - (8 - mean) * 0.02 };
  },
});

describe('DDPG agent', () => {
  it('learns a 1-D bandit (reward −(a − 0.8)²) better than random actions in 300 episodes, without leaks', async () => {
    await withoutLeaks(() => {
      const reward = (a: number) => -((a - 0.8) ** 2);
      const agent = new DdpgAgent(2, { hidden: 64, batchSize: 32 }, SeededRng.from(7));
      const random = SeededRng.from(8);
      const state = Float32Array.from([0.5, 1]);
      const warmup = 20;
      const ddpgRewards: number[] = [];
      const randomRewards: number[] = [];
      try {
        for (let episode = 0; episode < 300; episode++) {
          const a = agent.act(state, episode, warmup);
          ddpgRewards.push(reward(a));
          randomRewards.push(reward(random.next()));
          agent.observeEpisode([state], [a], reward(a));
          if (episode >= warmup) for (let i = 0; i < 2; i++) agent.update();
        }
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        expect(mean(ddpgRewards.slice(-100))).toBeGreaterThan(mean(randomRewards.slice(-100)));
        expect(Math.abs(agent.greedyAction(state) - 0.8)).toBeLessThan(0.15);
      } finally {
        agent.dispose();
      }
    });
  });

  it('explores with a truncated normal inside [0, 1] and σ decaying 0.99 per episode', () => {
    const agent = new DdpgAgent(2, { hidden: 8 }, SeededRng.from(1));
    try {
      expect(agent.sigmaAt(20, 20)).toBe(0.5);
      expect(agent.sigmaAt(30, 20)).toBeCloseTo(0.5 * 0.99 ** 10, 12);
      const rng = SeededRng.from(2);
      const samples = Array.from({ length: 2000 }, () => truncatedNormal(rng, 0.95, 0.5));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThanOrEqual(1);
    } finally {
      agent.dispose();
    }
  });
});

describe('design environment and search', () => {
  let gemms: GemmLayer[] = [];
  const board = BOARDS['xc7z020']!;
  beforeAll(() => {
    gemms = resnet20Gemms();
  });

  it('maps actions into the reference ranges, and with the board into designs that fit it', () => {
    expect(actionsToHardware([0, 0, 0, 0, 0, 0]).hardware).toEqual({ Dk: 64, Dm: 1, Dn: 1, Bm: 1024, Lmem: 1024, Rmem: 1024 });
    expect(actionsToHardware([1, 1, 1, 1, 1, 1]).hardware).toEqual({ Dk: 256, Dm: 50, Dn: 50, Bm: 51200, Lmem: 25600, Rmem: 4096 });
    const env = new DesignEnvironment(gemms, board, { targetMs: 2 });
    expect(env.steps.length).toBe(6 + 2 * (gemms.length - 2));
    const rng = SeededRng.from(3);
    for (let i = 0; i < 200; i++) {
      const { design, states } = env.rollout(() => rng.next());
      for (const action of HARDWARE_ACTIONS) {
        const index = design.hardware[action.key] / action.unit;
        expect(Number.isInteger(index) && index >= action.min && index <= action.max).toBe(true);
      }
      for (const [i, layer] of design.layers.entries()) {
        const edge = gemms[i]!.edge;
        expect(layer.weightBits).toBeGreaterThanOrEqual(edge ? 8 : WEIGHT_BITS.min);
        expect(layer.weightBits).toBeLessThanOrEqual(WEIGHT_BITS.max);
        expect(layer.activationBits).toBeGreaterThanOrEqual(edge ? 8 : ACTIVATION_BITS.min);
        expect(layer.activationBits).toBeLessThanOrEqual(edge ? 8 : ACTIVATION_BITS.max);
        expect(layer.ratio).toBeGreaterThanOrEqual(0);
        expect(layer.ratio).toBeLessThanOrEqual(1);
      }
      expect(design.fits).toBe(true);
      expect(resourceOverruns(resourceUse(design.hardware), board)).toEqual([]);
      expect(states.every((s) => s.length === env.stateSize && s.every((v) => v >= 0 && v <= 1))).toBe(true);
      // The design's latency is the network latency of its policy.
      const total = networkLatency(gemms, design.hardware, (_l, j) => design.layers[j]!).totalMs;
      expect(design.latencyMs).toBeCloseTo(total, 9);
    }
  });

  it('with limitToTarget lowers the bits of a design that misses the target until it meets it (HAQ\'s action wall)', () => {
    const options = { targetMs: 1.2, activationBits: WIDE_ACTIVATION_BITS };
    const plain = new DesignEnvironment(gemms, board, options);
    const limited = new DesignEnvironment(gemms, board, { ...options, limitToTarget: true });
    const rng = SeededRng.from(11);
    let lowered = 0;
    for (let i = 0; i < 60; i++) {
      const actions = Array.from({ length: plain.steps.length }, (_, s) => (s < 6 ? rng.next() : 0.6 + 0.4 * rng.next()));
      const a = plain.rollout((_state, s) => actions[s]!).design;
      const b = limited.rollout((_state, s) => actions[s]!).design;
      expect(b.hardware).toEqual(a.hardware);
      if (!a.fits || a.meetsTarget) {
        expect(b).toEqual(a);
        continue;
      }
      const inner = b.layers.filter((_l, j) => !gemms[j]!.edge);
      b.layers.forEach((l, j) => {
        expect(l.weightBits).toBeLessThanOrEqual(a.layers[j]!.weightBits);
        expect(l.activationBits).toBeLessThanOrEqual(a.layers[j]!.activationBits);
      });
      const steps = a.layers.reduce((sum, l, j) => sum + l.weightBits - b.layers[j]!.weightBits + l.activationBits - b.layers[j]!.activationBits, 0);
      expect(b.bitsLowered).toBe(steps);
      if (b.meetsTarget) {
        lowered++;
        expect(b.latencyMs!).toBeLessThanOrEqual(1.2);
        expect(b.latencyMs).toBeCloseTo(networkLatency(gemms, b.hardware, (_l, j) => b.layers[j]!).totalMs, 9);
      } else {
        expect(inner.every((l) => l.weightBits === WEIGHT_BITS.min && l.activationBits === WIDE_ACTIVATION_BITS.min)).toBe(true);
      }
    }
    expect(lowered).toBeGreaterThan(0);
  });

  it('never returns a design that does not fit the board (or misses the target) as the best', async () => {
    // Full reference ranges: most random hardware points overflow the XC7Z020.
    const env = new DesignEnvironment(gemms, board, { targetMs: 1e9, fitBoard: false });
    const evaluated: CandidateDesign[] = [];
    const result = await randomSearch(env, bitsEvaluator(evaluated), { episodes: 40, warmup: 0 }, SeededRng.from(4));
    expect(result.episodes.some((e) => !e.design.fits)).toBe(true);
    expect(evaluated.every((d) => d.fits)).toBe(true);
    expect(result.episodes.filter((e) => !e.design.fits).every((e) => e.reward <= -2 && !e.evaluated)).toBe(true);
    if (result.best !== undefined) expect(result.best.design.fits).toBe(true);
    // A non-fitting record with the highest reward is still not the best.
    const fitting = result.episodes.find((e) => e.design.fits && e.evaluated);
    const over = result.episodes.find((e) => !e.design.fits)!;
    const records: EpisodeRecord[] = [{ ...over, reward: 10, evaluated: true }, ...(fitting === undefined ? [] : [fitting])];
    expect(bestEpisode(records)).toBe(fitting);
  });

  it('rewards −latency/target above the target without evaluating, and the accuracy change below it', async () => {
    const env = new DesignEnvironment(gemms, board, { targetMs: 1.2 });
    const evaluated: CandidateDesign[] = [];
    const result = await randomSearch(env, bitsEvaluator(evaluated), { episodes: 30, warmup: 0 }, SeededRng.from(5));
    for (const e of result.episodes) {
      if (e.design.meetsTarget) {
        const mean = e.design.layers.reduce((s, l) => s + l.weightBits + l.activationBits, 0) / (2 * e.design.layers.length);
        expect(e.reward).toBeCloseTo(0.01 * (100 * (0.9 - (8 - mean) * 0.02) - 90), 9);
      } else {
        expect(e.reward).toBeCloseTo(-(e.design.latencyMs as number) / 1.2, 12);
      }
    }
    expect(evaluated.length).toBe(result.evaluatedEpisodes);
  });

  it('runs DDPG episodes through the same environment with equal budgets and no leaks', async () => {
    await withoutLeaks(async () => {
      const env = new DesignEnvironment(gemms, board, { targetMs: 1.5 });
      const result = await ddpgSearch(env, bitsEvaluator(), { episodes: 6, warmup: 3, updatesPerEpisode: 4, ddpg: { hidden: 32, batchSize: 16 } }, SeededRng.from(6));
      expect(result.episodes.length).toBe(6);
      expect(result.method).toBe('ddpg');
      if (result.best !== undefined) expect(result.best.design.fits && result.best.design.meetsTarget).toBe(true);
    });
  });

  it('tunes a baseline\'s hardware to a fitting point no slower than any grid point', () => {
    const small = gemms.slice(0, 3).map((g, i) => ({ ...g, edge: i === 0 || i === 2 }));
    const policy = () => ({ weightBits: 4, activationBits: 4, ratio: 1 as const });
    const tuned = tuneHardware(small, policy, board)!;
    expect(resourceOverruns(resourceUse(tuned.hardware), board)).toEqual([]);
    const other = networkLatency(small, { Dk: 64, Dm: 8, Dn: 8, Bm: 1024, Lmem: 1024, Rmem: 1024 }, policy).totalMs;
    expect(tuned.latencyMs).toBeLessThanOrEqual(other);
  });
});

describe('QuantizedAccuracyEvaluator', () => {
  it('quantizes to a design, fine-tunes briefly and measures accuracy, restoring the float weights each episode, without leaks', async () => {
    await withoutLeaks(async () => {
      const model = buildResNet({ depth: 8, inputShape: [8, 8, 1], numClasses: 3, width: 4, seed: 1 });
      const x = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 2);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3).toFloat());
      const gemms = modelGemms(model);
      const env = new DesignEnvironment(gemms, BOARDS['xc7z020']!, { targetMs: 1e9 });
      const evaluator = await QuantizedAccuracyEvaluator.create(model, gemms, { calibration: x, train: { x, y }, validation: { x, y }, fineTune: { epochs: 1, batchSize: 8, learningRate: 1e-3, maxSteps: 2 } }, SeededRng.from(0));
      try {
        const design = env.rollout(() => 0.5).design;
        const first = await evaluator.evaluate(design);
        const again = await evaluator.evaluate(design);
        expect(first.accuracy).toBeGreaterThanOrEqual(0);
        expect(first.accuracy).toBeLessThanOrEqual(1);
        expect(again.accuracy).toBe(first.accuracy);
        expect(first.figures?.['fineTuneSteps']).toBe(2);
        expect(await evaluator.baseAccuracy()).toBeGreaterThanOrEqual(0);
      } finally {
        evaluator.dispose();
        model.dispose();
        tf.dispose([x, y]);
      }
    });
  });
});
