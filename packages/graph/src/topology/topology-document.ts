import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { declaringAllInputs, layersTopologyProblem } from '@whittle/model-io';
import {
  cloneJson,
  isJsonObject,
  type EndpointJson,
  type InboundRefJson,
  type JsonValue,
  type LayerConfigJson,
  type LayerEntryJson,
  type ModelTopologyJson,
} from './keras-json.js';

/** A tensor inside a topology: output `tensor` of call `node` of layer `layer`. */
export interface TensorRef {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
}

export function refKey(ref: TensorRef): string {
  return `${ref.layer}#${ref.node}#${ref.tensor}`;
}

const MODEL_CLASSES = new Set(['Model', 'Functional']);

/** Whether a layer entry is itself a model (nested in this one). */
function isModelClass(className: string): boolean {
  return MODEL_CLASSES.has(className) || className === 'Sequential';
}

/**
 * An editable copy of a model's Keras JSON topology, always in functional form (layers with
 * `inbound_nodes`, explicit input layer). A Sequential model is read into the same form and written
 * back as a Sequential, so surgery code has one shape to edit. The caller's model is never touched.
 *
 * ```ts
 * const doc = TopologyDocument.fromModel(model);
 * doc.entry('conv1')!.config['filters'] = 8;
 * const json = doc.toJson();
 * ```
 */
export class TopologyDocument {
  private constructor(
    /** Whether `toJson` writes a Sequential config. */
    readonly sequential: boolean,
    /** Whether the Sequential's input layer was made up here (Sequential JSON has none). */
    private readonly syntheticInput: boolean,
    readonly layers: LayerEntryJson[],
    readonly inputs: EndpointJson[],
    readonly outputs: EndpointJson[],
    private readonly top: ModelTopologyJson,
  ) {}

  static fromModel(model: tf.LayersModel): TopologyDocument {
    // The kernel patches tfjs's SeparableConv2D.getConfig (it omits depthMultiplier), and inputs nothing reads are declared again, so the JSON is faithful.
    return TopologyDocument.fromJson(declaringAllInputs(model.toJSON(null, false) as unknown as ModelTopologyJson, model));
  }

  static fromJson(json: ModelTopologyJson): TopologyDocument {
    const problem = layersTopologyProblem(json);
    if (problem !== undefined) throw inputError('GRAPH_TOPOLOGY_INVALID', `model topology: ${problem}`, 'Pass a tf.LayersModel, or a topology whose layers are named once and read only layers and calls that exist.');
    const top = cloneJson(json);
    const config = top.config;
    const layers = config['layers'];
    if (!Array.isArray(layers)) {
      throw inputError('GRAPH_TOPOLOGY_INVALID', `model topology "${String(config['name'])}" has no layer list`, 'Pass a tf.LayersModel (functional or Sequential).');
    }
    if (top.class_name === 'Sequential') return TopologyDocument.fromSequential(top, layers);
    if (!MODEL_CLASSES.has(top.class_name)) {
      throw inputError('GRAPH_TOPOLOGY_INVALID', `model topology class "${top.class_name}" is not a LayersModel`, 'Pass a tf.LayersModel (functional or Sequential).');
    }
    const entries = layers.map((layer) => {
      if (!isJsonObject(layer)) throw inputError('GRAPH_TOPOLOGY_INVALID', 'a layer entry of the topology is not an object', 'Pass a tf.LayersModel.');
      return layer as unknown as LayerEntryJson;
    });
    return new TopologyDocument(false, false, entries, config['input_layers'] as EndpointJson[], config['output_layers'] as EndpointJson[], top);
  }

