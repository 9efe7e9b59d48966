import * as tf from '@tensorflow/tfjs';
import type { DatasetSplits, LabeledTensors } from '@whittle/kernel';
import { oneHotLabels } from './tiny-unet.js';

/** Class-labelled 8×8 "images" in [−1, 1] (a bright square whose position encodes the class), as a provider would load them. */
export function tinyDiffusionData(n = 24): DatasetSplits<LabeledTensors> {
  const make = (count: number, offset: number): LabeledTensors => {
    const labels = Array.from({ length: count }, (_, i) => (i + offset) % 3);
    const x = tf.tidy(() => tf.stack(labels.map((c) => tf.pad(tf.ones([3, 3, 1]), [[c * 2, 5 - c * 2], [2, 3], [0, 0]]))).mul(2).sub(1) as tf.Tensor4D);
    return { x, y: oneHotLabels(labels, 3) };
  };
  const train = make(n, 0);
  const validation = make(6, 1);
  const test = make(6, 2);
  return {
    name: 'tiny-diffusion', task: 'class-conditional-diffusion', train, validation, test, numClasses: 3, inputShape: [8, 8, 1],
    dispose: () => tf.dispose([train.x, train.y, validation.x, validation.y, test.x, test.y]),
  };
}
