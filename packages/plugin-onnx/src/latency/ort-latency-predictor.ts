import type * as tf from '@tensorflow/tfjs';
import {
  candidateWidths, dependencyGroups, fitLatency, latencySites, ModelGraph, pruneToWidths, sameWidths, sideWidth, signatureKey, uniformWidths, WEIGHTED_OPS,
  type FitPoint, type GroupWidths, type LatencySite,
} from '@whittle/graph';
import { inputError, SeededRng, silentLogger, type Logger } from '@whittle/kernel';
import { exportOnnx } from '../export/export-onnx.js';
import { randomFeeds } from '../runtime/ort-model.js';
import { profileNodes } from '../runtime/ort-profile.js';
import { OrtSession } from '../runtime/ort-session.js';
import { timeOrtSession } from '../runtime/ort-timing.js';
import { leastSquares } from './least-squares.js';

export interface OrtPredictorOptions {
  readonly batchSize?: number;
  /** Channel step g: sampled widths are multiples of it (and full). Default 8. */
  readonly step?: number;
  /** Untimed runs per model. Default 5. */
  readonly warmup?: number;
  /** Profiled runs per model, and timed runs per whole-model window (medians). Default 30. */
  readonly runs?: number;
  /** Models with seeded random group widths profiled besides the full and uniformly pruned ones. Default 12. */
  readonly randomModels?: number;
  /** Uniform fractions profiled besides the full model. Default [0.75, 0.5, 0.25]. */
  readonly fitFractions?: readonly number[];
  /** ORT intra-op threads. Default 1. */
  readonly intraOpThreads?: number;
  /** Seed of the random widths. Default 1. */
  readonly seed?: number;
  readonly logger?: Logger;
}

/**
 * One entry of the table: a layer call of the model and the ORT nodes whose kernel time it carries
 * (its own, and those of the BatchNorms, activations, Adds ORT fused into it or that pass its
 * channels on), as `ms ≈ Σ coefficients · features(cin, cout)`.
 */
export interface OrtTableEntry {
  /** The site id (layer, or `layer#call`), or `(other)` for nodes no layer call explains (edge transposes, layout reorders). */
  readonly site: string;
  /** The site's signature at full width (for reading the table; `(other)`: none). */
  readonly signature: string | null;
  /** Feature names: `1`, `cin·cout`, `cin`, `cout`. */
  readonly features: readonly string[];
  readonly coefficients: readonly number[];
  /** Kernel ms measured at full width. */
  readonly fullMs: number;
}

const OTHER = '(other)';
/** Sites that anchor the ORT nodes named after them (weighted layers and passthrough ops that stay nodes of their own). */
const ANCHOR_OPS = new Set<string>([...WEIGHTED_OPS, 'merge', 'max-pool', 'avg-pool', 'global-avg-pool', 'global-max-pool', 'zero-pad']);

interface Settings {
  readonly batchSize: number;
  readonly step: number;
  readonly warmup: number;
  readonly runs: number;
  readonly randomModels: number;
  readonly fitFractions: readonly number[];
  readonly intraOpThreads: number;
  readonly seed: number;
}

function settingsOf(options: OrtPredictorOptions): Settings {
  const int = (name: keyof OrtPredictorOptions, value: number, min: number): number => {
    if (!Number.isInteger(value) || value < min) throw inputError('BAD_LATENCY_OPTION', `onnxruntime latency option ${name} must be an integer ≥ ${min}, got ${String(value)}`, `Set ${name} to e.g. ${Math.max(min, 8)}.`);
    return value;
  };
  const fitFractions = options.fitFractions ?? [0.75, 0.5, 0.25];
  if (fitFractions.some((f) => !(f > 0 && f < 1))) throw inputError('BAD_LATENCY_OPTION', `fitFractions must be in (0, 1), got ${JSON.stringify(fitFractions)}`, 'Give e.g. [0.75, 0.5, 0.25].');
  return {
    batchSize: int('batchSize', options.batchSize ?? 1, 1), step: int('step', options.step ?? 8, 1), warmup: int('warmup', options.warmup ?? 5, 0),
    runs: int('runs', options.runs ?? 30, 3), randomModels: int('randomModels', options.randomModels ?? 12, 0), fitFractions,
    intraOpThreads: int('intraOpThreads', options.intraOpThreads ?? 1, 1), seed: int('seed', options.seed ?? 1, 0),
  };
}

/** The features a site's kernel time is linear in: weighted layers with their own cout `[1, cin·cout, cin, cout]`; depthwise and passthrough ops `[1, cin]`. */
function featureNames(site: LatencySite | undefined): string[] {
  if (site === undefined) return ['1'];
  return site.signature.op === 'depthwise' || !(WEIGHTED_OPS as readonly string[]).includes(site.signature.op) ? ['1', 'cin'] : ['1', 'cin·cout', 'cin', 'cout'];
}