  private static fromSequential(top: ModelTopologyJson, layers: JsonValue[]): TopologyDocument {
    const entries: LayerEntryJson[] = [];
    let syntheticInput = false;
    layers.forEach((layer, i) => {
      if (!isJsonObject(layer) || !isJsonObject(layer['config'])) {
        throw inputError('GRAPH_TOPOLOGY_INVALID', `layer ${i} of the Sequential topology is not an object`, 'Pass a tf.LayersModel.');
      }
      const config = layer['config'] as LayerConfigJson;
      const className = String(layer['class_name']);
      if (i === 0 && className !== 'InputLayer') {
        // Sequential JSON keeps the input shape on its first layer; make the input layer explicit.
        const shape = config['batch_input_shape'] ?? (Array.isArray(config['input_shape']) ? [null, ...config['input_shape']] : null);
        if (!Array.isArray(shape)) {
          throw inputError('GRAPH_TOPOLOGY_INVALID', `the first layer "${String(config['name'])}" of the Sequential model has no input shape`, 'Build the model (give the first layer an inputShape) before analysing it.');
        }
        const name = `${String(config['name'])}_input`;
        entries.push({ name, class_name: 'InputLayer', config: { batch_input_shape: shape, dtype: config['dtype'] ?? 'float32', sparse: false, name }, inbound_nodes: [] });
        syntheticInput = true;
      }
      const previous = entries[entries.length - 1];
      entries.push({
        name: String(config['name']),
        class_name: className,
        config,
        inbound_nodes: previous === undefined ? [] : [[[previous.name, isModelClass(previous.class_name) ? 1 : 0, 0, {}]]],
      });
    });
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (first === undefined || last === undefined) {
      throw inputError('GRAPH_TOPOLOGY_INVALID', 'the Sequential model has no layers', 'Add layers before analysing the model.');
    }
    return new TopologyDocument(true, syntheticInput, entries, [[first.name, 0, 0]], [[last.name, 0, 0]], top);
  }

  entry(name: string): LayerEntryJson | undefined {
    return this.layers.find((layer) => layer.name === name);
  }

  /** The entry, or an input error naming the missing layer. */
  requireEntry(name: string, what = 'layer'): LayerEntryJson {
    const found = this.entry(name);
    if (found === undefined) {
      const known = this.layers.map((l) => l.name);
      throw inputError('GRAPH_UNKNOWN_LAYER', `${what} "${name}" is not in model "${this.name}"`, `Use one of: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}.`);
    }
    return found;
  }

  get name(): string {
    return String(this.top.config['name']);
  }

  /** How many times the layer is called in this model (an input layer counts as one call). */
  callCount(entry: LayerEntryJson): number {
    return entry.class_name === 'InputLayer' ? 1 : entry.inbound_nodes.length;
  }

  /**
   * The node index the layer's first call has in references. Keras numbers a nested model's calls
   * from 1, because its node 0 is the nested model's own input node.
   */
  firstNode(entry: LayerEntryJson): number {
    return isModelClass(entry.class_name) ? 1 : 0;
  }

  clone(): TopologyDocument {
    return new TopologyDocument(this.sequential, this.syntheticInput, cloneJson(this.layers), cloneJson(this.inputs), cloneJson(this.outputs), this.top);
  }

  /** Every reference to tensor `from` (layer inputs and model outputs) now points to `to`. */
  rewire(from: TensorRef, to: TensorRef, except?: ReadonlySet<string>): void {
    const same = (layer: string, node: number, tensor: number): boolean => layer === from.layer && node === from.node && tensor === from.tensor;
    for (const entry of this.layers) {
      if (except?.has(entry.name) === true) continue;
      for (const call of entry.inbound_nodes) {
        for (const ref of call) {
          if (same(ref[0], ref[1], ref[2])) {
            ref[0] = to.layer;
            ref[1] = to.node;
            ref[2] = to.tensor;
          }
        }
      }
    }
    for (const out of this.outputs) {
      if (same(out[0], out[1], out[2])) {
        out[0] = to.layer;
        out[1] = to.node;
        out[2] = to.tensor;
      }
    }
  }

