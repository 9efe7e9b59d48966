/**
 * @whittle/training — the supervised training loop that Whittle's recover and distill stages share:
 * the training options schema (epochs, batch size, optimizer, learning-rate schedule, early stop),
 * the optimizer and schedule they name, the data task's loss and validation metric, and a seeded
 * loop over `optimizer.minimize` to which a stage adds its own loss terms.
 *
 * A library, not a plugin: plugins import it (they never import each other).
 */
export { classifierLogits, outputsProbabilities } from './classifier-logits.js';
export { EarlyStopping, formatValidation } from './early-stopping.js';
export { createOptimizer, setLearningRate } from './create-optimizer.js';
export { trainLoop, type BatchLoss, type TrainLoopResult } from './train-loop.js';
export { requireData, taskLoss, taskOf, validationMetric, type ValidationMetric } from './task-training.js';
export { learningRateAt, trainingOptionsProperties, TrainingOptionsSchema, type TrainingOptions } from './training-options.js';
