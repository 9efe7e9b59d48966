/**
 * @whittle/plugin-profiler — deploy target `tfjs-profiler` (latency on the active TensorFlow.js
 * backend), latency model `tfjs-profiler` (per-layer latency lookup tables and the predictor built
 * from them), for pruners and `whittle profile` to find by name.
 */
import { definePluginManifest } from '@whittle/kernel';
import { TfjsProfilerTarget } from './profiler-target.js';
import { tfjsProfilerLatencyModel } from './tfjs-profiler-latency-model.js';

export { ProfilerOptionsSchema, ProfilerTableOptionsSchema, TfjsProfilerTarget, type ProfilerOptions, type ProfilerTableOptions } from './profiler-target.js';
export * from './latency/index.js';
export { tfjsProfilerLatencyModel } from './tfjs-profiler-latency-model.js';

export default definePluginManifest({
  name: '@whittle/plugin-profiler',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [TfjsProfilerTarget],
  latencyModels: [tfjsProfilerLatencyModel],
});
