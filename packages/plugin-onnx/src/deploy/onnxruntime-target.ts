import * as tf from '@tensorflow/tfjs';
import { layerOperationsOf } from '@whittle/graph';
import {
  definePluginMeta, LAYER_OPERATIONS, runtimeError, tapStage, Type, withDefault,
  type Kernel, type LayerOperationRegistration, type Providers, type StageOptions, type WhittlePlugin,
} from '@whittle/kernel';
import { inject, injectable } from 'tsyringe';
import { exportOnnx } from '../export/export-onnx.js';
import { randomFeeds } from '../runtime/ort-model.js';
import { OrtSession } from '../runtime/ort-session.js';
import { timeOrtSession } from '../runtime/ort-timing.js';
import { compareWithTfjs } from '../runtime/output-check.js';
import { checkInputs } from './check-inputs.js';

/** The options schema of the `onnxruntime` deploy target. */
export const OnnxruntimeOptionsSchema = Type.Object(
  {
    out: withDefault(Type.String({ minLength: 1, description: 'File (in the stage\'s artifacts) the ONNX model is written to.' }), 'model.onnx'),
    batchSize: withDefault(Type.Integer({ minimum: 1, description: 'Batch size latency is measured at.' }), 1),
    warmup: withDefault(Type.Integer({ minimum: 0, description: 'Untimed runs before timing.' }), 20),
    runs: withDefault(Type.Integer({ minimum: 1, description: 'Timed runs; the median is the latency.' }), 100),
    intraOpThreads: withDefault(Type.Integer({ minimum: 1, description: 'ONNX Runtime intra-op threads.' }), 1),
    checkExamples: withDefault(Type.Integer({ minimum: 1, description: 'Examples (the run\'s test split, else validation, else seeded noise) on which ORT\'s outputs are compared with tfjs\'s.' }), 8),
    maxRelativeError: withDefault(Type.Number({ exclusiveMinimum: 0, description: 'Fail the stage when max |ort − tfjs| / max |tfjs| over the checked outputs exceeds this.' }), 1e-4),
  },
  { additionalProperties: false },
);

export type OnnxruntimeOptions = StageOptions<typeof OnnxruntimeOptionsSchema>;

/**
 * Deploy target `onnxruntime`: exports the pipeline's model to ONNX (`out`, default `model.onnx`,
 * through the layer operations of the run, custom layers' included), opens it in ONNX Runtime for
 * Node (CPU), checks its outputs against tfjs's on the run's data (or seeded noise when there is
 * none) and fails the stage when they differ by more than `maxRelativeError`, then measures
 * latency at `batchSize` with `intraOpThreads` threads (warm-up, median of `runs`, read-back
 * included). Writes `onnxruntime.json` and puts size, error and latency into the report.
 *
 * ```json
 * { "hook": "deploy", "target": "onnxruntime", "options": { "batchSize": 1, "intraOpThreads": 2, "runs": 200 } }
 * ```
 */
@injectable()
export class OnnxruntimeTarget implements WhittlePlugin {
  static readonly meta = definePluginMeta({
    name: 'onnxruntime',
    hook: 'deploy',
    description: 'Export to ONNX, check ONNX Runtime\'s outputs against tfjs and measure its latency (onnxruntime-node, CPU).',
    optionsSchema: OnnxruntimeOptionsSchema,
    artifactPathOptions: [['out']],
  });

  readonly name = OnnxruntimeTarget.meta.name;

  constructor(@inject(LAYER_OPERATIONS) private readonly layers: Providers<LayerOperationRegistration>) {}

  apply(kernel: Kernel): void {
    const ops = layerOperationsOf(this.layers);
    tapStage(kernel, OnnxruntimeTarget.meta, async (result, call) => {
      const { options, ctx } = call;
      const model = ctx.model;
      const exported = await exportOnnx(model, { ops });
      const onnxFile = await ctx.artifacts.writeFile(options.out, exported.bytes);
      const session = await OrtSession.create(exported.bytes, exported, { intraOpThreads: options.intraOpThreads });
      try {
        const { inputs, source } = checkInputs(model, ctx.data, options.checkExamples, ctx.seed);
        let check;
        try {
          check = await compareWithTfjs(model, session, inputs);
        } finally {
          tf.dispose(inputs);
        }
        if (!(check.relativeError <= options.maxRelativeError)) {
          throw runtimeError('ORT_OUTPUT_MISMATCH',
            `model "${model.name}" exported to ONNX gives outputs ${check.relativeError.toExponential(2)} (relative, max abs ${check.maxAbsError.toExponential(2)}) from tfjs's on ${check.examples} ${source === 'data' ? 'examples of the run\'s data' : 'seeded random inputs'}, above maxRelativeError ${options.maxRelativeError}`,
            'A layer\'s ONNX lowering disagrees with its tfjs computation (a custom layer\'s registered `onnx` lowering?); the exported file is kept in the stage\'s folder to inspect.');
        }
        const times = await timeOrtSession(session, randomFeeds(exported, options.batchSize, ctx.seed), { warmup: options.warmup, runs: options.runs });
        const nodes = Object.values(exported.opCounts).reduce((a, b) => a + b, 0);
        const summary = {
          model: model.name, file: options.out, onnxBytes: exported.bytes.length, opCounts: exported.opCounts, foldedBatchNorms: exported.foldedBatchNorms,
          inputs: exported.inputs, outputs: exported.outputs,
          check: { source, examples: check.examples, relativeError: check.relativeError, maxAbsError: check.maxAbsError, maxRelativeError: options.maxRelativeError },
          latency: { batchSize: options.batchSize, intraOpThreads: options.intraOpThreads, warmup: options.warmup, ...times },
        };
        const summaryFile = await ctx.artifacts.writeFile('onnxruntime.json', `${JSON.stringify(summary, null, 2)}\n`);
        ctx.logger.info(`  ${options.out}: ${exported.bytes.length} bytes, ${nodes} nodes (${exported.foldedBatchNorms} BatchNorms folded); ORT vs tfjs on ${check.examples} ${source === 'data' ? 'examples' : 'random inputs'}: relative error ${check.relativeError.toExponential(2)}; latency at batch ${options.batchSize}, ${options.intraOpThreads} thread(s): median ${times.medianMs.toFixed(3)} ms (p10 ${times.p10Ms.toFixed(3)}, p90 ${times.p90Ms.toFixed(3)}, ${times.runs} runs)`);
        return {
          ...result,
          metrics: {
            ...result.metrics,
            onnxBytes: exported.bytes.length,
            onnxNodes: nodes,
            foldedBatchNorms: exported.foldedBatchNorms,
            outputRelativeError: check.relativeError,
            outputMaxAbsError: check.maxAbsError,
            checkedExamples: check.examples,
            latencyMs: times.medianMs,
            latencyP10Ms: times.p10Ms,
            latencyP90Ms: times.p90Ms,
            batchSize: options.batchSize,
            intraOpThreads: options.intraOpThreads,
          },
          files: [...result.files, onnxFile, summaryFile],
          details: { ...result.details, runtime: 'onnxruntime-node (CPU)', checkedOn: source },
        };
      } finally {
        await session.release();
      }
    });
  }
}
