import { StringEnum, Type, withDefault, type StageOptions } from '@whittle/kernel';

/** Schema properties shared by every stage that trains: the usual fine-tuning knobs. */
export const trainingOptionsProperties = {
  epochs: withDefault(Type.Integer({ minimum: 1, description: 'Passes over the training split.' }), 3),
  batchSize: withDefault(Type.Integer({ minimum: 1 }), 64),
  optimizer: withDefault(StringEnum(['sgd', 'momentum', 'adam']), 'adam'),
  learningRate: withDefault(Type.Number({ exclusiveMinimum: 0 }), 0.003),
  momentum: withDefault(Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'For the "momentum" optimizer.' }), 0.9),
  schedule: withDefault(StringEnum(['constant', 'cosine', 'step'], { description: '"cosine" decays to 0 over all epochs; "step" multiplies by gamma every stepEvery epochs.' }), 'constant'),
  stepEvery: withDefault(Type.Integer({ minimum: 1 }), 10),
  gamma: withDefault(Type.Number({ exclusiveMinimum: 0, maximum: 1 }), 0.1),
  earlyStop: Type.Optional(
    Type.Object(
      { patience: Type.Integer({ minimum: 1 }), minDelta: withDefault(Type.Number({ minimum: 0 }), 0) },
      { additionalProperties: false, description: 'Stop when validation accuracy has not improved by minDelta for patience epochs; keep the best weights.' },
    ),
  ),
};

/** The options schema of `train`: the training knobs and nothing else. */
export const TrainingOptionsSchema = Type.Object(trainingOptionsProperties, { additionalProperties: false });

/** Options shared by every stage that trains (defaults filled in). */
export type TrainingOptions = StageOptions<typeof TrainingOptionsSchema>;

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
