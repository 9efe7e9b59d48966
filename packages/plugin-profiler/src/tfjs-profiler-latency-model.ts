import * as tf from '@tensorflow/tfjs';
import { type LatencyEstimate, type LatencyModel, type LatencyRequest } from '@whittle/kernel';
import { latencyRelativeTo, measureLatency } from '@whittle/metrics';
import { latencyTableText } from './latency/latency-table-file.js';
import { loadLatencyTable, saveLatencyTable } from './latency/latency-table-fs.js';
import type { LatencyTable } from './latency/latency-table.js';
import { LatencyPredictor, type BuildPredictorOptions } from './latency/latency-predictor.js';
import { formatProfileReport, profileModel } from './latency/profile-model.js';

/** The table `request.tableFile` names, checked against this target (backend, adapter, batch, clock). */
async function startingTable(request: LatencyRequest): Promise<LatencyTable | undefined> {
  if (request.tableFile === undefined) return undefined;
  return loadLatencyTable(request.tableFile, { backend: tf.getBackend(), adapter: request.adapter, batchSize: request.batchSize, clock: request.timing.clock });
}

/**
 * The table `request.tableFile` names, for pruning: checked against the batch and clock only. A
 * table measured on another device than this process's backend (a user's browser on WebGL or
 * WebGPU) is predicted from as it is — that device is the target — and `onOtherDevice` says so.
 */
async function pruningTable(request: LatencyRequest): Promise<{ table: LatencyTable; onOtherDevice: boolean } | undefined> {
  if (request.tableFile === undefined) return undefined;
  const table = await loadLatencyTable(request.tableFile, { batchSize: request.batchSize, clock: request.timing.clock });
  const onOtherDevice = table.header.backend !== tf.getBackend() || table.header.adapter !== request.adapter;
  return { table, onOtherDevice };
}

function predictorOptions(request: LatencyRequest, table: LatencyTable | undefined): BuildPredictorOptions {
  const { timing } = request;
  return {
    batchSize: request.batchSize, step: request.step, warmup: timing.warmup, runs: timing.runs, maxGridPoints: timing.maxGridPoints,
    clock: timing.clock, adapter: request.adapter, logger: request.logger,
    ...(timing.statistic === undefined ? {} : { statistic: timing.statistic }),
    ...(table === undefined ? {} : { table }),
  };
}

/**
 * Latency model `tfjs-profiler`: the GPU (or any tfjs backend's) latency profiler. `estimate`
 * measures a per-layer latency table for the model on the active backend (starting from
 * `request.tableFile`, measuring what it lacks) and predicts with `LatencyPredictor`; the
 * estimate's `measure` times a pruned copy against the unpruned model in the same round-robin
 * windows, so drift in the machine's speed cancels. A `tableFile` measured on another device (the
 * browser page's table for WebGL, say) is predicted from alone, for that device: it must hold all
 * the model needs, and the estimate has no `measure` (that device is not here to time the pruned
 * model on). `profile` is `whittle profile`.
 *
 * ```ts
 * const estimate = await tfjsProfilerLatencyModel.estimate(model, { batchSize: 1, step: 8, adapter: null, logger,
 *   timing: { warmup: 3, runs: 10, maxGridPoints: 16, clock: 'wall' } });
 * estimate.predict(new Map([['stem_conv', 8]])); // ms
 * ```
 */
export const tfjsProfilerLatencyModel: LatencyModel = {
  name: 'tfjs-profiler',
  description: 'Per-layer latency tables measured on the active TensorFlow.js backend (wasm, webgpu, tfjs-node, cpu), fitted to whole-model measurements.',

  async estimate(model, request): Promise<LatencyEstimate> {
    const given = await pruningTable(request);
    if (given?.onOtherDevice === true) {
      const { header } = given.table;
      const predictor = await LatencyPredictor.build(model, { ...predictorOptions(request, given.table), device: 'table' });
      request.logger.info(`  latency table measured on ${header.backend}${header.adapter === null ? '' : ` (${header.adapter})`} (${header.machine}): ` +
        `predicting for that device from the table alone; the pruned model is not timed here (${tf.getBackend()}), time it there`);
      return {
        predict: (widths) => predictor.predict(widths),
        figures: { tableEntries: predictor.table.size, signaturesMeasured: 0, wholeModelsMeasured: 0, tableFromOtherDevice: 1 },
        artifacts: { 'latency-table.json': latencyTableText(predictor.table) },
      };
    }
    const predictor = await LatencyPredictor.build(model, predictorOptions(request, given?.table));
    const fullMs = predictor.predict(new Map());
    const { timing } = request;
    return {
      predict: (widths) => predictor.predict(widths),
      // Timed against the unpruned model in the same windows, so that drift in the machine's speed cancels.
      measure: (pruned) => latencyRelativeTo(model, fullMs, pruned, { batchSize: request.batchSize, runs: timing.runs, warmup: timing.warmup }),
      figures: { tableEntries: predictor.table.size, signaturesMeasured: predictor.buildStats.measured, wholeModelsMeasured: predictor.buildStats.wholeModelsMeasured },
      artifacts: { 'latency-table.json': latencyTableText(predictor.table) },
    };
  },

  async measure(model, request) {
    const stats = await measureLatency(model, { batchSize: request.batchSize, warmup: request.timing.warmup, runs: request.timing.runs });
    return request.timing.statistic === 'p10' ? stats.p10Ms : stats.medianMs;
  },

  async profile(model, request) {
    const { predictor, report } = await profileModel(model, { ...predictorOptions(request, await startingTable(request)), seed: request.seed });
    await saveLatencyTable(request.out, predictor.table);
    return { text: formatProfileReport(report), details: { ...report } };
  },
};
