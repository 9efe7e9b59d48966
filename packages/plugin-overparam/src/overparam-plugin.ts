import type * as tf from '@tensorflow/tfjs';
import {
  definePluginMeta, inputError, LAYER_OPERATIONS, LOGGER, METRICS, TASKS, tapStage,
  type Kernel, type LayerOperationRegistration, type Logger, type MetricProvider, type Providers, type StageCall, type TaskDefinition, type WhittlePlugin,
} from '@whittle/kernel';
import { expandLinear, layerOperationsOf, mergeLinear, type ExpandedBlock, type LayerOperations } from '@whittle/graph';
import { requireData, taskLoss, taskOf, validationMetric } from '@whittle/training';
import { inject, injectable } from 'tsyringe';
import { layerPattern, OverparamOptionsSchema, type OverparamOptions } from './overparam-options.js';
import { trainWithSimilarity, type SimilarityDistillation } from './similarity-training.js';

/**
 * `recover` stage `overparam` (Qian et al., "Boosting Pruned Networks with Linear
 * Over-parameterization"): expands every compact layer of the (pruned) model into an exactly equal
 * linear chain (`expandLinear`: k×k head with E = r·outputs filters, optional E→E 1×1s, a 1×1 back to
 * the outputs), fine-tunes it with the task loss plus γ·SP-KD (Tung & Mori) between each block's
 * output and the teacher's layer of the same name (the pipeline `teacher`, the dense network; its
 * activations computed without gradients), then merges every block back (`mergeLinear`): the same
 * architecture, layer names and configs as the stage's input, loadable in stock tfjs.
 *
 * The expanded model exists only inside the stage: the run's checkpoint after the stage is the merged
 * model, and an interrupted stage restarts from the previous stage's checkpoint on `--resume`.
 *
 * ```json
 * { "teacher": { "path": "dense/model.json" },
 *   "stages": [ …prune…, { "hook": "recover", "plugin": "overparam", "options": { "ratio": 4, "gamma": 3000, "epochs": 3 } } ] }
 * ```
 */
