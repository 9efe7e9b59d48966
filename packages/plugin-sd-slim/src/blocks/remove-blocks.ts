import type * as tf from '@tensorflow/tfjs';
import { bypassBlock, ModelGraph, type BlockBounds, type TensorRef } from '@whittle/graph';
import { stageBoundaries } from './stage-boundaries.js';

/** A model with blocks bypassed and the layers the removal changed the inputs of. */
export interface BlockRemoval {
  readonly model: tf.LayersModel;
  /** The blocks removed, with `from` updated where an earlier removal took the original `from` away. */
  readonly removed: readonly BlockBounds[];
}

/**
 * Bypasses `blocks` one after the other (`bypassBlock`); a block whose `from` was the merge of an
 * already removed block — in this call or in `removedBefore`, the blocks earlier removals (stages)
 * took out of `model` — starts from that block's `from` instead (following chains of removed merges).
 * Intermediate models are disposed; the result is a new model (the caller's `model` is left as it was).
 *
 * ```ts
 * const first = await removeBlocks(unet, [{ from: 'mid_attn_self_add', to: 'mid_attn_cross_add' }]);
 * // 'mid_attn_cross_add' is gone: this block starts from 'mid_attn_self_add' now
 * const second = await removeBlocks(first.model, [{ from: 'mid_attn_cross_add', to: 'mid_res1_add' }], first.removed);
 * ```
 */
export async function removeBlocks(model: tf.LayersModel, blocks: readonly BlockBounds[], removedBefore: readonly BlockBounds[] = []): Promise<BlockRemoval> {
  let current = model;
  const removed: BlockBounds[] = [];
  const replacedBy = new Map<string, string>(removedBefore.map((b) => [b.to, b.from]));
  try {
    for (const block of blocks) {
      let from = block.from;
      while (replacedBy.has(from)) from = replacedBy.get(from) as string;
      const bounds = { from, to: block.to };
      const next = await bypassBlock(current, bounds);
      if (current !== model) current.dispose();
      current = next;
      replacedBy.set(block.to, from);
      removed.push(bounds);
    }
    return { model: current, removed };
  } catch (error) {
    if (current !== model) current.dispose();
    throw error;
  }
}

/**
 * Deep Incubation's module around a removed block, in the slim model: the U-Net stage that held it —
 * the layers between the stage boundary before the removed block's input `from` and the one after
 * it (boundaries: tensors read by skip concatenations, upsamplings and downsampling convolutions;
 * `from` itself belongs to the stage unless it is a boundary that also starts the next stage).
 * Backwards it follows only inputs with `from`'s spatial size, so the shared time and class
 * embeddings stay out. Layer names, in graph order.
 *
 * ```ts
 * incubationModule(slim, 'mid_attn_cross_add'); // the middle stage: mid_res0_*, mid_attn_* …
 * ```
 */
export function incubationModule(model: tf.LayersModel, from: string): string[] {
  const graph = ModelGraph.fromModel(model);
  const boundaries = stageBoundaries(graph);
  const boundaryConsumers = new Set(boundaries.map((b) => b.consumer));
  const key = (ref: TensorRef) => `${ref.layer}#${ref.node}#${ref.tensor}`;
  const boundaryTensors = new Set(boundaries.map((b) => key(b.ref)));
  const found = new Set<string>();
  const start = graph.layer(from).nodes.map((n) => ({ layer: from, node: n.node, tensor: 0 }));
  const spatial = (ref: TensorRef) => JSON.stringify(graph.shape(ref).slice(1, 3));
  const size = start[0] === undefined ? '' : spatial(start[0]);
  // `from` ends its stage when only boundaries read it (the removed block was the stage's last):
  // then the stage is what lies before it; when it starts one (non-boundary readers too), what follows.
  const endsStage = start.every((ref) => graph.consumers(ref).every((c) => boundaryConsumers.has(c.layer)));
  const backward: TensorRef[] = start.filter((ref) => endsStage || !boundaryTensors.has(key(ref)));
  if (backward.length > 0) found.add(from);
  while (backward.length > 0) {
    const ref = backward.pop() as TensorRef;
    const node = graph.layer(ref.layer).nodes[ref.node];
    for (const input of node?.inputs ?? []) {
      const layer = graph.layer(input.layer);
      if (layer.className === 'InputLayer' || boundaryTensors.has(key(input)) || spatial(input) !== size || found.has(input.layer)) continue;
      found.add(input.layer);
      backward.push(input);
    }
  }
  const forward: TensorRef[] = [...start];
  while (forward.length > 0) {
    const ref = forward.pop() as TensorRef;
    for (const consumer of graph.consumers(ref)) {
      if (boundaryConsumers.has(consumer.layer) || found.has(consumer.layer)) continue;
      found.add(consumer.layer);
      consumer.outputShapes.forEach((_, tensor) => forward.push({ layer: consumer.layer, node: consumer.node, tensor }));
    }
  }
  return graph.nodes.map((n) => n.layer).filter((name, i, all) => found.has(name) && all.indexOf(name) === i);
}

/**
 * The layers of a block's branch in `model` (computed from `from`, feeding the merge `to`, `from`
 * and `to` excluded), in graph order: what removing the block deletes.
 *
 * ```ts
 * branchLayers(unet, { from: 'mid_attn_cross_add', to: 'mid_res1_add' }); // ['mid_res1_norm1', 'mid_res1_act1', 'mid_res1_conv1', …]
 * ```
 */
export function branchLayers(model: tf.LayersModel, block: BlockBounds): string[] {
  const graph = ModelGraph.fromModel(model);
  const inBranch = new Set<string>();
  const reaches = new Map<string, boolean>();
  const fromSource = (layer: string): boolean => {
    if (layer === block.from) return true;
    const known = reaches.get(layer);
    if (known !== undefined) return known;
    reaches.set(layer, false);
    const value = graph.layer(layer).nodes.some((n) => n.inputs.some((r) => fromSource(r.layer)));
    reaches.set(layer, value);
    return value;
  };
  const stack = [...(graph.layer(block.to).nodes[0]?.inputs ?? [])].map((r) => r.layer);
  while (stack.length > 0) {
    const layer = stack.pop() as string;
    if (layer === block.from || inBranch.has(layer) || !fromSource(layer)) continue;
    inBranch.add(layer);
    for (const node of graph.layer(layer).nodes) stack.push(...node.inputs.map((r) => r.layer));
  }
  return graph.nodes.map((n) => n.layer).filter((name, i, all) => inBranch.has(name) && all.indexOf(name) === i);
}