  /**
   * Drops every call that no model output depends on, renumbering the calls that remain, and every
   * layer left with no call. Returns the names of the dropped layers (their weights go too).
   */
  dropUnreachable(): string[] {
    const byName = new Map(this.layers.map((entry) => [entry.name, entry]));
    const reached = new Map<string, Set<number>>();
    const stack: [string, number][] = this.outputs.map((out) => [out[0], out[1]]);
    while (stack.length > 0) {
      const [layer, node] = stack.pop() as [string, number];
      const seen = reached.get(layer) ?? new Set<number>();
      if (seen.has(node)) continue;
      seen.add(node);
      reached.set(layer, seen);
      const entry = byName.get(layer);
      const call = entry === undefined ? undefined : entry.inbound_nodes[node - this.firstNode(entry)];
      for (const ref of call ?? []) stack.push([ref[0], ref[1]]);
    }
    // Model inputs stay even when nothing reads them any more: the model's signature does not change.
    for (const input of this.inputs) reached.set(input[0], new Set([...(reached.get(input[0]) ?? []), input[1]]));
    const renumber = new Map<string, Map<number, number>>();
    const dropped: string[] = [];
    const kept: LayerEntryJson[] = [];
    for (const entry of this.layers) {
      const nodes = [...(reached.get(entry.name) ?? [])].sort((a, b) => a - b);
      if (nodes.length === 0) {
        dropped.push(entry.name);
        continue;
      }
      const first = this.firstNode(entry);
      renumber.set(entry.name, new Map(nodes.map((old, i) => [old, first + i])));
      if (entry.class_name !== 'InputLayer') entry.inbound_nodes = nodes.map((n) => entry.inbound_nodes[n - first] as InboundRefJson[]);
      kept.push(entry);
    }
    const fix = (ref: { 0: string; 1: number }): void => {
      const mapped = renumber.get(ref[0])?.get(ref[1]);
      if (mapped !== undefined) ref[1] = mapped;
    };
    for (const entry of kept) for (const call of entry.inbound_nodes) for (const ref of call) fix(ref);
    for (const out of this.outputs) fix(out);
    for (const input of this.inputs) fix(input);
    this.layers.splice(0, this.layers.length, ...kept);
    return dropped;
  }

  /** Layer entries in an order where every layer comes after the layers it reads (Sequential output needs it). */
  private orderedLayers(): LayerEntryJson[] {
    const byName = new Map(this.layers.map((entry) => [entry.name, entry]));
    const done = new Set<string>();
    const out: LayerEntryJson[] = [];
    const visit = (entry: LayerEntryJson, path: Set<string>): void => {
      if (done.has(entry.name)) return;
      if (path.has(entry.name)) throw inputError('GRAPH_CYCLE', `layer "${entry.name}" depends on itself`, 'The edited topology must stay acyclic.');
      path.add(entry.name);
      for (const call of entry.inbound_nodes) for (const ref of call) {
        const dep = byName.get(ref[0]);
        if (dep !== undefined) visit(dep, path);
      }
      path.delete(entry.name);
      done.add(entry.name);
      out.push(entry);
    };
    for (const entry of this.layers) visit(entry, new Set());
    return out;
  }

  /** Whether the topology is a single chain from one input to one output (so it can be a Sequential). */
  private isChain(ordered: LayerEntryJson[]): boolean {
    if (this.inputs.length !== 1 || this.outputs.length !== 1) return false;
    for (let i = 1; i < ordered.length; i++) {
      const calls = (ordered[i] as LayerEntryJson).inbound_nodes;
      const ref = calls[0]?.[0];
      if (calls.length !== 1 || calls[0]?.length !== 1 || ref === undefined || ref[0] !== (ordered[i - 1] as LayerEntryJson).name || ref[2] !== 0) return false;
    }
    const last = ordered[ordered.length - 1];
    return last !== undefined && this.outputs[0]?.[0] === last.name;
  }

  /** The topology as `tf.loadLayersModel` reads it. A Sequential stays a Sequential while it is still a chain. */
  toJson(): ModelTopologyJson {
    const top = cloneJson(this.top);
    const ordered = this.orderedLayers();
    if (this.sequential && this.isChain(ordered)) {
      const input = ordered[0] as LayerEntryJson;
      const rest = this.syntheticInput ? ordered.slice(1) : ordered;
      const layers = rest.map((entry, i) => {
        const config = cloneJson(entry.config);
        if (this.syntheticInput) {
          delete config['input_shape'];
          if (i === 0) {
            config['batch_input_shape'] = input.config['batch_input_shape'] ?? null;
            config['dtype'] = input.config['dtype'] ?? 'float32';
          } else {
            delete config['batch_input_shape'];
          }
        }
        return { class_name: entry.class_name, config };
      });
      top.config = { ...top.config, layers };
      return top;
    }
    const layers = ordered.map((entry) => cloneJson(entry) as unknown as JsonValue);
    top.class_name = this.sequential ? 'Model' : top.class_name;
    top.config = { name: top.config['name'] ?? 'model', layers, input_layers: cloneJson(this.inputs), output_layers: cloneJson(this.outputs) };
    return top;
  }
}
