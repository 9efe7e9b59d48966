/**
 * @whittle/plugin-sp-lamp — SP-LAMP (Pan et al. 2023): `score` stage `sp-lamp` (LAMP moved to
 * filters), `prune` stage `latency-knapsack` (group knapsack under a latency budget, with latency
 * from any registered latency model, `tfjs-profiler` by default) and the
 * latency-blind baseline `prune` stage `global-lamp`.
 */
import { definePluginManifest } from '@whittle/kernel';
import { GlobalLampPlugin } from './prune/global-lamp-plugin.js';
import { LatencyKnapsackPlugin } from './prune/latency-knapsack-plugin.js';
import { SpLampScorePlugin } from './score/sp-lamp-score-plugin.js';

export { SpLampScoreOptionsSchema, SpLampScorePlugin } from './score/sp-lamp-score-plugin.js';
export { SP_LAMP_DEFAULTS, spLampImportance, spLampScores, type GroupCombine, type SpLampOptions } from './score/sp-lamp-scores.js';
export { GroupKnapsack, DEFAULT_KNAPSACK_RESOLUTION, type GroupKnapsackOptions, type KnapsackGroup, type KnapsackSolution } from './knapsack/group-knapsack.js';
export { keepWidths, topKValues, type WidthGrid } from './knapsack/keep-widths.js';
export { solveLatencyKnapsack, type KnapsackRound, type LatencyKnapsackOptions, type LatencyKnapsackResult, type ScoredGroup } from './knapsack/latency-knapsack-solver.js';
export { LatencyKnapsackOptionsSchema, LatencyKnapsackPlugin, type LatencyKnapsackStageOptions } from './prune/latency-knapsack-plugin.js';
export { GlobalLampOptionsSchema, GlobalLampPlugin, type GlobalLampOptions } from './prune/global-lamp-plugin.js';
export { calibrateToMeasured, type CalibrateOptions, type Calibrated, type CalibrationRound } from './prune/calibrate-to-measured.js';
export { pruneToLatencyBudget, resolveBudget, type LatencyBudget, type LatencyBudgetPruning, type PruneToLatencyBudgetOptions } from './prune/prune-to-latency-budget.js';

export default definePluginManifest({
  name: '@whittle/plugin-sp-lamp',
  version: '0.1.0',
  kernel: '^0.1.0',
  plugins: [SpLampScorePlugin, LatencyKnapsackPlugin, GlobalLampPlugin],
});
