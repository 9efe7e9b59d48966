import type { StepListener } from '../gan/train-pix2pix.js';

type StepLosses = Parameters<StepListener>[1];

/**
 * pix2pix losses over training, averaged over windows of steps (about `points` windows in all), as
 * report.html items (the `@whittle/report` series format, plain JSON): the adversarial pair
 * (generator total, discriminator) and the reconstruction pair (L1 to the target, distillation to
 * the teacher) in charts of their own, their scales being far apart.
 *
 * ```ts
 * const history = new LossHistory(options.steps);
 * await trainPix2Pix(networks, train, options, rng, distill, (step, losses) => history.add(step, losses));
 * for (const [file, text] of Object.entries(history.reportItems('wavelet KD', true))) await call.ctx.artifacts.writeFile(file, text);
 * ```
 */
export class LossHistory {
  private readonly window: number;
  private readonly rows: Record<string, number>[] = [];
  private sums: StepLosses = { generator: 0, discriminator: 0, l1: 0, distill: 0 };
  private count = 0;

  constructor(steps: number, points = 50) {
    this.window = Math.max(1, Math.round(steps / points));
  }

  /** Adds a step's losses; a full window (or the last step, `last`) becomes a row at its last step (1-based). */
  add(step: number, losses: StepLosses, last = false): void {
    for (const key of Object.keys(this.sums) as (keyof StepLosses)[]) this.sums = { ...this.sums, [key]: this.sums[key] + losses[key] };
    this.count++;
    if (this.count === this.window || last) this.flush(step + 1);
  }

  private flush(step: number): void {
    if (this.count === 0) return;
    const mean = (v: number): number => v / this.count;
    this.rows.push({ step, generator: mean(this.sums.generator), discriminator: mean(this.sums.discriminator), l1: mean(this.sums.l1), distill: mean(this.sums.distill) });
    this.sums = { generator: 0, discriminator: 0, l1: 0, distill: 0 };
    this.count = 0;
  }

  /** The three series items by file name; `distilled` false leaves the distillation column out. Empty before any step. */
  reportItems(stageLabel: string, distilled: boolean): Record<string, string> {
    if (this.rows.length === 0) return {};
    const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
    const per = this.window === 1 ? 'per step' : `mean of each ${this.window} steps`;
    return {
      'generator-loss.report.json': json({
        kind: 'series', title: 'Generator loss', x: 'step',
        description: `Generator loss (adversarial + weighted L1${distilled ? ' + weighted distillation' : ''}), ${per}, of ${stageLabel}`,
        rows: this.rows.map((r) => ({ step: r['step']!, 'generator loss': r['generator']! })),
      }),
      'discriminator-loss.report.json': json({
        kind: 'series', title: 'Discriminator loss', x: 'step',
        description: `Discriminator loss (binary cross-entropy on real and generated pairs, halved), ${per}, of ${stageLabel}`,
        rows: this.rows.map((r) => ({ step: r['step']!, 'discriminator loss': r['discriminator']! })),
      }),
      'reconstruction-losses.report.json': json({
        kind: 'series', title: 'Reconstruction losses', x: 'step',
        description: `Unweighted L1 to the target${distilled ? ' and distillation loss to the teacher' : ''}, ${per}, of ${stageLabel}`,
        rows: this.rows.map((r) => ({ step: r['step']!, 'L1 loss (target)': r['l1']!, ...(distilled ? { 'distillation loss (teacher)': r['distill']! } : {}) })),
      }),
    };
  }
}
