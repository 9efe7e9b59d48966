import * as tf from '@tensorflow/tfjs';
import {
  LayerOperations, ModelGraph, type GraphNode, type OnnxAttribute, type OnnxLayout, type OnnxLoweringContext, type OnnxValue, type OnnxWeight, type TensorRef,
} from '@whittle/graph';
import { inputError, isWhittleError } from '@whittle/kernel';
import { OnnxGraphBuilder, type OnnxEndpoint } from './onnx-graph-builder.js';

/** What `exportOnnx` wrote besides the bytes. */
export interface OnnxExport {
  /** The serialised ModelProto. */
  readonly bytes: Uint8Array;
  /** Graph inputs and outputs in the model's order, their declared shapes (NHWC unless `edgeLayout` 'nchw'), batch symbolic (`null`). */
  readonly inputs: readonly OnnxEndpoint[];
  readonly outputs: readonly OnnxEndpoint[];
  /** Nodes by op type (Conv, Transpose …). */
  readonly opCounts: Readonly<Record<string, number>>;
  /** BatchNormalization calls folded into the preceding Conv/Gemm. */
  readonly foldedBatchNorms: number;
}

export interface ExportOnnxOptions {
  /** Layer operations to lower with (default: the built-ins; add those plugins register for custom layers). */
  readonly ops?: LayerOperations;
  /**
   * The order of rank-4 graph inputs and outputs: 'nhwc' (default, tfjs's: one Transpose at each
   * edge) or 'nchw' (none: for callers that feed channels-first data, such as per-layer latency
   * measurement). `inputs`/`outputs` give the declared shapes.
   */
  readonly edgeLayout?: 'nhwc' | 'nchw';
}

interface Foldable {
  readonly kernel: string;
  readonly bias: string;
}

function refKey(ref: TensorRef): string {
  return `${ref.layer}#${ref.node}#${ref.tensor}`;
}

const TO_CHANNELS_FIRST = [0, 3, 1, 2];
const TO_NATIVE = [0, 2, 3, 1];

/** Float32 values of every weight of every layer, by layer name and short weight name. */
async function readWeights(model: tf.LayersModel): Promise<Map<string, Map<string, OnnxWeight>>> {
  const byLayer = new Map<string, Map<string, OnnxWeight>>();
  for (const layer of model.layers) {
    const weights = new Map<string, OnnxWeight>();
    for (const w of layer.weights) {
      const value = w.read();
      if (value.dtype !== 'float32') {
        throw inputError('ONNX_UNSUPPORTED_LAYER', `layer "${layer.name}" (${layer.getClassName()}): weight "${w.originalName}" is ${value.dtype}, not float32`, 'Export float32 models.');
      }
      const short = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      weights.set(short, { values: (await value.data()) as Float32Array, shape: value.shape });
    }
    byLayer.set(layer.name, weights);
  }
  return byLayer;
}

/** A name fit for an ONNX value: the layer's name as tfjs has it (ONNX allows any string; '/' and ':' kept readable). */
function hintOf(layer: string, what: string): string {
  return `${layer}/${what}`;
}

/**
 * Exports a tf.LayersModel to ONNX (opset 17, IR 8) through each layer class's `onnx` lowering in
 * `options.ops` (the graph package's layer operations). Layout: NCHW inside, because ONNX Runtime's
 * Conv and pooling kernels are NCHW (an NHWC graph would need a Transpose around every one of
 * them); the graph's inputs and outputs stay in tfjs's NHWC order with one Transpose at each edge,
 * and Flatten/Reshape/Dense read native order so their element order is tfjs's. Inputs have a
 * symbolic `batch` dimension. BatchNormalization is folded into the Conv/Gemm before it where
 * that conv's output has no other reader. Dropout and the like are dropped.
 *
 * A layer whose class has no lowering is refused with an input error naming the layer and its
 * class (`ONNX_UNSUPPORTED_LAYER`); a model that is not a LayersModel with `GRAPH_NOT_A_LAYERS_MODEL`.
 *
 * ```ts
 * const { bytes } = await exportOnnx(model);
 * await writeFile('model.onnx', bytes);
 * ```
 */
