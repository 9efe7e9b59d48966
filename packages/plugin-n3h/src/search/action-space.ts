import { resourceOverruns, type Board } from '../hardware/boards.js';
import type { HardwarePoint } from '../hardware/hardware-point.js';
import { resourceUse } from '../hardware/resource-model.js';
import { roundHalfEven } from '../latency/python-round.js';

/** One hardware action: the parameter is `unit · round(min + (max − min)·a)` for an action `a` in [0, 1]. */
export interface HardwareAction {
  readonly key: keyof HardwarePoint;
  readonly unit: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The six hardware actions of N3H-Core's search, in the reference's order and ranges
 * (`action_wall2(c, vmin, vmax, a)` in `lib/env/linear_quantize_env_ru.py`, papers.md §4):
 * Dk ∈ 64·{1..4}, Dm ∈ {1..50}, Dn ∈ {1..50}, Bm ∈ 1024·{1..50}, Lmem ∈ 1024·{1..25}, Rmem ∈ 1024·{1..4}.
 */
export const HARDWARE_ACTIONS: readonly HardwareAction[] = [
  { key: 'Dk', unit: 64, min: 1, max: 4 },
  { key: 'Dm', unit: 1, min: 1, max: 50 },
  { key: 'Dn', unit: 1, min: 1, max: 50 },
  { key: 'Bm', unit: 1024, min: 1, max: 50 },
  { key: 'Lmem', unit: 1024, min: 1, max: 25 },
  { key: 'Rmem', unit: 1024, min: 1, max: 4 },
];

/** An inclusive integer range of bits the search may choose. */
export interface BitRange {
  readonly min: number;
  readonly max: number;
}

/** Weight bits of the LUT-core channels: {2..8} as in the reference. */
export const WEIGHT_BITS: BitRange = { min: 2, max: 8 };
/** Activation bits: {2..4} as in the reference (`a_bit` action range). */
export const ACTIVATION_BITS: BitRange = { min: 2, max: 4 };
/**
 * Activation bits {2..8}: the range the issue asks for ("activations at 2–8 bits"), wider than the
 * reference's action range; with it the latency target (and `limitToTarget`), not the range, keeps
 * the bits low. `bench/n3h` searches with it.
 */
export const WIDE_ACTIVATION_BITS: BitRange = { min: 2, max: 8 };

/** `round(min + (max − min)·a)` with Python's rounding, `a` clipped to [0, 1]: the reference's action → integer. */
export function actionToInteger(action: number, min: number, max: number): number {
  const a = Math.min(1, Math.max(0, action));
  return roundHalfEven(min + (max - min) * a);
}

export function actionToBits(action: number, range: BitRange): number {
  return actionToInteger(action, range.min, range.max);
}

function fits(hw: HardwarePoint, board: Board): boolean {
  return resourceOverruns(resourceUse(hw), board).length === 0;
}

/**
 * The six hardware actions to a hardware point. With `board`, each action's range is first narrowed to
 * what still fits the board given the parameters chosen before it and the smallest values of those
 * after it (the resource model is monotone in every parameter), so every point it returns fits unless
 * even the smallest design does not. This is HAQ's resource-constrained action mapping applied to
 * N3H's hardware actions; the reference has no resource check and keeps the full ranges (`board`
 * undefined). The narrowed upper bound of each action is returned too (the state shows it).
 */
export function actionsToHardware(actions: readonly number[], board?: Board): { hardware: HardwarePoint; upper: number[] } {
  const hw: Record<string, number> = Object.fromEntries(HARDWARE_ACTIONS.map((a) => [a.key, a.unit * a.min]));
  const upper: number[] = [];
  HARDWARE_ACTIONS.forEach((action, i) => {
    let max = action.max;
    if (board !== undefined) {
      while (max > action.min && !fits({ ...(hw as unknown as HardwarePoint), [action.key]: action.unit * max }, board)) max--;
    }
    upper.push(max);
    hw[action.key] = action.unit * actionToInteger(actions[i] ?? 0, action.min, max);
  });
  return { hardware: hw as unknown as HardwarePoint, upper };
}

/** The action in [0, 1] that maps to a parameter's value in the full (reference) range: for states and tests. */
export function normalizedHardwareValue(action: HardwareAction, value: number): number {
  return action.max === action.min ? 0 : (value / action.unit - action.min) / (action.max - action.min);
}
