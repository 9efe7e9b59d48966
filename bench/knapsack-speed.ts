/**
 * How fast is SP-LAMP's group knapsack on a network the size of ResNet-50 (ImageNet, 224×224)?
 * Builds ResNet-50's channel groups (stem, two inner groups per bottleneck, one residual group per
 * stage: 37 groups, widths 64 … 2048; or, uncoupled, one group per conv: 53), SP-LAMP-like scores
 * (seeded), and a MAC-proportional latency in which every conv's cost depends on its input AND
 * output widths. Times (1) `GroupKnapsack` alone, costs frozen at full neighbour widths, and (2) the
 * whole `solveLatencyKnapsack` (linearise–solve rounds from two starts, repair, top-up), at
 * budgets of 30 / 50 / 70 % of the unpruned latency, step g = 8.
 *
 *   pnpm tsc -b bench && node bench/dist/knapsack-speed.js [--resolution 4000] [--step 8] [--repeat 5]
 *
 * Pure JavaScript, no tfjs: the numbers are CPU time of the solver on this machine.
 */
import { parseArgs } from 'node:util';
import { SeededRng } from '@whittle/kernel';
import type { WidthLatency } from '@whittle/kernel';
import { lampNormalise } from '@whittle/graph';
import { GroupKnapsack, keepWidths, solveLatencyKnapsack, topKValues, type ScoredGroup } from '@whittle/plugin-sp-lamp';

const { values: args } = parseArgs({
  options: {
    resolution: { type: 'string', default: '4000' },
    step: { type: 'string', default: '8' },
    repeat: { type: 'string', default: '5' },
  },
});
const resolution = Number(args.resolution);
const step = Number(args.step);
const repeat = Number(args.repeat);

/** One conv of the network: which group it reads and writes, and its MACs per in×out channel pair. */
interface Conv {
  readonly name: string;
  readonly input: string | number;
  readonly output: string;
  readonly macsPerPair: number;
}

/** ResNet-50 v1.5 convs at 224×224; `coupled` ties each stage's block outputs (residual adds) into one group. */
function resnet50(coupled: boolean): { convs: Conv[]; channels: Map<string, number> } {
  const convs: Conv[] = [];
  const channels = new Map<string, number>();
  const group = (id: string, width: number): string => {
    channels.set(id, width);
    return id;
  };
  const stem = group('stem', 64);
  convs.push({ name: 'stem', input: 3, output: stem, macsPerPair: 112 * 112 * 49 });
  let previous = stem;
  let size = 56;
  [[3, 64], [4, 128], [6, 256], [3, 512]].forEach(([blocks, width], s) => {
    const out = (width as number) * 4;
    const residual = coupled ? group(`stage${s + 1}_residual`, out) : '';
    for (let b = 1; b <= (blocks as number); b++) {
      const stride = s > 0 && b === 1 ? 2 : 1;
      const name = `stage${s + 1}_block${b}`;
      const inner1 = group(`${name}_1`, width as number);
      const inner2 = group(`${name}_2`, width as number);
      const output = coupled ? residual : group(`${name}_3`, out);
      const outSize = size / stride;
      convs.push({ name: `${name}_1`, input: previous, output: inner1, macsPerPair: size * size });
      convs.push({ name: `${name}_2`, input: inner1, output: inner2, macsPerPair: outSize * outSize * 9 });
      convs.push({ name: `${name}_3`, input: inner2, output, macsPerPair: outSize * outSize });
      if (b === 1) {
        const shortcut = coupled ? residual : group(`${name}_shortcut`, out);
        convs.push({ name: `${name}_shortcut`, input: previous, output: shortcut, macsPerPair: outSize * outSize });
      }
      previous = output;
      size = outSize;
    }
  });
  return { convs, channels };
}

/** ≈ 4.1 GMACs → a few ms, like a fast GPU; the fixed part stands for pooling, adds, the classifier. */
const MS_PER_MAC = 1e-9;
const FIXED_MS = 0.4;

function latencyModel(convs: readonly Conv[], channels: ReadonlyMap<string, number>): WidthLatency {
  const width = (g: string | number, widths: ReadonlyMap<string, number>): number => (typeof g === 'number' ? g : widths.get(g) ?? (channels.get(g) as number));
  return {
    predict: (widths) => convs.reduce((ms, c) => ms + MS_PER_MAC * c.macsPerPair * width(c.input, widths) * width(c.output, widths), FIXED_MS),
  };
}

function scores(channels: ReadonlyMap<string, number>, rng: SeededRng): ScoredGroup[] {
  return [...channels].map(([id, n]) => ({ id, scores: lampNormalise(Array.from({ length: n }, () => rng.next() ** 2)) }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time<T>(run: () => T): { ms: number; value: T } {
  const samples: number[] = [];
  let value = run(); // warm-up (JIT)
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    value = run();
    samples.push(performance.now() - start);
  }
  return { ms: median(samples), value };
}

const rows: string[] = [];
for (const coupled of [true, false]) {
  const { convs, channels } = resnet50(coupled);
  const groups = scores(channels, SeededRng.from(50, coupled ? 'coupled' : 'uncoupled'));
  const latency = latencyModel(convs, channels);
  const fullMs = latency.predict(new Map());
  const items = groups.reduce((sum, g) => sum + keepWidths(g.scores.length, step).length, 0);
  // (1) The DP alone: each group's cost at width k with every other group at full width.
  const knapsackGroups = groups.map((g) => {
    const widths = keepWidths(g.scores.length, step);
    return { id: g.id, widths, values: topKValues(g.scores, widths), costs: widths.map((k) => latency.predict(new Map([[g.id, k]])) - fullMs) };
  });
  for (const fraction of [0.3, 0.5, 0.7]) {
    const budgetMs = fraction * fullMs;
    const dp = time(() => new GroupKnapsack(knapsackGroups, { fixedCost: fullMs, resolution }).solve(budgetMs));
    const whole = time(() => solveLatencyKnapsack(groups, latency, { budgetMs, step, resolution }));
    const kept = (w: ReadonlyMap<string, number>): string => `${(100 * [...w.values()].reduce((a, b) => a + b, 0) / [...channels.values()].reduce((a, b) => a + b, 0)).toFixed(1)} %`;
    rows.push(`| ${coupled ? 'coupled' : 'per conv'} | ${groups.length} | ${items} | ${(fraction * 100).toFixed(0)} % = ${budgetMs.toFixed(3)} | ` +
      `${dp.ms.toFixed(1)} | ${kept(dp.value.widths)} | ${latency.predict(dp.value.widths).toFixed(3)} | ` +
      `${whole.ms.toFixed(1)} | ${whole.value.rounds.length} | ${kept(whole.value.widths)} | ${whole.value.predictedMs.toFixed(3)} |`);
  }
}

console.log(`ResNet-50-sized group knapsack, step g = ${step}, resolution ${resolution} cost units, median of ${repeat} runs after one warm-up (Node ${process.version})`);
console.log('');
console.log('| groups | n | items | budget (% of full, ms) | GroupKnapsack ms | kept ch. | its true ms | solveLatencyKnapsack ms | rounds | kept ch. | predicted ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log('');
console.log('"its true ms": the DP alone prices each group with its neighbours at full width, so its pick overshoots when neighbours shrink too;');
console.log('solveLatencyKnapsack re-linearises around its own picks and only returns picks within the budget.');
console.log(`command: node bench/dist/knapsack-speed.js --resolution ${resolution} --step ${step} --repeat ${repeat}`);
