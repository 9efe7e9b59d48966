import * as tf from '@tensorflow/tfjs';
import { definePluginMeta, tapStage, Type, withDefault, type Kernel, type ScoreTable, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import { injectable } from 'tsyringe';
import { blockRedundancy, type BlockRedundancy } from '../blocks/block-redundancy.js';
import { residualBlocks } from '../blocks/residual-blocks.js';
import { blockKey } from '../blocks/block-key.js';
import { defaultSchedule } from '../diffusion/diffusion-defaults.js';
import { diffusionImagesOf } from './stage-data.js';

/** Options of the `block-redundancy` score stage. */
export const BlockRedundancyOptionsSchema = Type.Object({
  images: withDefault(Type.Integer({ minimum: 1, maximum: 256, description: 'Training images the deviation is measured on.' }), 16),
  timesteps: withDefault(Type.Integer({ minimum: 1, maximum: 64, description: 'Timesteps sampled per image.' }), 4),
  latencyRuns: withDefault(Type.Integer({ minimum: 1, maximum: 200, description: 'Timed batch-1 U-Net calls per model in each latency window (median).' }), 10),
  conditionWeight: withDefault(Type.Number({ minimum: 0, maximum: 100, description: 'Weight of the class-guidance deviation (how far bypassing moves ε(y) − ε(∅)) beside the ε deviation in the ranking; 0 = A-SDM\'s ε deviation alone, which ranks cross-attention as the most redundant block and so removes the conditioning.' }), 1),
  latencyWindows: withDefault(Type.Integer({ minimum: 1, maximum: 50, description: 'Round-robin windows over the full model and every bypassed one; each model\'s lowest window counts (a burst of other work reads high in one window only).' }), 3),
}, { additionalProperties: false });

export type BlockRedundancyStageOptions = StageOptions<typeof BlockRedundancyOptionsSchema>;

/** The redundancy table as Markdown, most redundant block first. */
export function redundancyMarkdown(rows: readonly BlockRedundancy[]): string {
  const lines = ['| rank | block (from → to) | deviation ‖Δε‖²/‖ε‖² | class-guidance deviation ‖Δg‖²/‖g‖² | saved ms (b1) | saved params | score / ms |', '|---:|---|---:|---:|---:|---:|---:|'];
  rows.forEach((r, i) => lines.push(`| ${i + 1} | ${r.block.from} → ${r.block.to} | ${r.deviation.toFixed(4)} | ${r.conditionDeviation.toFixed(4)} | ${r.savedMs.toFixed(3)} | ${r.savedParams} | ${r.scorePerMs.toFixed(4)} |`));
  return `${lines.join('\n')}\n`;
}

/**
 * `score` stage `block-redundancy`: A-SDM's redundancy analysis of a diffusion U-Net. Each block that
 * `residualBlocks` finds (identity-skip residual blocks, self- and cross-attention blocks) is
 * bypassed in turn; the stage measures the deviation of the predicted noise over sampled timesteps,
 * the deviation of the class-guidance direction ε(y) − ε(∅) (weighted by `conditionWeight`), and the
 * batch-1 latency saved (the full model and all bypassed ones timed in round-robin windows, the
 * lowest window each), and ranks blocks by (ε deviation + conditionWeight × class-guidance deviation) per millisecond saved. The score
 * table has one entry per block, keyed `block:<from>→<to>`, holding [score per ms, deviation,
 * saved ms, whole-model ms, class-guidance deviation] (higher first value = more important; `sd-incubation` removes the lowest). Writes
 * `redundancy.md` and `redundancy.json`.
 *
 * ```json
 * { "hook": "score", "plugin": "block-redundancy", "options": { "images": 16, "timesteps": 4 } }
 * ```
 */
@injectable()
export class BlockRedundancyPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'block-redundancy',
    hook: 'score',
    description: 'A-SDM redundancy analysis: bypass each U-Net block, measure the predicted-noise and class-guidance deviations and the latency saved, rank by score per ms.',
    requires: ['data'],
    optionsSchema: BlockRedundancyOptionsSchema,
  });

  readonly name = BlockRedundancyPlugin.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, BlockRedundancyPlugin.meta, async (_scores, call) => {
      const model = call.ctx.model;
      const { images, labels } = diffusionImagesOf(call, model);
      const count = Math.min(call.options.images, images.shape[0]);
      const [x, y] = tf.tidy(() => [images.slice(0, count), labels.slice(0, count)] as [tf.Tensor4D, tf.Tensor2D]);
      try {
        const blocks = residualBlocks(model);
        const rows = await blockRedundancy(model, blocks, { schedule: defaultSchedule(), images: x, labels: y, timesteps: call.options.timesteps, rng: call.rng.fork('redundancy'), latencyRuns: call.options.latencyRuns, latencyWindows: call.options.latencyWindows, conditionWeight: call.options.conditionWeight });
        const table = redundancyMarkdown(rows);
        call.ctx.logger.info(`  block redundancy (most redundant first):\n${table}`);
        const md = await call.ctx.artifacts.writeFile('redundancy.md', table);
        await call.ctx.artifacts.writeFile('redundancy.json', `${JSON.stringify(rows, null, 2)}\n`);
        call.record({ blocks: rows.length, table: md, mostRedundant: rows[0] === undefined ? '' : blockKey(rows[0].block) });
        const scores: ScoreTable = new Map(rows.map((r) => [blockKey(r.block), Float32Array.from([r.scorePerMs, r.deviation, r.savedMs, r.fullMs, r.conditionDeviation])]));
        return scores;
      } finally {
        tf.dispose([x, y]);
      }
    });
  }
}
