import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { signatureKey, type LayerSignature } from '@whittle/graph';

/**
 * Which clock an entry's `ms` reads. `wall`: `performance.now()` around the op and the read-back of
 * its output (what a user waits for; on a GPU it includes dispatch and the sync). `kernel`: tfjs's
 * `tf.time().kernelMs` (GPU timestamp queries on webgpu/webgl; the synchronous kernel time on cpu/wasm).
 */
export type LatencyClock = 'wall' | 'kernel';

/** One measured signature. `ms`, `p10`, `p90` read the table's clock. */
export interface LatencyEntry {
  readonly signature: LayerSignature;
  /** Median. */
  readonly ms: number;
  readonly p10: number;
  readonly p90: number;
  /** Timed runs (loops). */
  readonly runs: number;
  /** Ops timed back to back per run, with one read-back (see `timeOp`); absent: 1. */
  readonly repeats?: number;
  readonly clock: LatencyClock;
  /** Median `tf.time` kernel time, where the backend reports one. */
  readonly kernelMs?: number;
  /** Median wall time (recorded too when the clock is `kernel`). */
  readonly wallMs?: number;
}

/**
 * One whole model measured on the table's target (see `wholeModelKey`): what the predictor's fit
 * (measured ≈ scale × Σ table + constant) is fitted to. Kept in the table so that a model profiled
 * on a device (a browser page) is fitted to that device's times wherever the table goes.
 */
export interface WholeModelEntry {
  /** The lowest quiet window's `statistic` (ms, the table's clock). */
  readonly ms: number;
  readonly statistic: 'median' | 'p10';
  readonly clock: LatencyClock;
  /** Timed runs per window. */
  readonly runs: number;
  /** Measured layer calls of the model (also in the key). */
  readonly sites: number;
}

/** What the entries were measured on. Tables only mix entries with the same backend, adapter, batch and clock. */
export interface LatencyTableHeader {
  readonly backend: string;
  readonly adapter: string | null;
  readonly batchSize: number;
  readonly clock: LatencyClock;
  readonly tfjsVersion: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** Free text: CPU model, cores, OS, Node version, anything that explains the numbers. */
  readonly machine: string;
}

/** The parts of a header that decide whether a table applies; unset fields are not checked. */
export interface LatencyTableExpectation {
  readonly backend?: string;
  readonly adapter?: string | null;
  readonly batchSize?: number;
  readonly clock?: LatencyClock;
}

/**
 * The fields that differ between a header and an expectation, as `field have (requested want)` phrases.
 *
 * ```ts
 * headerDifferences(table.header, { backend: 'webgpu', batchSize: 1 }); // ['backend "wasm" (requested "webgpu")']
 * ```
 */
export function headerDifferences(header: LatencyTableHeader, expect: LatencyTableExpectation): string[] {
  const out: string[] = [];
  const check = (field: keyof LatencyTableExpectation, have: unknown, want: unknown): void => {
    if (want !== undefined && have !== want) out.push(`${field} ${JSON.stringify(have)} (requested ${JSON.stringify(want)})`);
  };
  check('backend', header.backend, expect.backend);
  check('adapter', header.adapter, expect.adapter);
  check('batchSize', header.batchSize, expect.batchSize);
  check('clock', header.clock, expect.clock);
  return out;
}

/**
 * Measured per-layer latencies keyed by `signatureKey`, for one backend/adapter/batch/clock.
 * Serialise with `toFile()`; load and save with `loadLatencyTable` / `saveLatencyTable`.
 *
 * ```ts
 * const table = LatencyTable.create({ backend: 'wasm', adapter: null, batchSize: 1, clock: 'wall', machine: 'laptop' });
 * table.set(await measureSignature(signature, { runs: 10 }));
 * table.get(signature)?.ms;
 * ```
 */
export class LatencyTable {
  private readonly byKey = new Map<string, LatencyEntry>();
  private readonly modelsByKey = new Map<string, WholeModelEntry>();

  constructor(readonly header: LatencyTableHeader) {}

  /** A new, empty table; `tfjsVersion` and `createdAt` are filled in. */
  static create(target: Omit<LatencyTableHeader, 'tfjsVersion' | 'createdAt'> & Partial<Pick<LatencyTableHeader, 'tfjsVersion' | 'createdAt'>>): LatencyTable {
    return new LatencyTable({
      backend: target.backend,
      adapter: target.adapter,
      batchSize: target.batchSize,
      clock: target.clock,
      tfjsVersion: target.tfjsVersion ?? tf.version.tfjs,
      createdAt: target.createdAt ?? new Date().toISOString(),
      machine: target.machine,
    });
  }

  get size(): number {
    return this.byKey.size;
  }

  get(signature: LayerSignature | string): LatencyEntry | undefined {
    return this.byKey.get(typeof signature === 'string' ? signature : signatureKey(signature));
  }

  has(signature: LayerSignature | string): boolean {
    return this.get(signature) !== undefined;
  }

  /** All entries as `[key, entry]`, in insertion order. */
  entries(): IterableIterator<[string, LatencyEntry]> {
    return this.byKey.entries();
  }

  /** Adds or replaces an entry; refuses one measured for another target than the header's. */
  set(entry: LatencyEntry): void {
    const s = entry.signature;
    const differences = headerDifferences(this.header, { backend: s.backend, adapter: s.adapter, batchSize: s.batch, clock: entry.clock });
    if (differences.length > 0) {
      throw inputError('LATENCY_ENTRY_MISMATCH', `latency entry ${signatureKey(s)} does not belong in this table: table has ${differences.join(', ')}`,
        'Measure the signature for the table\'s backend, adapter, batch size and clock, or start another table.');
    }
    this.byKey.set(signatureKey(s), entry);
  }

  /** The whole model measured under `key` (see `wholeModelKey`), if any. */
  getModel(key: string): WholeModelEntry | undefined {
    return this.modelsByKey.get(key);
  }

  /** All whole-model entries as `[key, entry]`, in insertion order. */
  models(): IterableIterator<[string, WholeModelEntry]> {
    return this.modelsByKey.entries();
  }

  /** Adds or replaces a whole-model entry; refuses one timed with another clock than the header's. */
  setModel(key: string, entry: WholeModelEntry): void {
    if (entry.clock !== this.header.clock) {
      throw inputError('LATENCY_ENTRY_MISMATCH', `whole-model entry ${key} was timed with the ${entry.clock} clock; this table reads the ${this.header.clock} clock`,
        'Measure the model with the table\'s clock, or start another table.');
    }
    this.modelsByKey.set(key, entry);
  }

  /**
   * Copies the entries of `other` (a table measured elsewhere, or earlier) into this one, whole-model
   * entries included; both must have the same backend, adapter, batch size and clock. Existing
   * entries are kept unless `overwrite`. Returns how many layer entries were added or replaced. `source` names `other` in errors.
   */
  merge(other: LatencyTable, options: { overwrite?: boolean; source?: string } = {}): number {
    const differences = headerDifferences(other.header, this.header);
    if (differences.length > 0) {
      throw inputError('LATENCY_TABLE_MISMATCH', `${options.source ?? 'latency table'}: cannot merge, it has ${differences.join(', ')}`,
        'Merge only tables measured on the same backend, adapter, batch size and clock.');
    }
    let changed = 0;
    for (const [key, entry] of other.entries()) {
      if (options.overwrite === true || !this.byKey.has(key)) {
        this.byKey.set(key, entry);
        changed++;
      }
    }
    for (const [key, entry] of other.models()) {
      if (options.overwrite === true || !this.modelsByKey.has(key)) this.modelsByKey.set(key, entry);
    }
    return changed;
  }
}