@injectable()
export class OverparamPlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'overparam',
    hook: 'recover',
    description: 'Fine-tune a pruned model through linear over-parameterisation with SP-KD from the dense teacher, then merge back exactly (same architecture).',
    requires: ['data'],
    optionsSchema: OverparamOptionsSchema,
  });

  readonly name = OverparamPlugin.meta.name;
  private readonly ops: LayerOperations;

  constructor(
    @inject(LOGGER) private readonly logger: Logger,
    @inject(TASKS) private readonly tasks: Providers<TaskDefinition>,
    @inject(METRICS) private readonly metrics: Providers<MetricProvider>,
    @inject(LAYER_OPERATIONS) layers: Providers<LayerOperationRegistration>,
  ) {
    this.ops = layerOperationsOf(layers);
  }

  apply(kernel: Kernel): void {
    tapStage(kernel, OverparamPlugin.meta, (model, call) => this.recover(model, call));
  }

  private async recover(model: tf.LayersModel, call: StageCall<OverparamOptions>): Promise<tf.LayersModel> {
    const { options } = call;
    const task = taskOf(this.tasks, requireData(call));
    const validation = validationMetric(this.metrics, task);
    // Exact names stay strings, so that naming a layer that cannot expand is an error with its reason; patterns skip such layers.
    const layers = options.layers?.map((selector: string) => (selector.includes('*') ? layerPattern(selector) : selector));
    const { model: expanded, blocks, skipped } = await expandLinear(model, {
      ...(layers === undefined ? {} : { layers }), ratio: options.ratio, depth: options.depth, initScale: options.initScale, seed: call.rng.fork('expand').int32() >>> 0,
    }, this.ops);
    try {
      if (blocks.length === 0) {
        throw inputError('OVERPARAM_NOTHING_TO_EXPAND', `stage ${call.stage.label}: no layer of model "${model.name}" can be expanded${skipped.length > 0 ? ` (${skipped.map((s) => `${s.layer}: ${s.reason}`).slice(0, 3).join('; ')})` : ''}`,
          'Give "layers" that name Conv2D, Dense or SeparableConv2D layers.');
      }
      if (options.logitKd !== undefined && task.loss !== 'cross-entropy') {
        throw inputError('OVERPARAM_LOGIT_KD_TASK', `stage ${call.stage.label}: "logitKd" distils a classifier's logits, but task "${task.name}" trains with loss "${task.loss ?? 'none'}"`,
          'Leave "logitKd" out (SP-KD alone works for any task).');
      }
      const distillation = options.gamma > 0 || options.logitKd !== undefined ? await this.distillation(call, blocks, expanded) : undefined;
      this.logger.info(`  expanded ${blocks.length} layers (ratio ${options.ratio}, depth ${options.depth}): ${model.countParams()} → ${expanded.countParams()} params; ${skipped.length} left as they are`
        + (options.gamma === 0 ? '; no SP-KD (gamma 0)' : `; SP-KD on ${distillation!.pairs.length} pairs, γ ${options.gamma} (${options.pairReduction})`)
        + (options.logitKd === undefined ? '' : `; logit KD T ${options.logitKd.temperature}, α ${options.logitKd.alpha}`));
      // `gamma` here is the SP-KD weight; the step schedule's multiplier is `stepGamma`.
      const training = { ...options, gamma: options.stepGamma };
      const result = await trainWithSimilarity(expanded, call, training, taskLoss(task, expanded, call.stage.label), validation, distillation);
      if (result.stoppedEarly) this.logger.info(`  early stop after ${result.epochsRun} epochs`);
      const { model: merged } = await mergeLinear(expanded, this.ops);
      call.record({
        expandedLayers: blocks.length,
        leftAsTheyAre: skipped.length,
        leftClasses: [...new Set(skipped.map((s) => s.className))].join(', '),
        expandedParams: expanded.countParams(),
        similarityPairs: distillation?.pairs.length ?? 0,
        logitKd: options.logitKd === undefined ? 'none' : `T ${options.logitKd.temperature}, α ${options.logitKd.alpha}`,
        epochs: result.epochsRun,
        finalLoss: result.finalLoss,
        ...(distillation === undefined || distillation.pairs.length === 0 ? {} : { finalSimilarityLoss: result.finalSimilarityLoss }),
        secondsPerEpoch: result.secondsPerEpoch,
        loss: task.loss ?? 'none',
        ...(validation === undefined ? {} : { [validation.recordKey]: result.bestValidation }),
      });
      return merged;
    } finally {
      expanded.dispose();
    }
  }

  /** The teacher and the layer pairs (the named ones, or every expanded block the teacher has a layer for; none with gamma 0), and the logit KD. */
  private async distillation(call: StageCall<OverparamOptions>, blocks: readonly ExpandedBlock[], expanded: tf.LayersModel): Promise<SimilarityDistillation> {
    const { options } = call;
    const teacher = await call.ctx.teacher();
    const logit = options.logitKd === undefined ? {} : { logit: options.logitKd };
    if (options.gamma === 0) return { teacher, pairs: [], gamma: 0, reduction: options.pairReduction, ...logit };
    const teacherNames = new Set(teacher.layers.map((l) => l.name));
    const studentNames = expanded.layers.map((l) => l.name);
    let pairs: string[];
    if (options.pairs === undefined) {
      pairs = blocks.map((b) => b.layer).filter((name) => teacherNames.has(name));
    } else {
      pairs = [];
      for (const selector of options.pairs) {
        const pattern = layerPattern(selector);
        const chosen = studentNames.filter((n) => pattern.test(n));
        if (chosen.length === 0) throw inputError('OVERPARAM_PAIR_UNKNOWN', `stage ${call.stage.label}: "pairs" entry "${selector}" matches no layer of the model`, `Name layers such as ${studentNames.slice(1, 4).map((n) => `"${n}"`).join(', ')}.`);
        const missing = chosen.filter((n) => !teacherNames.has(n));
        if (missing.length > 0) throw inputError('OVERPARAM_PAIR_UNKNOWN', `stage ${call.stage.label}: the teacher "${teacher.name}" has no layer "${missing[0]}" to pair with`, 'Pair layers whose names the dense teacher has (pruning keeps layer names).');
        for (const n of chosen) if (!pairs.includes(n)) pairs.push(n);
      }
    }
    if (pairs.length === 0) {
      throw inputError('OVERPARAM_NO_PAIRS', `stage ${call.stage.label}: the teacher "${teacher.name}" has none of the expanded layers' names, so SP-KD has no pairs`,
        'Use the dense model the pruned one came from as the teacher, or "gamma": 0 for expansion alone.');
    }
    return { teacher, pairs, gamma: options.gamma, reduction: options.pairReduction, ...logit };
  }
}