export async function exportOnnx(model: tf.LayersModel, options: ExportOnnxOptions = {}): Promise<OnnxExport> {
  const ops = options.ops ?? LayerOperations.builtIn;
  const graph = ModelGraph.fromModel(model);
  for (const node of graph.nodes) {
    if (node.className === 'InputLayer') continue;
    if (ops.get(node.className)?.onnx === undefined) {
      const known = ops.has(node.className);
      throw inputError('ONNX_UNSUPPORTED_LAYER', `layer "${node.layer}" (${node.className}) has no ONNX lowering${known ? '' : ': its class is not a known layer operation'}`,
        node.className === 'Sequential' || node.className === 'Functional' || node.className === 'Model'
          ? 'Flatten nested models into one functional model before exporting.'
          : 'Remove or replace the layer, or register a layer operation with an `onnx` lowering for its class (a plugin manifest\'s `layers`).');
    }
  }
  const weights = await readWeights(model);
  const builder = new OnnxGraphBuilder(model.name);
  const values = new Map<string, OnnxValue>();
  /** The refs each ONNX value stands for (an identity layer's output is its input's value). */
  const refsOfName = new Map<string, TensorRef[]>();
  const foldables = new Map<string, Foldable>();
  const toChannelsFirst = new Map<string, string>();
  const toNative = new Map<string, string>();
  let foldedBatchNorms = 0;

  const channelsFirstEdges = options.edgeLayout === 'nchw';
  const edgeShape = (shape: readonly (number | null)[]): readonly (number | null)[] =>
    channelsFirstEdges && shape.length === 4 ? [shape[0] ?? null, shape[3] ?? null, shape[1] ?? null, shape[2] ?? null] : shape;
  const inputs: OnnxEndpoint[] = graph.inputs.map((ref) => {
    const shape = graph.shape(ref);
    const name = builder.uniqueName(ref.layer);
    values.set(refKey(ref), { name, layout: channelsFirstEdges && shape.length === 4 ? 'channels-first' : 'native' });
    refsOfName.set(name, [ref]);
    return { name, shape: edgeShape(shape) };
  });
  // Output names are the output layers' names; reserve them before any node takes them.
  const outputNames = graph.outputs.map((ref) => builder.uniqueName(graph.outputs.filter((o) => o.layer === ref.layer).length > 1 ? `${ref.layer}_${ref.tensor}` : ref.layer));

  const transpose = (name: string, perm: readonly number[], back: Map<string, string>, cache: Map<string, string>): string => {
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const out = builder.node('Transpose', [name], { perm: { ints: perm } }, `${name}/transpose`);
    cache.set(name, out);
    back.set(out, name);
    return out;
  };

  for (const node of graph.nodes) {
    if (node.className === 'InputLayer') continue;
    const entry = graph.layer(node.layer);
    const lowering = ops.get(node.className)?.onnx;
    if (lowering === undefined) continue;
    const inputValues = node.inputs.map((ref) => values.get(refKey(ref)) as OnnxValue);
    const layerWeights = weights.get(node.layer) ?? new Map<string, OnnxWeight>();
    const fail = (reason: string): never => {
      throw inputError('ONNX_UNSUPPORTED_LAYER', `layer "${node.layer}" (${node.className}) cannot be exported to ONNX: ${reason}`, 'Change the layer, or register an `onnx` lowering that handles it.');
    };
    const context: OnnxLoweringContext = {
      layer: node.layer,
      className: node.className,
      config: entry.config,
      inputShapes: node.inputShapes,
      outputShapes: node.outputShapes,
      inputs: inputValues,
      input(index: number, layout: OnnxLayout): string {
        const value = inputValues[index];
        if (value === undefined) return fail(`it has no input ${index}`);
        const rank = node.inputShapes[index]?.length ?? 0;
        if (rank !== 4 || value.layout === layout) return value.name;
        return layout === 'channels-first' ? transpose(value.name, TO_CHANNELS_FIRST, toNative, toChannelsFirst) : transpose(value.name, TO_NATIVE, toChannelsFirst, toNative);
      },
      weight(shortName: string): OnnxWeight {
        const found = layerWeights.get(shortName);
        if (found === undefined) return fail(`it has no weight "${shortName}" (it has: ${[...layerWeights.keys()].join(', ') || 'none'})`);
        return found;
      },
      hasWeight: (shortName: string) => layerWeights.has(shortName),
      floatInitializer: (v: Float32Array | readonly number[], dims: readonly number[], hint = 'const') =>
        // A copy: folding rescales initializers in place, and the weights read may be the backend's own buffers.
        builder.floatInitializer(hintOf(node.layer, hint), Float32Array.from(v), dims),
      intInitializer: (v: readonly number[], dims?: readonly number[], hint = 'const') => builder.intInitializer(hintOf(node.layer, hint), v, dims ?? [v.length]),
      node: (opType: string, nodeInputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}) =>
        builder.node(opType, nodeInputs, attributes, hintOf(node.layer, opType)),
      foldable(output: string, kernel: string, bias: string): void {
        foldables.set(output, { kernel, bias });
      },
      foldScaleShift(index: number, scale: Float32Array, shift: Float32Array): OnnxValue | undefined {
        const value = inputValues[index];
        const ref = node.inputs[index];
        if (value === undefined || ref === undefined) return undefined;
        const target = foldables.get(value.name);
        if (target === undefined || readersOf(graph, refsOfName.get(value.name) ?? []) !== 1) return undefined;
        const kernel = builder.float(target.kernel);
        const bias = builder.float(target.bias);
        if (kernel === undefined || bias === undefined || bias.values.length !== scale.length || kernel.dims[0] !== scale.length) return undefined;
        const row = kernel.values.length / scale.length;
        for (let c = 0; c < scale.length; c++) {
          const s = scale[c] as number;
          for (let i = c * row; i < (c + 1) * row; i++) kernel.values[i] = (kernel.values[i] as number) * s;
          bias.values[c] = (bias.values[c] as number) * s + (shift[c] as number);
        }
        foldedBatchNorms++;
        return value;
      },
      unsupported: fail,
    };
    const outputs = lowerCall(lowering.lower.bind(lowering), context, node);
    outputs.forEach((value, tensor) => {
      const ref = { layer: node.layer, node: node.node, tensor };
      values.set(refKey(ref), value);
      refsOfName.set(value.name, [...(refsOfName.get(value.name) ?? []), ref]);
    });
  }

  const outputs: OnnxEndpoint[] = graph.outputs.map((ref, i) => {
    const value = values.get(refKey(ref)) as OnnxValue;
    const shape = graph.shape(ref);
    const wanted: OnnxLayout = channelsFirstEdges && shape.length === 4 ? 'channels-first' : 'native';
    let edge = value.name;
    if (shape.length === 4 && value.layout !== wanted) {
      edge = wanted === 'native' ? transpose(value.name, TO_NATIVE, toChannelsFirst, toNative) : transpose(value.name, TO_CHANNELS_FIRST, toNative, toChannelsFirst);
    }
    const name = outputNames[i] as string;
    builder.node('Identity', [edge], {}, name, name);
    return { name, shape: edgeShape(shape) };
  });
  return { bytes: builder.toBytes(inputs, outputs), inputs, outputs, opCounts: builder.opCounts(), foldedBatchNorms };
}

