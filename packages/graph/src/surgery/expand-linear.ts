import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ModelGraph } from '../graph/model-graph.js';
import type { LinearPart } from '../layers/expansion/linear-expansion.js';
import { LayerOperations } from '../layers/layer-operations.js';
import type { LayerEntryJson } from '../topology/keras-json.js';
import { blockPartNames, HEAD_SUFFIX, MIXER_SUFFIX, type ExpandedBlock } from './expanded-block.js';
import { liveWeights, type NamedTensor } from './model-rebuild.js';
import { rebuildAfterEdit } from './surgery-build.js';

/** Which layers `expandLinear` expands, and how. */
export interface ExpandLinearOptions {
  /** Layer names (exact) or patterns; default: every layer whose class expands exactly and that is called once. */
  readonly layers?: readonly (string | RegExp)[];
  /** E = ceil(ratio · outputs). Default 2. */
  readonly ratio?: number;
  /** Extra E→E mixing layers per block. Default 0. */
  readonly depth?: number;
  /** Seed of the extra filters. Default 0. */
  readonly seed?: number;
  /** Extra filters start as Kaiming normal × initScale. Default 0.01. */
  readonly initScale?: number;
}

/** A layer `expandLinear` considered and left as it is, and why. */
export interface SkippedLayer {
  readonly layer: string;
  readonly className: string;
  readonly reason: string;
}

export interface LinearExpansionResult {
  readonly model: tf.LayersModel;
  readonly blocks: readonly ExpandedBlock[];
  /** Layers with weights that were not expanded (by default: every one whose class cannot be, with the reason). */
  readonly skipped: readonly SkippedLayer[];
}

function matches(name: string, selectors: readonly (string | RegExp)[]): boolean {
  return selectors.some((s) => (typeof s === 'string' ? s === name : s.test(name)));
}

/**
 * A new model in which each selected layer is replaced by a linear chain with exactly the same output
 * (see `LinearExpansion`): `conv` becomes `conv__overparam_head` (same class, kernel, stride,
 * padding, dilation, E filters, no activation), `conv__overparam_mix1…d` (1×1 E→E, identity) and
 * `conv` (1×1 E→outputs, `[I | 0]`, the layer's activation). A BatchNormalization after the layer
 * stays after the block. `mergeLinear` collapses the blocks back. The caller's model is not touched.
 *
 * ```ts
 * const { model: wide, blocks } = await expandLinear(pruned, { ratio: 4 });
 * // … train `wide` …
 * const { model: merged } = await mergeLinear(wide); // pruned's architecture, trained weights
 * ```
 */
