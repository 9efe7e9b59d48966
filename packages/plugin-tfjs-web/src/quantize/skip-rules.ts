import picomatch from 'picomatch';
import type { QuantizationDtype } from './quantization-dtype.js';

/** Why a weight stays as it was. */
export type SkipReason = 'dtype' | 'small' | 'pattern' | 'non-finite';

/** A weight left unquantized, and why, in words too. */
export interface SkippedTensor {
  readonly name: string;
  readonly reason: SkipReason;
  readonly detail: string;
}

/** Which weights a quantization leaves alone. */
export interface SkipRules {
  /**
   * Glob patterns (picomatch) over weight names: `conv1/*`, `**\/moving_variance`; a pattern without a
   * `/` matches the last part of the name too (`moving_variance`, `*bias`).
   */
  readonly skip?: readonly string[];
  /** Weights with fewer elements stay float32 (a few bytes saved, error added where it shows: biases, BN). Default 0. */
  readonly minElements?: number;
}

/** The defaults: quantize every float32 weight (what tensorflowjs_converter's `--quantize_*` does). */
export const SKIP_DEFAULTS = { skip: [] as readonly string[], minElements: 0 } as const;

/** Decides, for one weight, whether it is quantized; built once per run of the rules. */
export class SkipMatcher {
  private readonly matchers: readonly { readonly pattern: string; readonly test: (name: string) => boolean }[];
  private readonly minElements: number;

  constructor(rules: SkipRules = {}) {
    this.minElements = rules.minElements ?? SKIP_DEFAULTS.minElements;
    if (!Number.isInteger(this.minElements) || this.minElements < 0) throw new RangeError(`minElements must be a non-negative integer, got ${this.minElements}`);
    this.matchers = (rules.skip ?? []).map((pattern) => {
      if (pattern.trim() === '') throw new RangeError('a skip pattern is empty');
      const whole = picomatch(pattern, { dot: true });
      // picomatch's own `basename` option applies to every pattern; only slash-free ones should.
      const test = pattern.includes('/') ? whole : (name: string) => whole(name) || whole(name.slice(name.lastIndexOf('/') + 1));
      return { pattern, test };
    });
  }

  /** Why `name` is skipped, or undefined when it is quantized to `dtype`. */
  reason(name: string, dtype: string, elements: number, target: QuantizationDtype): SkippedTensor | undefined {
    if (dtype !== 'float32') {
      return { name, reason: 'dtype', detail: `${dtype} weight (only float32 weights are quantized${target === 'float16' ? '' : ': int32 holds shapes and indices that must stay exact'})` };
    }
    const hit = this.matchers.find((m) => m.test(name));
    if (hit !== undefined) return { name, reason: 'pattern', detail: `matches skip pattern "${hit.pattern}"` };
    if (elements < this.minElements) return { name, reason: 'small', detail: `${elements} elements < minElements ${this.minElements}` };
    return undefined;
  }
}

/** One phrase for a list of skipped weights: `3 dtype, 12 small, 2 pattern` (empty: `none`). */
export function skipSummary(skipped: readonly SkippedTensor[]): string {
  const counts = new Map<SkipReason, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return counts.size === 0 ? 'none' : [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}
