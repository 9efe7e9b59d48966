export * from '../../../kernel/src/errors/whittle-error.js';
export * from '../../../kernel/src/random/seeded-rng.js';
export * from '../../../kernel/src/io/model-artifacts.js';
export * from '../../../kernel/src/metrics/layer-costs.js';
export * from '../../../kernel/src/metrics/count-params.js';
