/** Options shared by every stage that trains: the usual fine-tuning knobs. */
export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: 'sgd' | 'momentum' | 'adam';
  readonly learningRate: number;
  /** For `momentum`. */
  readonly momentum: number;
  /** `constant`, `cosine` (to 0 over all epochs) or `step` (× `gamma` every `stepEvery` epochs). */
  readonly schedule: 'constant' | 'cosine' | 'step';
  readonly stepEvery: number;
  readonly gamma: number;
  /** Stop when validation accuracy has not improved by `minDelta` for `patience` epochs; keep the best weights. */
  readonly earlyStop?: { readonly patience: number; readonly minDelta: number };
}

/** JSON Schema properties of `TrainingOptions`, for plugins that train. */
export const trainingOptionsProperties = {
  epochs: { type: 'integer', minimum: 1, default: 3, description: 'Passes over the training split.' },
  batchSize: { type: 'integer', minimum: 1, default: 64 },
  optimizer: { enum: ['sgd', 'momentum', 'adam'], default: 'adam' },
  learningRate: { type: 'number', exclusiveMinimum: 0, default: 0.003 },
  momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9 },
  schedule: { enum: ['constant', 'cosine', 'step'], default: 'constant' },
  stepEvery: { type: 'integer', minimum: 1, default: 10 },
  gamma: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.1 },
  earlyStop: {
    type: 'object',
    additionalProperties: false,
    required: ['patience'],
    properties: { patience: { type: 'integer', minimum: 1 }, minDelta: { type: 'number', minimum: 0, default: 0 } },
  },
} as const;

/** The learning rate for a (0-based) epoch. */
export function learningRateAt(options: TrainingOptions, epoch: number): number {
  switch (options.schedule) {
    case 'constant':
      return options.learningRate;
    case 'cosine':
      return 0.5 * options.learningRate * (1 + Math.cos((Math.PI * epoch) / options.epochs));
    case 'step':
      return options.learningRate * options.gamma ** Math.floor(epoch / options.stepEvery);
  }
}