export async function expandLinear(model: tf.LayersModel, options: ExpandLinearOptions = {}, ops: LayerOperations = LayerOperations.builtIn): Promise<LinearExpansionResult> {
  const ratio = options.ratio ?? 2;
  const depth = options.depth ?? 0;
  const seed = options.seed ?? 0;
  const initScale = options.initScale ?? 0.01;
  if (!(Number.isFinite(ratio) && ratio >= 1)) throw inputError('EXPANSION_OPTIONS_INVALID', `expansion ratio ${ratio} is not a number ≥ 1`, 'Use a ratio such as 2 or 4 (E = ratio × outputs).');
  if (!(Number.isInteger(depth) && depth >= 0)) throw inputError('EXPANSION_OPTIONS_INVALID', `expansion depth ${depth} is not a non-negative integer`, 'Use 0 (head and output layer only) or a small count of extra 1×1 layers.');
  if (!(Number.isFinite(initScale) && initScale >= 0)) throw inputError('EXPANSION_OPTIONS_INVALID', `initScale ${initScale} is not a non-negative number`, 'Use a small scale such as 0.01.');
  const graph = ModelGraph.fromModel(model);
  const document = graph.document.clone();
  const selectors = options.layers;
  for (const selector of selectors ?? []) {
    const found = document.layers.some((e) => matches(e.name, [selector]));
    if (!found) throw inputError('EXPANSION_LAYER_UNKNOWN', `layer selector ${String(selector)} matches no layer of model "${document.name}"`, `Name layers of the model, e.g. ${document.layers.slice(1, 4).map((e) => `"${e.name}"`).join(', ')}.`);
  }
  const blocks: ExpandedBlock[] = [];
  const skipped: SkippedLayer[] = [];
  const extra: NamedTensor[] = [];
  const owned: tf.Tensor[] = [];
  try {
    for (const entry of [...document.layers]) {
      const chosen = selectors === undefined || matches(entry.name, selectors);
      if (!chosen || entry.class_name === 'InputLayer') continue;
      const reason = document.entry(`${entry.name}${HEAD_SUFFIX}`) !== undefined ? 'it is already expanded' : refusal(entry, document.callCount(entry), ops);
      if (reason !== undefined) {
        const weights = liveWeights(model, entry.name);
        if (selectors !== undefined && selectors.some((s) => s === entry.name)) {
          throw inputError('EXPANSION_LAYER_REFUSED', `layer "${entry.name}" (${entry.class_name}) cannot be expanded exactly: ${reason}`, 'Leave it out of "layers".');
        }
        if (weights.length > 0) skipped.push({ layer: entry.name, className: entry.class_name, reason });
        continue;
      }
      const expansion = ops.get(entry.class_name)!.linearExpansion!;
      const outputs = expansion.outputs(entry.config);
      const width = Math.max(outputs, Math.ceil(ratio * outputs - 1e-9));
      const names = blockPartNames(entry.name, depth);
      for (const name of names.slice(0, -1)) {
        if (document.entry(name) !== undefined) throw inputError('LAYER_NAME_TAKEN', `expanding "${entry.name}" needs the name "${name}", which model "${document.name}" already uses`, 'Rename that layer.');
      }
      const layer: LinearPart = {
        className: entry.class_name,
        config: entry.config,
        weights: Object.fromEntries(liveWeights(model, entry.name).map((w) => [shortName(w.name), w.value])),
      };
      const parts = expansion.expand(layer, { width, depth, seed: seed + blocks.length, initScale }, names);
      for (const part of parts) {
        for (const [short, tensor] of Object.entries(part.weights)) {
          owned.push(tensor);
          extra.push({ name: `${String(part.config['name'])}/${short}`, tensor });
        }
      }
      spliceChain(document.layers, entry, parts);
      blocks.push({ layer: entry.name, className: entry.class_name, parts: names, width });
    }
    const replaced = new Set(blocks.flatMap((b) => b.parts));
    const expanded = await rebuildAfterEdit(model, document, extra, replaced, 'expandLinear');
    return { model: expanded, blocks, skipped };
  } finally {
    for (const tensor of owned) tensor.dispose();
  }
}

/** Why an entry cannot be expanded (undefined: it can). */
function refusal(entry: LayerEntryJson, calls: number, ops: LayerOperations): string | undefined {
  const expansion = ops.get(entry.class_name)?.linearExpansion;
  if (expansion === undefined) return `no exact linear expansion is known for class ${entry.class_name}`;
  if (entry.name.includes(HEAD_SUFFIX) || entry.name.includes(MIXER_SUFFIX)) return 'it is already part of an expanded block';
  if (calls !== 1) return `it is called ${calls} times (a shared layer)`;
  return expansion.refusal(entry.config);
}

/** The weight's name after the last `/` (`conv/kernel` → `kernel`). */
export function shortName(weightName: string): string {
  return weightName.slice(weightName.lastIndexOf('/') + 1);
}

/** Puts the chain in place of `entry`: the head reads what it read, each part reads the one before, the last keeps its name. */
function spliceChain(layers: LayerEntryJson[], entry: LayerEntryJson, parts: readonly LinearPart[]): void {
  const at = layers.indexOf(entry);
  const chain: LayerEntryJson[] = parts.map((part, i) => ({
    name: String(part.config['name']),
    class_name: part.className,
    config: part.config,
    inbound_nodes: i === 0 ? entry.inbound_nodes : [[[String(parts[i - 1]!.config['name']), 0, 0, {}]]],
  }));
  layers.splice(at, 1, ...chain);
}