/**
 * Readers of one ONNX value: the calls reading any of the refs it stands for, plus model outputs,
 * less the calls that passed it on unchanged (each later ref was made by one of them).
 */
function readersOf(graph: ModelGraph, refs: readonly TensorRef[]): number {
  let readers = 0;
  for (const ref of refs) readers += graph.consumers(ref).length + (graph.isModelOutput(ref) ? 1 : 0);
  return readers - (refs.length - 1);
}

/** Runs one lowering; errors that are not Whittle's are wrapped with the layer's name and class. */
function lowerCall(lower: (ctx: OnnxLoweringContext) => readonly OnnxValue[], context: OnnxLoweringContext, node: GraphNode): readonly OnnxValue[] {
  let outputs: readonly OnnxValue[];
  try {
    outputs = lower(context);
  } catch (error) {
    if (isWhittleError(error)) throw error;
    throw inputError('ONNX_LOWERING_FAILED', `layer "${node.layer}" (${node.className}): its ONNX lowering failed: ${(error as Error).message}`, 'Check the layer\'s config and weights, or the lowering registered for its class.', error);
  }
  if (outputs.length !== node.outputShapes.length) {
    throw inputError('ONNX_LOWERING_FAILED', `layer "${node.layer}" (${node.className}): its ONNX lowering gave ${outputs.length} outputs for ${node.outputShapes.length}`, 'Return one value per layer output.');
  }
  return outputs;
}