function featureValues(site: LatencySite | undefined, widths: GroupWidths): number[] {
  if (site === undefined) return [1];
  const cin = sideWidth(site.cin, widths);
  if (featureNames(site).length === 2) return [1, cin];
  const cout = sideWidth(site.cout, widths);
  return [1, cin * cout, cin, cout];
}

/**
 * Which site each layer's ORT nodes are charged to: a weighted layer or a passthrough op that stays
 * a node (merge, pooling, padding) is its own anchor; BatchNorms, activations, Flatten, Dropout,
 * Concatenate … are charged to the anchor of their first input (ORT fuses BN and activations into
 * the conv before them, and their cost follows its channels); model inputs to `(other)`.
 */
function anchorsOf(model: tf.LayersModel, sites: readonly LatencySite[]): Map<string, string> {
  const graph = ModelGraph.fromModel(model);
  const siteOfLayer = new Map<string, LatencySite>();
  for (const site of sites) if (!siteOfLayer.has(site.layer)) siteOfLayer.set(site.layer, site);
  const anchors = new Map<string, string>();
  for (const node of graph.nodes) {
    if (anchors.has(node.layer)) continue;
    const own = siteOfLayer.get(node.layer);
    if (own !== undefined && ANCHOR_OPS.has(own.signature.op)) {
      anchors.set(node.layer, own.id);
      continue;
    }
    const first = node.inputs[0];
    anchors.set(node.layer, first === undefined ? OTHER : (anchors.get(first.layer) ?? OTHER));
  }
  return anchors;
}

/** The layer an ORT node was lowered from: the longest layer name the node's name starts with (`conv1/Conv_nchwc` → `conv1`), else none. */
function layerOfNode(node: string, layersLongestFirst: readonly string[]): string | undefined {
  return layersLongestFirst.find((layer) => node === layer || node.startsWith(`${layer}/`));
}

/**
 * Predicts a model's ONNX Runtime latency from its group widths with a per-layer table measured in
 * ORT, in context: the exported model is profiled (ORT's own per-node kernel times) at full
 * width, pruned uniformly to `fitFractions` and at `randomModels` seeded random widths (multiples
 * of the step). Each ORT node is charged to a layer call (a Conv with its folded BN, fused
 * activation and Add is one node), and each layer call's kernel time is fitted by least squares
 * as linear in `cin·cout`, `cin`, `cout` (weighted layers) or `cin` (depthwise, passthrough ops)
 * — the entries of the table. Then `measured ≈ scale × Σ table + constant` is fitted over every
 * profiled model's whole-model latency timed without the profiler (per-run overhead, edge
 * transposes, profiler cost).
 *
 * Why in context and not each layer alone: ORT fuses BN, activations and residual Adds into the
 * convolutions and runs them in its blocked NCHWc layout, inserting reorders only at the edges of
 * the graph; a layer exported and timed alone pays its own reorders and per-run overhead, and
 * such a table summed predicted ResNet-20 at random widths 10–30 % off (measured here).
 *
 * ```ts
 * const predictor = await OrtLatencyPredictor.build(model, { batchSize: 1, step: 8 });
 * predictor.predict(new Map([['stem_conv', 8]])); // ms in ORT
 * ```
 */
export class OrtLatencyPredictor {
  private constructor(
    /** The table: one entry per anchor site, plus `(other)`. */
    readonly entries: readonly OrtTableEntry[],
    private readonly siteOfEntry: ReadonlyMap<string, LatencySite | undefined>,
    readonly scale: number,
    readonly constantMs: number,
    /** Every profiled model: its table sum and its whole-model latency (ms). The first is the unpruned model. */
    readonly fitPoints: readonly FitPoint[],
    readonly groupChannels: ReadonlyMap<string, number>,
  ) {}

