import * as tf from '@tensorflow/tfjs';
import {
  definePluginMeta, METRICS, TASKS, tapStage, Type, withDefault,
  type DatasetSplits, type Kernel, type MetricProvider, type Providers, type StageOptions, type TaskDefinition, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { layersModelFolder, loadLayersFolder } from '../folder/layers-model-folder.js';
import { quantizeFolder } from '../folder/quantize-folder.js';
import { compareLayersModels } from '../measure/output-error.js';
import { comparisonInputs } from '../measure/comparison-inputs.js';
import { quantizationDtypeSchema, skipOptionProperties } from '../options-schemas.js';
import { precisionScheme, weightBitsOf } from './precision-scheme.js';
import { skipSummary } from '../quantize/skip-rules.js';

export const WebQuantizeOptionsSchema = Type.Object(
  {
    dtype: withDefault(quantizationDtypeSchema('Storage type of the quantized weights: uint8 (affine, 4× smaller), uint16 (affine, 2×), float16 (2×).'), 'uint8'),
    ...skipOptionProperties,
    examples: withDefault(Type.Integer({ minimum: 1, description: 'Examples the output error is measured on: the evaluation split\'s first ones, or seeded uniform noise without data.' }), 32),
    out: Type.Optional(Type.String({ minLength: 1, description: 'Also write the quantized model folder (model.json + shards) as this artifact folder.' })),
  },
  { additionalProperties: false },
);

export type WebQuantizeOptions = StageOptions<typeof WebQuantizeOptionsSchema>;

/**
 * `quantize` stage `web-quantize`: quantizes the model's weights as a web app would load them
 * (tfjs weights manifest with `quantization: { dtype, scale, min }`, zero exact), then rebuilds the
 * model through the stock loader, so every later stage — fine-tuning aside — and the run's metrics
 * see exactly the weights a browser decodes. Records bytes before/after (weights, and with
 * model.json), the output error against the float32 model, the task's metrics before/after when the
 * run has data, and sets each quantized layer's precision (`tfjs-web-uint8`…) for deploy targets.
 *
 * ```json
 * { "hook": "quantize", "plugin": "web-quantize", "options": { "dtype": "uint8", "skip": ["*bias"] } }
 * ```
 */
@injectable()
export class WebQuantizePlugin implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'web-quantize',
    hook: 'quantize',
    description: 'Quantize weights to uint8/uint16/float16 as TensorFlow.js weights manifests store them (loaded by stock loaders); report bytes and output error.',
    optionsSchema: WebQuantizeOptionsSchema,
    artifactPathOptions: [['out']],
  });

  readonly name = WebQuantizePlugin.meta.name;

  constructor(
    @inject(TASKS) private readonly tasks: Providers<TaskDefinition>,
    @inject(METRICS) private readonly metrics: Providers<MetricProvider>,
  ) {}

  apply(kernel: Kernel): void {
    tapStage(kernel, WebQuantizePlugin.meta, async (model, call) => {
      const { options } = call;
      const folder = await layersModelFolder(model, { shardBytes: options.shardBytes });
      const { files, weights, report } = quantizeFolder(folder, options);
      const quantized = await loadLayersFolder(folder.json, weights);
      const inputs = comparisonInputs(model, call.ctx.data, options.examples, call.ctx.seed);
      try {
        const error = await compareLayersModels(model, quantized, inputs);
        const taskMetrics = await this.taskMetrics(model, quantized, call.ctx.data);
        if (options.out !== undefined) {
          await call.ctx.artifacts.writeFile(`${options.out}/model.json`, files.modelJson);
          for (const shard of files.shards) await call.ctx.artifacts.writeFile(`${options.out}/${shard.name}`, shard.bytes);
        }
        const skipped = new Set(report.skipped.map((s) => s.name));
        for (const layer of quantized.layers) {
          if (layer.weights.some((w) => !skipped.has(w.originalName))) call.setPrecision(layer.name, { weightBits: weightBitsOf(options.dtype), scheme: precisionScheme(options.dtype) });
        }
        call.ctx.logger.info(`  ${options.dtype}: weights ${report.before.weightBytes} → ${report.after.weightBytes} bytes (${report.weightRatio.toFixed(2)}×; with model.json ${report.totalRatio.toFixed(2)}×), ${report.quantizedTensors} tensors quantized, ${report.skipped.length} skipped; output error max ${error.maxAbs.toExponential(2)} (${(error.relative * 100).toFixed(3)}% of the largest output)`);
        if (report.skipped.length > 0) call.ctx.logger.info(`  kept float32: ${skipSummary(report.skipped)}`);
        call.record({
          dtype: options.dtype,
          weightBytesBefore: report.before.weightBytes,
          weightBytesAfter: report.after.weightBytes,
          totalBytesBefore: report.before.totalBytes,
          totalBytesAfter: report.after.totalBytes,
          weightRatio: report.weightRatio,
          totalRatio: report.totalRatio,
          quantizedTensors: report.quantizedTensors,
          skippedTensors: report.skipped.length,
          maxAbsWeightError: report.maxAbsWeightError,
          outputMaxAbsError: error.maxAbs,
          outputMeanAbsError: error.meanAbs,
          outputRelativeError: error.relative,
          outputErrorExamples: inputs[0]!.shape[0]!,
          outputErrorOn: call.ctx.data === undefined || model.inputs.length !== 1 ? 'uniform-noise' : 'evaluation-split',
          ...taskMetrics,
        });
        return quantized;
      } catch (error) {
        quantized.dispose();
        throw error;
      } finally {
        tf.dispose(inputs);
      }
    });
  }

  /** `<metric>Before` / `<metric>After` for each metric of the data's task, on its evaluation split. */
  private async taskMetrics(before: tf.LayersModel, after: tf.LayersModel, data: DatasetSplits | undefined): Promise<Record<string, number>> {
    if (data === undefined) return {};
    const split = data.test ?? data.validation;
    const out: Record<string, number> = {};
    for (const name of this.tasks.get(data.task, { why: `the data "${data.name}" is for it` }).metrics) {
      const metric = this.metrics.get(name, { why: `task "${data.task}" measures it` });
      out[`${name}Before`] = await metric.measure(before, { data: split, batchSize: 64 });
      out[`${name}After`] = await metric.measure(after, { data: split, batchSize: 64 });
    }
    return out;
  }
}
