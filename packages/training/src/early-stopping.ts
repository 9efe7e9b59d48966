import type * as tf from '@tensorflow/tfjs';
import type { TrainingOptions } from './training-options.js';
import type { ValidationMetric } from './task-training.js';

/**
 * The best validation figure so far and, with `earlyStop`, the weights it was reached with: after
 * each epoch `update` says whether to stop (no improvement by `minDelta` for `patience` epochs), and
 * `finish` puts the best weights back when training stopped early. Dispose it in a `finally`.
 *
 * ```ts
 * const tracker = new EarlyStopping(options, validation);
 * try {
 *   for (let epoch = 0; epoch < options.epochs; epoch++) {
 *     // … one epoch …
 *     if (tracker.update(await validation.provider.measure(model, { data: split }), model)) break;
 *   }
 *   tracker.finish(model);
 * } finally {
 *   tracker.dispose();
 * }
 * ```
 */
export class EarlyStopping {
  /** The best figure of the validation metric; NaN before the first `update`. */
  best = Number.NaN;
  stoppedEarly = false;
  private bestWeights: tf.Tensor[] | undefined;
  private sinceBest = 0;
  /** +1 where higher is better (accuracy), −1 where lower is (L1). */
  private readonly sign: number;

  constructor(
    private readonly options: Pick<TrainingOptions, 'earlyStop'>,
    validation: ValidationMetric | undefined,
  ) {
    this.sign = validation?.provider.better === 'lower' ? -1 : 1;
  }

  /** Records an epoch's validation figure; true when training should stop. */
  update(figure: number, model: tf.LayersModel): boolean {
    const earlyStop = this.options.earlyStop;
    if (Number.isNaN(this.best) || this.sign * figure > this.sign * this.best + (earlyStop?.minDelta ?? 0)) {
      this.best = figure;
      this.sinceBest = 0;
      if (earlyStop !== undefined) {
        this.bestWeights?.forEach((t) => t.dispose());
        this.bestWeights = model.getWeights().map((w) => w.clone());
      }
      return false;
    }
    if (earlyStop !== undefined && ++this.sinceBest >= earlyStop.patience) this.stoppedEarly = true;
    return this.stoppedEarly;
  }

  /** Puts the best weights back into `model` if training stopped early. */
  finish(model: tf.LayersModel): void {
    if (this.stoppedEarly && this.bestWeights !== undefined) model.setWeights(this.bestWeights);
  }

  dispose(): void {
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = undefined;
  }
}

/** An epoch's validation figure as the progress line shows it: accuracy in percent, others to 4 digits. */
export function formatValidation(metric: string, figure: number): string {
  return `validation ${metric} ${metric === 'accuracy' ? `${(figure * 100).toFixed(2)}%` : figure.toPrecision(4)}`;
}
