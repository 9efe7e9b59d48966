import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '@whittle/kernel';

/** A tfjs initialiser object (tfjs-layers does not export the class type from its public namespace). */
export type SeededInitializer = ReturnType<typeof tf.initializers.heNormal>;

/**
 * Hands out a fresh, seeded initialiser for every weight of a model, so that equal seeds build equal
 * weights. The per-initialiser seeds come from a `SeededRng` stream named after the model (not
 * `seed + i`), so seed 1's first layer does not repeat seed 0's second layer.
 *
 * ```ts
 * const seeds = new InitializerSeeds(7, 'small-cnn');
 * tf.layers.conv2d({ filters: 8, kernelSize: 3, kernelInitializer: seeds.heNormal() });
 * ```
 */
export class InitializerSeeds {
  private readonly rng: SeededRng;

  constructor(seed: number, modelName: string) {
    this.rng = SeededRng.from(seed, `zoo:${modelName}`);
  }

  /** The next numeric seed of the stream. */
  next(): number {
    return this.rng.int32();
  }

  /** He-normal (fan-in, truncated), the usual choice before ReLU. */
  heNormal(): SeededInitializer {
    return tf.initializers.heNormal({ seed: this.next() });
  }

  /** Glorot-uniform, Keras' default for Dense and Conv kernels. */
  glorotUniform(): SeededInitializer {
    return tf.initializers.glorotUniform({ seed: this.next() });
  }

  /** Normal(0, stddev), as pix2pix initialises its convolutions. */
  randomNormal(stddev: number): SeededInitializer {
    return tf.initializers.randomNormal({ mean: 0, stddev, seed: this.next() });
  }
}
