import type * as tf from '@tensorflow/tfjs';
import type { LatencyEstimate, LatencyModel, LatencyRequest } from '@whittle/kernel';
import { ortModel } from '../runtime/ort-model.js';
import { ortLatencyRatios, timeOrtSession } from '../runtime/ort-timing.js';
import { OrtLatencyPredictor } from './ort-latency-predictor.js';

/** ORT runs take about a millisecond: a median needs more of them than a tfjs table's default 10. */
const MIN_RUNS = 50;
/** Round-robin windows of a pruned model's ratio to the unpruned one. */
const RATIO_WINDOWS = 5;

/** `pruned`'s latency in ORT as a ratio to `reference`'s, timed in the same windows (median over windows). */
async function ratioTo(reference: tf.LayersModel, pruned: tf.LayersModel, request: LatencyRequest): Promise<number> {
  const a = await ortModel(reference, { batchSize: request.batchSize });
  try {
    const b = await ortModel(pruned, { batchSize: request.batchSize });
    try {
      const [ratio] = await ortLatencyRatios(a.session, [b.session], a.feeds, { warmup: Math.max(request.timing.warmup, 10), runs: Math.max(request.timing.runs, MIN_RUNS), windows: RATIO_WINDOWS });
      return ratio as number;
    } finally {
      await b.session.release();
    }
  } finally {
    await a.session.release();
  }
}

/**
 * Latency model `onnxruntime`: the model's latency in ONNX Runtime for Node (CPU, one intra-op
 * thread), predicted from a per-layer table profiled in ORT (`OrtLatencyPredictor`), so that
 * `latency-knapsack` with `"latencyModel": "onnxruntime"` prunes to an ORT budget. `measure` of
 * the estimate times a pruned copy against the unpruned model in the same round-robin windows and
 * returns the ratio × the unpruned model's predicted latency: drift in the machine's speed cancels,
 * and the budget (a fraction of that prediction) is held as a ratio of measured latencies.
 * Timed runs are at least 50 per median.
 *
 * ```json
 * { "hook": "prune", "plugin": "latency-knapsack", "options": { "latencyModel": "onnxruntime", "budgetFraction": 0.5 } }
 * ```
 */
export const onnxruntimeLatencyModel: LatencyModel = {
  name: 'onnxruntime',
  description: 'Per-layer latency table profiled in ONNX Runtime (onnxruntime-node, CPU, 1 thread) on the exported ONNX graph at sampled widths, fitted to whole-model measurements.',

  async estimate(model, request): Promise<LatencyEstimate> {
    const { timing } = request;
    const predictor = await OrtLatencyPredictor.build(model, {
      batchSize: request.batchSize, step: request.step, warmup: timing.warmup, runs: Math.max(timing.runs, 30), logger: request.logger,
    });
    const fullMs = predictor.predict(new Map());
    return {
      predict: (widths) => predictor.predict(widths),
      measure: async (pruned) => fullMs * (await ratioTo(model, pruned, request)),
      figures: {
        tableEntries: predictor.entries.length, profiledModels: predictor.fitPoints.length,
        fitScale: predictor.scale, fitConstantMs: predictor.constantMs, fullMeasuredMs: predictor.fullMeasuredMs,
      },
      artifacts: {
        'onnxruntime-latency-table.json': `${JSON.stringify({
          format: 'whittle-onnxruntime-latency-table', batchSize: request.batchSize, step: request.step,
          fit: { scale: predictor.scale, constantMs: predictor.constantMs, points: predictor.fitPoints.map((p) => ({ fraction: Number.isNaN(p.fraction) ? 'random' : p.fraction, tableMs: p.tableMs, measuredMs: p.measuredMs })) },
          entries: predictor.entries,
        }, null, 2)}\n`,
      },
    };
  },

  async measure(model, request) {
    const ort = await ortModel(model, { batchSize: request.batchSize });
    try {
      const times = await timeOrtSession(ort.session, ort.feeds, { warmup: Math.max(request.timing.warmup, 10), runs: Math.max(request.timing.runs, MIN_RUNS) });
      return request.timing.statistic === 'p10' ? times.p10Ms : times.medianMs;
    } finally {
      await ort.session.release();
    }
  },
};
