import type * as tf from '@tensorflow/tfjs';
import { definePluginMeta, inputError, tapStage, Type, withDefault, type Kernel, type StageOptions, type WhittlePlugin } from '@whittle/kernel';
import type { BlockBounds } from '@whittle/graph';
import { injectable } from 'tsyringe';
import { parseBlockKey } from '../blocks/block-key.js';
import { incubationModule, removeBlocks } from '../blocks/remove-blocks.js';
import { removalForLatency } from '../blocks/removal-for-latency.js';
import { absorbRemovedConvs } from '../condconv/absorb-removed-convs.js';
import { defaultSchedule } from '../diffusion/diffusion-defaults.js';
import { trainSlimUNet } from '../distill/slim-training.js';
import { swapToGri } from '../gri/swap-gri.js';
import { diffusionImagesOf } from './stage-data.js';
import { slimTrainingProperties } from './training-options.js';

/** Options of the `sd-incubation` prune stage. */
export const SdIncubationOptionsSchema = Type.Object({
  blocks: withDefault(Type.Integer({ minimum: 1, maximum: 64, description: 'Blocks to remove: the most redundant ones of the score table (lowest deviation per ms).' }), 4),
  latencyTarget: withDefault(Type.Number({ minimum: 0, maximum: 0.95, description: 'If > 0, instead of "blocks": the fewest blocks, in rank order, whose removal saves this fraction of the model\'s batch-1 latency, measured on each assembled candidate against the model.' }), 0),
  latencyRuns: withDefault(Type.Integer({ minimum: 1, maximum: 200, description: 'With latencyTarget: timed batch-1 calls per model in each latency window (median).' }), 10),
  latencyWindows: withDefault(Type.Integer({ minimum: 1, maximum: 50, description: 'With latencyTarget: round-robin windows over the model and each candidate; each one\'s lowest window counts.' }), 3),
  stages: withDefault(Type.Integer({ minimum: 1, maximum: 16, description: 'Removal stages (progressive: the blocks in rank order, split evenly).' }), 2),
  incubationSteps: withDefault(Type.Integer({ minimum: 0, maximum: 100000, description: 'Training steps per stage for the changed modules only, the rest frozen (Deep Incubation); 0: remove without training.' }), 100),
  condConv: withDefault(Type.Boolean({ description: 'Keep the removed blocks\' convolutions as experts of a CLME-CondConv in the nearest kept same-shape convolution.' }), false),
  gri: withDefault(Type.Boolean({ description: 'Replace self-attention on maps larger than griWindow by GRI attention (initialised from its projections).' }), false),
  griWindow: withDefault(Type.Integer({ minimum: 1, maximum: 64 }), 4),
  griPoolStride: withDefault(Type.Integer({ minimum: 0, maximum: 64, description: 'Pool of the global tokens; 0: regional attention only.' }), 2),
  outputKdWeight: withDefault(Type.Number({ minimum: 0, description: 'Weight of output KD (against the unpruned model) in incubation; the task loss has weight 1.' }), 1),
  ...slimTrainingProperties,
}, { additionalProperties: false });

export type SdIncubationOptions = StageOptions<typeof SdIncubationOptionsSchema>;

/** Splits `items` into `parts` consecutive groups of near-equal size (the first ones larger). */
function split<T>(items: readonly T[], parts: number): T[][] {
  const groups: T[][] = [];
  const count = Math.min(parts, items.length);
  for (let g = 0, start = 0; g < count; g++) {
    const size = Math.ceil((items.length - start) / (count - g));
    groups.push(items.slice(start, start + size));
    start += size;
  }
  return groups;
}

/**
 * `prune` stage `sd-incubation`: A-SDM's block removal with progressive incubation. The `blocks`
 * most redundant blocks of the score table (`block-redundancy`) are removed in `stages` stages; after
 * each stage the changed modules — the layers between each removed block's input and the next stage
 * boundary (`incubationModule`), plus any new CondConv and GRI layers — train in place for
 * `incubationSteps` steps with the rest of the network frozen, on the task loss plus output KD against
 * the model the stage started from (Deep Incubation). With `condConv`, the removed convolutions
 * become experts of CLME-CondConvs (`absorbRemovedConvs`); with `gri`, large-map self-attention
 * becomes GRI attention (`swapToGri`, in the first stage). Fine-tune the whole afterwards
 * (`sd-finetune` or `sas`).
 *
 * ```json
 * { "hook": "prune", "plugin": "sd-incubation", "options": { "blocks": 6, "stages": 2, "incubationSteps": 100, "condConv": true } }
 * ```
 */
