import * as tf from '@tensorflow/tfjs';
import type { TrainingOptions } from './training-options.js';

export function createOptimizer(options: TrainingOptions): tf.Optimizer {
  switch (options.optimizer) {
    case 'sgd':
      return tf.train.sgd(options.learningRate);
    case 'momentum':
      return tf.train.momentum(options.learningRate, options.momentum);
    case 'adam':
      return tf.train.adam(options.learningRate);
  }
}

/** tfjs optimizers keep the rate in a protected field; SGD and momentum cache it in a scalar behind a setter. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