  static async build(model: tf.LayersModel, options: OrtPredictorOptions = {}): Promise<OrtLatencyPredictor> {
    const settings = settingsOf(options);
    const logger = options.logger ?? silentLogger;
    const groups = dependencyGroups(model);
    const sites = latencySites(model, groups, { backend: 'onnxruntime', adapter: null, batch: settings.batchSize });
    const siteById = new Map(sites.map((s) => [s.id, s]));
    const anchors = anchorsOf(model, sites);
    const layersLongestFirst = [...anchors.keys()].sort((a, b) => b.length - a.length);
    const prunable = groups.filter((g) => g.prunable).map((g) => ({ id: g.id, channels: g.channels, widths: candidateWidths(g.channels, settings.step) }));

    const samples: { fraction: number; widths: Map<string, number> }[] = [{ fraction: 1, widths: new Map(prunable.map((g) => [g.id, g.channels])) }];
    const add = (fraction: number, widths: Map<string, number>): void => {
      if (!samples.some((s) => sameWidths(s.widths, widths))) samples.push({ fraction, widths });
    };
    for (const fraction of settings.fitFractions) add(fraction, uniformWidths(prunable, fraction));
    const rng = SeededRng.from(settings.seed, 'onnxruntime-latency-widths');
    for (let i = 0; i < settings.randomModels; i++) add(Number.NaN, new Map(prunable.map((g) => [g.id, g.widths[rng.int(g.widths.length)] as number])));
    logger.info(`  onnxruntime latency table: profiling ${samples.length} models (full, ${settings.fitFractions.length} uniform, ${settings.randomModels} random widths) at batch ${settings.batchSize}, ${settings.intraOpThreads} thread(s)`);

    const kernelMs: Map<string, number>[] = [];
    const modelMs: number[] = [];
    for (const sample of samples) {
      const pruned = sample.fraction === 1 ? model : await pruneToWidths(model, sample.widths);
      try {
        const exported = await exportOnnx(pruned);
        const feeds = randomFeeds(exported, settings.batchSize);
        const profile = await profileNodes(exported, feeds, { warmup: settings.warmup, runs: settings.runs, intraOpThreads: settings.intraOpThreads });
        const charged = new Map<string, number>();
        for (const [node, ms] of profile.nodes) {
          const layer = layerOfNode(node, layersLongestFirst);
          const anchor = layer === undefined ? OTHER : (anchors.get(layer) ?? OTHER);
          charged.set(anchor, (charged.get(anchor) ?? 0) + ms);
        }
        kernelMs.push(charged);
        const session = await OrtSession.create(exported.bytes, exported, { intraOpThreads: settings.intraOpThreads });
        try {
          let best = Number.POSITIVE_INFINITY;
          for (let window = 0; window < 3; window++) best = Math.min(best, (await timeOrtSession(session, feeds, { warmup: window === 0 ? settings.warmup * 2 : 2, runs: settings.runs })).medianMs);
          modelMs.push(best);
        } finally {
          await session.release();
        }
      } finally {
        if (pruned !== model) pruned.dispose();
      }
    }

    const anchorIds = [...new Set(kernelMs.flatMap((k) => [...k.keys()]))];
    const entries: OrtTableEntry[] = [];
    const siteOfEntry = new Map<string, LatencySite | undefined>();
    for (const id of anchorIds) {
      const site = id === OTHER ? undefined : siteById.get(id);
      const rows = samples.map((s) => featureValues(site, s.widths));
      const coefficients = leastSquares(rows, kernelMs.map((k) => k.get(id) ?? 0));
      entries.push({ site: id, signature: site === undefined ? null : signatureKey(site.signature), features: featureNames(site), coefficients, fullMs: kernelMs[0]?.get(id) ?? 0 });
      siteOfEntry.set(id, site);
    }
    const partial = new OrtLatencyPredictor(entries, siteOfEntry, 1, 0, [], new Map(groups.map((g) => [g.id, g.channels])));
    const fitPoints: FitPoint[] = samples.map((s, i) => ({ fraction: s.fraction, tableMs: partial.tableSum(s.widths), measuredMs: modelMs[i] as number }));
    const { scale, constantMs } = fitLatency(fitPoints);
    logger.info(`  onnxruntime: model ≈ ${scale.toFixed(3)} × Σ table + ${constantMs.toFixed(3)} ms (${entries.length} entries; full width measured ${(modelMs[0] as number).toFixed(3)} ms)`);
    return new OrtLatencyPredictor(entries, siteOfEntry, scale, constantMs, fitPoints, partial.groupChannels);
  }

  /** The whole model at full width, as measured for the fit (ms). */
  get fullMeasuredMs(): number {
    return this.fitPoints[0]?.measuredMs ?? Number.NaN;
  }

  /** Σ over the table's entries at these widths (ms, before scale and constant). */
  tableSum(widths: GroupWidths): number {
    let total = 0;
    for (const entry of this.entries) {
      const features = featureValues(this.siteOfEntry.get(entry.site), widths);
      total += features.reduce((acc, f, i) => acc + f * (entry.coefficients[i] as number), 0);
    }
    return total;
  }

  /** Predicted latency (ms) with each named group at its width; groups not named keep all their channels. */
  predict(widths: GroupWidths): number {
    for (const [id, width] of widths) {
      const channels = this.groupChannels.get(id);
      if (channels === undefined) throw inputError('LATENCY_UNKNOWN_GROUP', `the profiled model has no dependency group "${id}"`, 'Use a group id from dependencyGroups(model).');
      if (!Number.isInteger(width) || width < 1 || width > channels) throw inputError('LATENCY_BAD_WIDTH', `width ${String(width)} for group "${id}" is outside 1 … ${channels}`, `Keep between 1 and ${channels} channels.`);
    }
    return this.constantMs + this.scale * this.tableSum(widths);
  }
}
