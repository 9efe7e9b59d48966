import { resourceOverruns, type Board } from '../hardware/boards.js';
import type { HardwarePoint } from '../hardware/hardware-point.js';
import { resourceUse } from '../hardware/resource-model.js';
import { lutChannels } from '../latency/layer-latency.js';
import { networkLatency } from '../latency/network-latency.js';
import { balancedRatio } from '../latency/split-ratio.js';
import type { GemmLayer } from '../workload/gemm-layer.js';
import { ACTIVATION_BITS, actionsToHardware, actionToBits, HARDWARE_ACTIONS, normalizedHardwareValue, WEIGHT_BITS, type BitRange } from './action-space.js';
import type { CandidateDesign, CandidateLayer } from './candidate-design.js';

/** Bits of the first and last GEMM layers, which the search does not choose (the reference forces 8/8 there). */
export const EDGE_BITS = 8;

export interface DesignEnvironmentOptions {
  /** The latency target (ms) of the reward. */
  readonly targetMs: number;
  /** Narrow the hardware actions to what fits the board (default true); false keeps the reference's full ranges. */
  readonly fitBoard?: boolean;
  readonly weightBits?: BitRange;
  /** Activation bits the search chooses from (default the reference's {2..4}; `WIDE_ACTIVATION_BITS` is the issue's {2..8}). */
  readonly activationBits?: BitRange;
  /**
   * HAQ's action limiting (its `_final_action_wall`, with latency for model size): when an episode's
   * bits miss the latency target on its hardware, lower them one step at a time — each inner layer's
   * weight bits, last layer first, then each layer's activation bits, and round again — until the
   * design meets the target or every layer is at its range's minimum. So every design that some bits
   * can bring under the target is evaluated and rewarded by its accuracy. Default false: the reference
   * rewards −latency/target instead (its search has no action limiting).
   */
  readonly limitToTarget?: boolean;
}

/** One step of an episode: which layer (or hardware parameter) the action sets. */
interface StepSpec {
  readonly kind: 'hardware' | 'weight' | 'activation';
  /** Hardware: the action index; bits: the GEMM layer's index. */
  readonly index: number;
}

/** An episode's trajectory: the state seen and the action taken at every step, and the design they make. */
export interface Rollout {
  readonly states: readonly Float32Array[];
  readonly actions: readonly number[];
  readonly design: CandidateDesign;
}

/** Layer kinds of the state's first feature. */
const KIND: Record<string, number> = { Conv2D: 1, Dense: 2, DepthwiseConv2D: 3 };

/**
 * N3H-Core's search environment (papers.md §4, after `linear_quantize_env_ru.py`): an episode is six
 * hardware actions (Dk, Dm, Dn, Bm, Lmem, Rmem) then, for every GEMM layer but the first and last
 * (forced to 8/8, as the reference forces them), its LUT-core weight bits and then activation bits;
 * each layer's split is then the latency-balancing scan (`balancedRatio`), as in the reference, where
 * the ratio is not an action.
 *
 * State per step (the reference's features as far as a GEMM carries them, each min–max normalised):
 * [kind (hardware / conv / dense / depthwise), index, K = C_in·k², N = C_out, M = H_out·W_out
 * (feature-map size), #weights K·N, the weight/activation toggle, hardware step flag, the six hardware
 * parameters chosen so far (0 before they are), the previous layer's split ratio, the last action].
 * The reference's separate C_in, stride and kernel size and its downsample flag are not features here:
 * K and M carry them for a GEMM.
 */
export class DesignEnvironment {
  readonly steps: readonly StepSpec[];
  readonly stateSize = 16;
  private readonly staticFeatures: Float32Array[];
  private readonly weightBits: BitRange;
  private readonly activationBits: BitRange;
  private readonly fitBoard: boolean;

  constructor(readonly gemms: readonly GemmLayer[], readonly board: Board, readonly options: DesignEnvironmentOptions) {
    this.weightBits = options.weightBits ?? WEIGHT_BITS;
    this.activationBits = options.activationBits ?? ACTIVATION_BITS;
    this.fitBoard = options.fitBoard ?? true;
    const steps: StepSpec[] = HARDWARE_ACTIONS.map((_, index) => ({ kind: 'hardware' as const, index }));
    gemms.forEach((layer, index) => {
      if (layer.edge) return;
      steps.push({ kind: 'weight', index }, { kind: 'activation', index });
    });
    this.steps = steps;
    const raw = steps.map((step) => {
      if (step.kind === 'hardware') return [0, step.index, 0, 0, 0, 0, 0, 1];
      const layer = gemms[step.index] as GemmLayer;
      return [KIND[layer.className] ?? 1, step.index, Math.log(layer.k), Math.log(layer.n), Math.log(layer.m), Math.log(layer.k * layer.n), step.kind === 'activation' ? 1 : 0, 0];
    });
    const columns = raw[0]?.length ?? 0;
    const low = Array.from({ length: columns }, (_, c) => Math.min(...raw.map((r) => r[c] as number)));
    const high = Array.from({ length: columns }, (_, c) => Math.max(...raw.map((r) => r[c] as number)));
    this.staticFeatures = raw.map((r) => Float32Array.from(r.map((v, c) => ((high[c] as number) > (low[c] as number) ? (v - (low[c] as number)) / ((high[c] as number) - (low[c] as number)) : 0))));
  }

