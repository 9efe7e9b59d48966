/**
 * BatchNormalization momentum for every zoo model. tfjs' default 0.99 leaves the moving variance far from
 * the batch variance after the few hundred steps a Node run affords, so inference-mode accuracy stays near
 * chance (shared/research/environment.md §2); 0.9 converges in tens of steps.
 */
export const ZOO_BN_MOMENTUM = 0.9;

/** Keras' BatchNormalization epsilon, which the converter writes into model.json. */
export const KERAS_BN_EPSILON = 1e-3;
