import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import type { LayerConfigJson, LayerEntryJson } from '../topology/keras-json.js';
import { refKey, TopologyDocument, type TensorRef } from '../topology/topology-document.js';

export type { TensorRef } from '../topology/topology-document.js';

/** A tensor shape with the batch dimension (and any other unknown one) as null. */
export type Shape = readonly (number | null)[];

/** One call of one layer: the unit the graph walks. A layer shared across inputs has several. */
export interface GraphNode {
  readonly layer: string;
  readonly className: string;
  /** Which call of the layer (0 for most layers). */
  readonly node: number;
  readonly inputs: readonly TensorRef[];
  readonly inputShapes: readonly Shape[];
  readonly outputShapes: readonly Shape[];
}

/** One layer with its config (Keras JSON, snake_case) and its calls. */
export interface GraphLayer {
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<LayerConfigJson>;
  readonly nodes: readonly GraphNode[];
}

type LiveNode = tf.layers.Layer['inboundNodes'][number];

/** Node shapes come as one shape or a list of shapes; always return a list. */
function shapeList(shapes: Shape | Shape[]): Shape[] {
  return shapes.length > 0 && Array.isArray(shapes[0]) ? (shapes as Shape[]) : [shapes as Shape];
}

/** The calls of a live layer that belong to `model`, in the order the topology JSON numbers them. */
function liveNodesIn(model: tf.LayersModel, layer: tf.layers.Layer): LiveNode[] {
  const own = model.containerNodes;
  // A Sequential keeps its graph in an inner model; a nested model's node 0 is its own input node.
  if (own.size === 0) return layer.inboundNodes.slice(layer instanceof tf.LayersModel ? 1 : 0);
  return layer.inboundNodes.filter((_, index) => own.has(`${layer.name}_ib-${index}`));
}

/**
 * A LayersModel as a graph: nodes are layer calls (a shared layer has one node per call), edges are
 * tensors with their shapes, so every edge carries its channel count (the last axis). Built from the
 * model's JSON topology, with shapes from the built model, so it sees exactly what a rebuild would.
 *
 * ```ts
 * const graph = ModelGraph.fromModel(model);
 * for (const node of graph.nodes) console.log(node.layer, node.outputShapes[0]);
 * graph.consumers({ layer: 'conv1', node: 0, tensor: 0 }).map((n) => n.layer); // ['bn1']
 * ```
 */
export class ModelGraph {
  private readonly shapes = new Map<string, Shape>();
  private readonly consumersByTensor = new Map<string, GraphNode[]>();
  private readonly layersByName = new Map<string, GraphLayer>();
  private readonly outputKeys: Set<string>;

  private constructor(
    /** The editable topology this graph was read from (a private copy). */
    readonly document: TopologyDocument,
    /** Every layer call, in topological order (inputs first). */
    readonly nodes: readonly GraphNode[],
  ) {
    for (const node of nodes) {
      node.outputShapes.forEach((shape, tensor) => this.shapes.set(refKey({ layer: node.layer, node: node.node, tensor }), shape));
      for (const input of node.inputs) {
        const key = refKey(input);
        const list = this.consumersByTensor.get(key) ?? [];
        if (!list.includes(node)) list.push(node);
        this.consumersByTensor.set(key, list);
      }
    }
    for (const entry of document.layers) {
      this.layersByName.set(entry.name, {
        name: entry.name,
        className: entry.class_name,
        config: entry.config,
        nodes: nodes.filter((n) => n.layer === entry.name),
      });
    }
    this.outputKeys = new Set(this.outputs.map(refKey));
  }

  static fromModel(model: tf.LayersModel): ModelGraph {
    const candidate = model as Partial<tf.LayersModel> | undefined;
    if (typeof candidate?.toJSON !== 'function' || !Array.isArray(candidate.layers)) {
      throw inputError('GRAPH_NOT_A_LAYERS_MODEL', 'the model is not a tf.LayersModel (a GraphModel from tf.loadGraphModel has no layers to edit)',
        'Load the model with tf.loadLayersModel, or convert it from Keras as a layers model.');
    }
    const document = TopologyDocument.fromModel(model);
    const ordered = topologicalCalls(document);
    const shapeOf = new Map<string, Shape>();
    const nodes: GraphNode[] = [];
    for (const { entry, node, inputs } of ordered) {
      const inputShapes = inputs.map((ref) => {
        const shape = shapeOf.get(refKey(ref));
        if (shape === undefined) throw inputError('GRAPH_TOPOLOGY_INVALID', `layer "${entry.name}" reads "${ref.layer}" output ${ref.tensor}, which does not exist`, 'Pass a built tf.LayersModel.');
        return shape;
      });
      const outputShapes = outputShapesOf(model, entry, node - document.firstNode(entry), inputShapes);
      outputShapes.forEach((shape, tensor) => shapeOf.set(refKey({ layer: entry.name, node, tensor }), shape));
      nodes.push({ layer: entry.name, className: entry.class_name, node, inputs, inputShapes, outputShapes });
    }
    return new ModelGraph(document, nodes);
  }

