import * as tf from '@tensorflow/tfjs';
import { ModelGraph, sameShape, type TensorRef } from '@whittle/graph';

/** One feature-distillation point: the same stage boundary's tensor in the teacher and in the student. */
export interface FeaturePair {
  /** The layer that reads the boundary tensor in both models (a Concatenate, UpSampling2D or strided Conv2D). */
  readonly consumer: string;
  readonly input: number;
  readonly teacher: TensorRef;
  readonly student: TensorRef;
}

/** Whether a call reads a U-Net stage boundary: a skip concatenation, an upsampling, or a strided (downsampling) convolution. */
function isBoundaryConsumer(graph: ModelGraph, layer: string): boolean {
  const entry = graph.layer(layer);
  if (entry.className === 'Concatenate' || entry.className === 'UpSampling2D') return true;
  if (entry.className !== 'Conv2D') return false;
  const strides = entry.config['strides'];
  return Array.isArray(strides) && strides.some((s) => typeof s === 'number' && s > 1);
}

/** The stage-boundary inputs of a model: every input of each boundary consumer, in graph order, with consumer and input index. */
export function stageBoundaries(graph: ModelGraph): { consumer: string; input: number; ref: TensorRef }[] {
  const out: { consumer: string; input: number; ref: TensorRef }[] = [];
  for (const node of graph.nodes) {
    if (!isBoundaryConsumer(graph, node.layer)) continue;
    node.inputs.forEach((ref, input) => out.push({ consumer: node.layer, input, ref }));
  }
  return out;
}

/**
 * BK-SDM's feature-KD points for any two U-Nets of one family: the tensors read by each stage
 * boundary (skip concatenations, upsamplings, downsampling convolutions) that both models have,
 * paired through the consumer (same layer name, same input index, same shape) — so a boundary whose
 * block was removed in the student is matched with the removed block's output in the teacher.
 * Each student tensor appears once.
 *
 * ```ts
 * featurePairs(teacher, student); // [{ consumer: 'down0_downsample', input: 0, teacher: …, student: … }, …]
 * ```
 */
export function featurePairs(teacher: tf.LayersModel, student: tf.LayersModel): FeaturePair[] {
  const t = ModelGraph.fromModel(teacher);
  const s = ModelGraph.fromModel(student);
  const pairs: FeaturePair[] = [];
  const seen = new Set<string>();
  for (const boundary of stageBoundaries(s)) {
    if (!t.hasLayer(boundary.consumer)) continue;
    const teacherRef = t.layer(boundary.consumer).nodes[0]?.inputs[boundary.input];
    if (teacherRef === undefined || !sameShape(t.shape(teacherRef), s.shape(boundary.ref))) continue;
    const key = `${boundary.ref.layer}#${boundary.ref.node}#${boundary.ref.tensor}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push({ consumer: boundary.consumer, input: boundary.input, teacher: teacherRef, student: boundary.ref });
  }
  return pairs;
}

/** The symbolic tensor a `TensorRef` names. */
function symbolicOf(model: tf.LayersModel, ref: TensorRef): tf.SymbolicTensor {
  const out = model.getLayer(ref.layer).getOutputAt(ref.node);
  return Array.isArray(out) ? (out[ref.tensor] as tf.SymbolicTensor) : out;
}

/**
 * A model sharing `model`'s layers (no new weights) whose outputs are the model's own output(s)
 * followed by the tensors `refs` name: to read intermediate features while training. Do not
 * dispose it (that would dispose the shared layers); it holds no tensors of its own.
 *
 * ```ts
 * const [eps, ...features] = withFeatures(unet, pairs.map((p) => p.student)).apply(inputs) as tf.Tensor[];
 * ```
 */
export function withFeatures(model: tf.LayersModel, refs: readonly TensorRef[]): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: [...model.outputs, ...refs.map((ref) => symbolicOf(model, ref))], name: `${model.name}_with_features` });
}
