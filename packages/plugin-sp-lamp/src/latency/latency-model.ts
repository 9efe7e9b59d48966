/**
 * What the latency-budgeted pruner needs to know about the target: the predicted latency (ms) of
 * the model when each dependency group keeps the given number of channels (a group that is not in
 * the map keeps all of its channels). The caller may change the map after the call returns, so an
 * implementation must not keep it. The profiler's `LatencyPredictor` satisfies it; any other
 * predictor (an analytic model, a table from elsewhere) can be plugged in.
 *
 * ```ts
 * const macsOnly: LatencyModel = { predict: (widths) => 0.1 + 1e-3 * (widths.get('conv1') ?? 16) };
 * macsOnly.predict(new Map([['conv1', 8]])); // 0.108
 * ```
 */
export interface LatencyModel {
  predict(widths: ReadonlyMap<string, number>): number;
}
