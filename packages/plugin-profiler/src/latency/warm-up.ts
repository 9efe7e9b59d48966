import * as tf from '@tensorflow/tfjs';

/** How long `warmUp` runs a model before it is timed. */
export interface WarmUpOptions {
  /** Runs always made (the caller's `warmup`). */
  readonly minRuns: number;
  /** Runs aimed for: V8 keeps optimising tfjs-layers' JavaScript for a few hundred calls. Default 300. */
  readonly targetRuns?: number;
  /** Stop aiming for `targetRuns` after this long, so large models do not warm up for minutes. Default 2000. */
  readonly maxMs?: number;
}

/**
 * Runs `model.predict` untimed: at least `minRuns` times, then on until `targetRuns` runs or
 * `maxMs` milliseconds, whichever comes first. A fresh process or model is slow for a few hundred
 * calls (JIT of tfjs-layers' JavaScript, allocator growth, shader compilation): on wasm a small
 * ResNet measured after 3 warm-up runs read about twice its settled latency, which would skew the
 * predictor's constant. Returns the runs made.
 *
 * ```ts
 * await warmUp(model, 1, { minRuns: 3 });
 * ```
 */
export async function warmUp(model: tf.LayersModel, batchSize: number, options: WarmUpOptions): Promise<number> {
  const targetRuns = options.targetRuns ?? 300;
  const maxMs = options.maxMs ?? 2000;
  const inputs = model.inputs.map((input, i) => tf.randomNormal([batchSize, ...input.shape.slice(1).map((d) => d ?? 1)], 0, 1, 'float32', 99 + i));
  const started = performance.now();
  let runs = 0;
  try {
    while (runs < options.minRuns || (runs < targetRuns && performance.now() - started < maxMs)) {
      const out = model.predict(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs);
      const outputs = Array.isArray(out) ? out : [out];
      await Promise.all(outputs.map((t) => t.data()));
      tf.dispose(outputs);
      runs++;
    }
  } finally {
    tf.dispose(inputs);
  }
  return runs;
}