  /**
   * Runs one episode: asks `choose` for an action in [0, 1] at every step, given the state, and
   * returns the trajectory with the design it makes (latency, resources, whether it fits and meets
   * the target). Pure arithmetic, no tensors.
   */
  rollout(choose: (state: Float32Array, step: number) => number): Rollout {
    const states: Float32Array[] = [];
    const actions: number[] = [];
    const board = this.fitBoard ? this.board : undefined;
    let hardware = actionsToHardware([], board).hardware;
    let chosenHardware = 0;
    const bits = new Map<number, { w: number; a: number }>();
    let previousRatio = 0;
    let last = 0;
    let bufferProblem: string | undefined;
    this.steps.forEach((step, s) => {
      const state = new Float32Array(this.stateSize);
      state.set(this.staticFeatures[s] as Float32Array, 0);
      HARDWARE_ACTIONS.forEach((action, i) => {
        state[8 + i] = i < chosenHardware ? normalizedHardwareValue(action, hardware[action.key]) : 0;
      });
      state[14] = previousRatio;
      state[15] = last;
      states.push(state);
      const action = Math.min(1, Math.max(0, choose(state, s)));
      actions.push(action);
      last = action;
      if (step.kind === 'hardware') {
        chosenHardware = step.index + 1;
        hardware = actionsToHardware(actions.slice(0, chosenHardware), board).hardware;
      } else if (step.kind === 'weight') {
        bits.set(step.index, { w: actionToBits(action, this.weightBits), a: this.activationBits.max });
      } else {
        const entry = bits.get(step.index) as { w: number; a: number };
        entry.a = actionToBits(action, this.activationBits);
        try {
          previousRatio = balancedRatio(this.gemms[step.index] as GemmLayer, hardware, entry.a, entry.w);
        } catch (error) {
          bufferProblem ??= (error as Error).message;
          previousRatio = 0;
        }
      }
    });
    const chosen = this.design(hardware, (index) => bits.get(index) ?? { w: EDGE_BITS, a: EDGE_BITS }, bufferProblem);
    const limit = (this.options.limitToTarget ?? false) && chosen.fits && !chosen.meetsTarget;
    return { states, actions, design: limit ? this.lowerBitsToTarget(hardware, bits) : chosen };
  }

  /**
   * `limitToTarget`'s bit lowering (HAQ's final action wall): weight bits of every inner layer one step
   * down, last layer first, then activation bits, checking the latency after each step, until the
   * design meets the target or nothing is left to lower. The design records how many steps it took.
   */
  lowerBitsToTarget(hardware: HardwarePoint, chosen: ReadonlyMap<number, { w: number; a: number }>): CandidateDesign {
    const current = new Map([...chosen].map(([index, b]) => [index, { ...b }]));
    const bitsOf = (index: number) => current.get(index) ?? { w: EDGE_BITS, a: EDGE_BITS };
    const lastFirst = [...current.keys()].sort((a, b) => b - a);
    let design = this.design(hardware, bitsOf);
    let lowered = 0;
    const done = () => design.meetsTarget || design.latencyMs === null;
    while (!done()) {
      let changed = false;
      for (const [kind, range] of [['w', this.weightBits], ['a', this.activationBits]] as const) {
        for (const index of lastFirst) {
          if (done()) break;
          const entry = current.get(index) as { w: number; a: number };
          if (entry[kind] <= range.min) continue;
          entry[kind]--;
          lowered++;
          changed = true;
          design = this.design(hardware, bitsOf);
        }
      }
      if (!changed) break;
    }
    return { ...design, bitsLowered: lowered };
  }

  /** The design of a hardware point and per-layer bits (edge layers at 8/8), with its modelled cost. */
  design(hardware: HardwarePoint, bitsOf: (index: number) => { w: number; a: number }, bufferProblem?: string): CandidateDesign {
    const resources = resourceUse(hardware);
    const overruns = resourceOverruns(resources, this.board);
    let latencyMs: number | null = null;
    let layers: CandidateLayer[] = [];
    let reason = bufferProblem;
    try {
      const latency = networkLatency(this.gemms, hardware, (layer, index) => {
        const b = layer.edge ? { w: EDGE_BITS, a: EDGE_BITS } : bitsOf(index);
        return { weightBits: b.w, activationBits: b.a, ratio: 'auto' };
      });
      latencyMs = latency.totalMs;
      layers = latency.layers.map((l) => ({ layer: l.layer.name, weightBits: l.weightBits, activationBits: l.activationBits, ratio: l.ratio, lutChannels: lutChannels(l.layer, l.ratio) }));
    } catch (error) {
      reason ??= (error as Error).message;
      layers = this.gemms.map((layer, index) => {
        const b = layer.edge ? { w: EDGE_BITS, a: EDGE_BITS } : bitsOf(index);
        return { layer: layer.name, weightBits: b.w, activationBits: b.a, ratio: 0, lutChannels: 0 };
      });
    }
    const fits = overruns.length === 0 && latencyMs !== null;
    return {
      hardware, layers, latencyMs, resources, overruns, fits,
      meetsTarget: latencyMs !== null && latencyMs <= this.options.targetMs,
      ...(latencyMs === null && reason !== undefined ? { infeasibleReason: reason } : {}),
    };
  }
}
