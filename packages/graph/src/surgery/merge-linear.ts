import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ModelGraph } from '../graph/model-graph.js';
import type { LinearPart } from '../layers/expansion/linear-expansion.js';
import { LayerOperations } from '../layers/layer-operations.js';
import type { LayerEntryJson } from '../topology/keras-json.js';
import type { TopologyDocument } from '../topology/topology-document.js';
import { shortName } from './expand-linear.js';
import { HEAD_SUFFIX, MIXER_SUFFIX, type ExpandedBlock } from './expanded-block.js';
import { liveWeights, type NamedTensor } from './model-rebuild.js';
import { rebuildAfterEdit } from './surgery-build.js';

/** The blocks of an expanded model, found by their names (`<layer>__overparam_head`, `…_mix<k>`, `<layer>`). */
export function expandedBlocks(model: tf.LayersModel): ExpandedBlock[] {
  return findBlocks(ModelGraph.fromModel(model).document).map(({ block }) => block);
}

interface FoundBlock {
  readonly block: ExpandedBlock;
  readonly entries: readonly LayerEntryJson[];
}

function findBlocks(document: TopologyDocument): FoundBlock[] {
  const found: FoundBlock[] = [];
  for (const head of document.layers) {
    if (!head.name.endsWith(HEAD_SUFFIX)) continue;
    const layer = head.name.slice(0, -HEAD_SUFFIX.length);
    const entries: LayerEntryJson[] = [head];
    for (let k = 1; document.entry(`${layer}${MIXER_SUFFIX}${k}`) !== undefined; k++) entries.push(document.entry(`${layer}${MIXER_SUFFIX}${k}`)!);
    const out = document.entry(layer);
    if (out === undefined) throw inputError('EXPANDED_BLOCK_INVALID', `expanded block "${layer}" has a head but no output layer "${layer}"`, 'Merge a model made by expandLinear.');
    entries.push(out);
    entries.forEach((entry, i) => {
      if (document.callCount(entry) !== 1) throw inputError('EXPANDED_BLOCK_INVALID', `layer "${entry.name}" of expanded block "${layer}" is called ${document.callCount(entry)} times`, 'Merge a model made by expandLinear.');
      if (i === 0) return;
      const reads = entry.inbound_nodes[0];
      const previous = entries[i - 1]!.name;
      if (reads?.length !== 1 || reads[0]?.[0] !== previous) throw inputError('EXPANDED_BLOCK_INVALID', `layer "${entry.name}" of expanded block "${layer}" does not read "${previous}" alone`, 'Merge a model made by expandLinear.');
    });
    for (const inner of entries.slice(0, -1)) {
      const readers = document.layers.filter((e) => e !== entries[entries.indexOf(inner) + 1] && e.inbound_nodes.some((call) => call.some((ref) => ref[0] === inner.name)));
      const isOutput = document.outputs.some((o) => o[0] === inner.name);
      if (readers.length > 0 || isOutput) throw inputError('EXPANDED_BLOCK_INVALID', `layer "${inner.name}" inside expanded block "${layer}" is read outside the block`, 'Merge a model made by expandLinear.');
    }
    const width = Number(head.config['filters'] ?? head.config['units']);
    found.push({ block: { layer, className: head.class_name, parts: entries.map((e) => e.name), width }, entries });
  }
  return found;
}

/**
 * A new model in which every expanded block (found by name) is collapsed into one layer of the
 * original class and config, named as before, computing what the block computes:
 * `W' = W_head · M_1 ⋯ M_d · B`, `b' = ((b_head · M_1 + b_1) ⋯) · B + b_B`. The result loads in stock
 * tfjs (no custom class). A model with no block comes back rebuilt, unchanged.
 *
 * ```ts
 * const { model: merged, blocks } = await mergeLinear(expanded);
 * ```
 */
export async function mergeLinear(model: tf.LayersModel, ops: LayerOperations = LayerOperations.builtIn): Promise<{ model: tf.LayersModel; blocks: ExpandedBlock[] }> {
  const document = ModelGraph.fromModel(model).document.clone();
  const found = findBlocks(document);
  const extra: NamedTensor[] = [];
  const owned: tf.Tensor[] = [];
  try {
    for (const { block, entries } of found) {
      const expansion = ops.get(block.className)?.linearExpansion;
      if (expansion === undefined) throw inputError('EXPANDED_BLOCK_INVALID', `expanded block "${block.layer}" has a head of class ${block.className}, which has no linear expansion`, 'Merge with the layer operations that expanded it.');
      const parts: LinearPart[] = entries.map((entry) => ({
        className: entry.class_name,
        config: entry.config,
        weights: Object.fromEntries(liveWeights(model, entry.name).map((w) => [shortName(w.name), w.value])),
      }));
      const merged = expansion.merge(parts);
      for (const [short, tensor] of Object.entries(merged.weights)) {
        owned.push(tensor);
        extra.push({ name: `${block.layer}/${short}`, tensor });
      }
      const head = entries[0]!;
      const out = entries[entries.length - 1]!;
      out.class_name = merged.className;
      out.config = merged.config;
      out.inbound_nodes = head.inbound_nodes;
      const inner = new Set(entries.slice(0, -1));
      document.layers.splice(0, document.layers.length, ...document.layers.filter((e) => !inner.has(e)));
    }
    const replaced = new Set(found.flatMap(({ block }) => block.parts));
    return { model: await rebuildAfterEdit(model, document, extra, replaced, 'mergeLinear'), blocks: found.map(({ block }) => block) };
  } finally {
    for (const tensor of owned) tensor.dispose();
  }
}
