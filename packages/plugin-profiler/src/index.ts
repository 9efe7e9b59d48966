/** @whittle/plugin-profiler — deploy target `tfjs-profiler`: latency on the active TensorFlow.js backend, and per-layer latency lookup tables. */
import { definePluginManifest } from '@whittle/kernel';
import { TfjsProfilerTarget } from './profiler-target.js';

export { ProfilerOptionsSchema, ProfilerTableOptionsSchema, TfjsProfilerTarget, type ProfilerOptions, type ProfilerTableOptions } from './profiler-target.js';
export * from './latency/index.js';

export default definePluginManifest({
  name: '@whittle/plugin-profiler',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [TfjsProfilerTarget],
});