  get inputs(): readonly TensorRef[] {
    return this.document.inputs.map(([layer, node, tensor]) => ({ layer, node, tensor }));
  }

  get outputs(): readonly TensorRef[] {
    return this.document.outputs.map(([layer, node, tensor]) => ({ layer, node, tensor }));
  }

  /** Layer names in topology order. */
  layerNames(): string[] {
    return [...this.layersByName.keys()];
  }

  /** A layer by name, or an input error naming it. */
  layer(name: string): GraphLayer {
    const found = this.layersByName.get(name);
    if (found === undefined) this.document.requireEntry(name);
    return found as GraphLayer;
  }

  hasLayer(name: string): boolean {
    return this.layersByName.has(name);
  }

  shape(ref: TensorRef): Shape {
    const shape = this.shapes.get(refKey(ref));
    if (shape === undefined) throw inputError('GRAPH_UNKNOWN_TENSOR', `layer "${ref.layer}" has no output ${ref.tensor} in call ${ref.node}`, 'Name an existing layer output.');
    return shape;
  }

  /** The channel count (last axis) of a tensor, or null where it is unknown. */
  channels(ref: TensorRef): number | null {
    const shape = this.shape(ref);
    return shape.length < 2 ? null : (shape[shape.length - 1] ?? null);
  }

  /** The calls that read a tensor. */
  consumers(ref: TensorRef): readonly GraphNode[] {
    return this.consumersByTensor.get(refKey(ref)) ?? [];
  }

  isModelOutput(ref: TensorRef): boolean {
    return this.outputKeys.has(refKey(ref));
  }
}

interface OrderedCall {
  entry: LayerEntryJson;
  node: number;
  inputs: TensorRef[];
}

/** Layer calls in dependency order (Kahn's algorithm): a shared layer's calls may sit at different depths. */
function topologicalCalls(document: TopologyDocument): OrderedCall[] {
  const calls: OrderedCall[] = [];
  for (const entry of document.layers) {
    const count = document.callCount(entry);
    const first = document.firstNode(entry);
    for (let call = 0; call < count; call++) {
      const refs = entry.class_name === 'InputLayer' ? [] : (entry.inbound_nodes[call] ?? []);
      calls.push({ entry, node: first + call, inputs: refs.map((r) => ({ layer: r[0], node: r[1], tensor: r[2] })) });
    }
  }
  const key = (layer: string, node: number): string => `${layer}#${node}`;
  const byKey = new Map(calls.map((c) => [key(c.entry.name, c.node), c]));
  const waiting = new Map<string, number>();
  const readers = new Map<string, OrderedCall[]>();
  for (const call of calls) {
    const deps = new Set(call.inputs.map((r) => key(r.layer, r.node)));
    for (const dep of deps) {
      if (!byKey.has(dep)) {
        throw inputError('GRAPH_TOPOLOGY_INVALID', `layer "${call.entry.name}" reads call ${dep} that is not in the model`, 'Pass a built tf.LayersModel.');
      }
      readers.set(dep, [...(readers.get(dep) ?? []), call]);
    }
    waiting.set(key(call.entry.name, call.node), deps.size);
  }
  const ready = calls.filter((c) => waiting.get(key(c.entry.name, c.node)) === 0);
  const out: OrderedCall[] = [];
  while (ready.length > 0) {
    const call = ready.shift() as OrderedCall;
    out.push(call);
    for (const reader of readers.get(key(call.entry.name, call.node)) ?? []) {
      const k = key(reader.entry.name, reader.node);
      const left = (waiting.get(k) ?? 0) - 1;
      waiting.set(k, left);
      if (left === 0) ready.push(reader);
    }
  }
  if (out.length !== calls.length) throw inputError('GRAPH_CYCLE', `model "${document.name}" has a cycle`, 'Pass an acyclic tf.LayersModel.');
  return out;
}

/** Output shapes of call number `call` (from 0), from the built model where it has the call, else computed from the inputs. */
function outputShapesOf(model: tf.LayersModel, entry: LayerEntryJson, call: number, inputShapes: Shape[]): Shape[] {
  if (entry.class_name === 'InputLayer') {
    const declared = entry.config['batch_input_shape'];
    if (Array.isArray(declared)) return [declared as (number | null)[]];
  }
  let layer: tf.layers.Layer | undefined;
  try {
    layer = model.getLayer(entry.name);
  } catch {
    layer = undefined;
  }
  if (layer !== undefined) {
    const live = liveNodesIn(model, layer)[call];
    if (live !== undefined) return shapeList(live.outputShapes as Shape | Shape[]);
    const computed = layer.computeOutputShape((inputShapes.length === 1 ? inputShapes[0] : inputShapes) as tf.Shape | tf.Shape[]);
    return shapeList(computed as Shape | Shape[]);
  }
  throw inputError('GRAPH_TOPOLOGY_INVALID', `layer "${entry.name}" of the topology is not in the model`, 'Pass a built tf.LayersModel.');
}
