// A custom Whittle plugin in plain JavaScript (no build step): a `quantize` stage that zeroes the
// smallest weights of each kernel and records the sparsity it reached. It receives the run's logger
// through dependency injection by an explicit token, as every Whittle plugin does. Its options schema
// is declared with TypeBox (re-exported by the kernel): in TypeScript the same declaration types
// `call.options` in the tap; here it is the JSON Schema the kernel checks the stage's options with.
import * as tf from '@tensorflow/tfjs';
import { definePluginManifest, definePluginMeta, inject, injectable, LOGGER, tapStage, Type, withDefault } from '@whittle/kernel';

export class MagnitudeSparsity {
  static meta = definePluginMeta({
    name: 'magnitude-sparsity',
    hook: 'quantize',
    description: 'Zero the smallest-magnitude fraction of every kernel (unstructured; shrinks compressed size, not latency).',
    optionsSchema: Type.Object(
      { sparsity: withDefault(Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'Fraction of each kernel to zero.' }), 0.5) },
      { additionalProperties: false },
    ),
  });

  name = MagnitudeSparsity.meta.name;

  constructor(logger) {
    this.logger = logger;
  }

  apply(kernel) {
    tapStage(kernel, MagnitudeSparsity.meta, async (model, call) => {
      const { sparsity } = call.options;
      let zeroed = 0;
      let total = 0;
      for (const layer of model.layers) {
        const weights = layer.getWeights();
        if (weights.length === 0) continue;
        const next = weights.map((w, i) => {
          if (i !== 0 || w.rank < 2) return w.clone();
          return tf.tidy(() => {
            const magnitudes = w.abs().flatten();
            const k = Math.floor(magnitudes.size * sparsity);
            if (k === 0) return w.clone();
            const threshold = tf.topk(magnitudes.neg(), k).values.min().neg();
            const mask = w.abs().greater(threshold);
            zeroed += k;
            total += magnitudes.size;
            return w.mul(mask);
          });
        });
        layer.setWeights(next);
        next.forEach((t) => t.dispose());
      }
      this.logger.info(`  zeroed ${zeroed} of ${total} kernel weights`);
      call.record({ sparsity: total === 0 ? 0 : zeroed / total });
      return model;
    });
  }
}

// Decorators without a build step: the same calls TypeScript would make for
// `@injectable()` and `constructor(@inject(LOGGER) logger)`.
inject(LOGGER)(MagnitudeSparsity, undefined, 0);
injectable()(MagnitudeSparsity);

export default definePluginManifest({ name: 'magnitude-sparsity-example', version: '1.0.0', kernel: '^0.1.0', plugins: [MagnitudeSparsity] });