@injectable()
export class SdIncubationPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'sd-incubation',
    hook: 'prune',
    description: 'A-SDM block removal in stages with Deep Incubation (changed modules trained in place, the rest frozen); optional CLME-CondConv and GRI attention.',
    requires: ['scores', 'data'],
    optionsSchema: SdIncubationOptionsSchema,
  });

  readonly name = SdIncubationPlugin.meta.name;

  apply(kernel: Kernel): void {
    tapStage(kernel, SdIncubationPlugin.meta, async (model, call) => {
      const { options } = call;
      const scores = call.ctx.scores;
      const entries = [...(scores ?? new Map<string, Float32Array>()).entries()]
        .map(([key, value]) => ({ block: parseBlockKey(key), score: value[0] ?? 0 }))
        .filter((e): e is { block: BlockBounds; score: number } => e.block !== undefined)
        .sort((a, b) => a.score - b.score);
      if (entries.length === 0) throw inputError('SD_NO_BLOCK_SCORES', `stage ${call.stage.label}: the score table has no block entries`, 'Run the block-redundancy score stage before it.');
      const ranked = entries.map((e) => e.block);
      let count = options.blocks;
      if (options.latencyTarget > 0) {
        const plan = await removalForLatency(model, ranked, options.latencyTarget, { runs: options.latencyRuns, windows: options.latencyWindows });
        count = plan.count;
        call.record({ plannedBlocks: plan.count, plannedSavingFraction: plan.saving, plannedFullMs: plan.fullMs, plannedSlimMs: plan.slimMs });
        if (!plan.reached) call.ctx.logger.warn(`  latency target ${options.latencyTarget} not reached: removing all ${plan.count} ranked blocks saves ${(plan.saving * 100).toFixed(1)} % (measured)`);
      } else if (count > entries.length) {
        throw inputError('SD_TOO_MANY_BLOCKS', `stage ${call.stage.label}: "blocks" is ${count}, the score table ranks ${entries.length}`, `Use at most ${entries.length}.`);
      }
      const { images, labels } = diffusionImagesOf(call, model);
      const schedule = defaultSchedule();
      const groups = split(ranked.slice(0, count), options.stages);
      let current = model;
      const removedSoFar: BlockBounds[] = [];
      let experts = 0;
      let griLayers = 0;
      try {
        for (const [stage, group] of groups.entries()) {
          const { model: bypassed, removed } = await removeBlocks(current, group, removedSoFar);
          let slim = bypassed;
          const changed = new Set(removed.flatMap((b) => slim.layers.some((l) => l.name === b.from) ? incubationModule(slim, b.from) : []));
          if (options.condConv) {
            const absorbed = await absorbRemovedConvs(current, slim, removed);
            if (absorbed.model !== slim) slim.dispose();
            slim = absorbed.model;
            for (const a of absorbed.assignments) {
              changed.add(a.kept);
              experts += a.experts.length;
            }
          }
          if (options.gri && stage === 0) {
            const swapped = await swapToGri(slim, { window: options.griWindow, poolStride: options.griPoolStride });
            if (swapped.model !== slim) slim.dispose();
            slim = swapped.model;
            for (const name of swapped.replaced) changed.add(name);
            griLayers = swapped.replaced.length;
          }
          removedSoFar.push(...removed);
          const trainable = [...changed].filter((name) => slim.getLayer(name).trainableWeights.length > 0);
          call.ctx.logger.info(`  stage ${stage + 1}/${groups.length}: removed ${removed.map((b) => b.to).join(', ')}; incubating ${trainable.length} layers`);
          if (options.incubationSteps > 0 && trainable.length > 0) {
            const result = trainSlimUNet(slim, { images, labels, schedule, teacher: current }, {
              steps: options.incubationSteps, batchSize: options.batchSize, learningRate: options.learningRate, labelDropout: options.labelDropout, emaDecay: options.emaDecay,
              weights: { task: 1, output: options.outputKdWeight, feature: 0, semantic: 0 }, trainable,
            }, call.rng.fork(`incubation-${stage}`));
            call.record({ [`stage${stage + 1}IncubationLoss`]: result.finalLoss.total, [`stage${stage + 1}IncubatedLayers`]: trainable.length, [`stage${stage + 1}Seconds`]: result.milliseconds / 1000 });
          }
          if (current !== model) current.dispose();
          current = slim;
        }
        if (options.condConv && experts === 0) {
          const note = 'no CondConv experts: the removed blocks hold no plain Conv2D with a same-shape kept one (attention blocks have none)';
          call.ctx.logger.warn(`  ${note}`);
          call.record({ condConvNote: note });
        }
        call.record({ removedBlocks: removedSoFar.length, stages: groups.length, condConvExperts: experts, griLayers, removed: groups.flat().map((b) => b.to).join(', ') });
        return current;
      } catch (error) {
        if (current !== model) (current as tf.LayersModel).dispose();
        throw error;
      }
    });
  }
}
