/**
 * Structural checks of a Keras JSON topology (what `model.json`'s `modelTopology` holds), made before
 * tfjs sees it: tfjs's `modelFromJSON` re-queues a layer call until its inputs exist, so a call that
 * reads a layer that is not there, a call index that never comes, or a cycle makes it loop forever.
 */

import { isRecord } from './is-record.js';

type Json = Record<string, unknown>;

const FUNCTIONAL = new Set(['Model', 'Functional']);

/** The model config of a topology: Keras's own model JSON wraps it as `{ model_config, training_config }`. */
export function topologyModel(topology: Json): Json {
  return isRecord(topology['model_config']) ? topology['model_config'] : topology;
}

/** A Sequential or Functional model config's layer list: `config.layers`, or (old Sequential) `config` itself. */
export function configLayers(config: unknown): unknown {
  return Array.isArray(config) ? config : isRecord(config) ? config['layers'] : undefined;
}

function isIndex(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

/** One model config to check, and how messages name it (`model "outer" > layer "inner"`). */
interface Pending {
  readonly className: string;
  readonly config: unknown;
  readonly where: string;
}

/**
 * What makes a LayersModel topology unbuildable, or `undefined` when tfjs can build it without
 * looping: duplicate layer names, an inbound reference or model input/output that names a missing
 * layer or a call the layer never makes, and layers that wait on each other (a cycle). Nested models
 * are checked too. Anything else (unknown classes, wrong shapes) is left to tfjs, which reports it.
 *
 * ```ts
 * const problem = layersTopologyProblem(json.modelTopology);
 * if (problem !== undefined) throw new Error(`model.json: ${problem}`);
 * ```
 */
export function layersTopologyProblem(topology: unknown): string | undefined {
  if (!isRecord(topology)) return 'the topology is not an object';
  const top = topologyModel(topology);
  const name = isRecord(top['config']) ? top['config']['name'] : undefined;
  const stack: Pending[] = [{ className: String(top['class_name']), config: top['config'], where: typeof name === 'string' ? `model "${name}"` : 'the model' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const problem = FUNCTIONAL.has(next.className) ? functionalProblem(next, stack) : next.className === 'Sequential' ? sequentialProblem(next, stack) : undefined;
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function layerName(entry: Json): unknown {
  return entry['name'] ?? (isRecord(entry['config']) ? entry['config']['name'] : undefined);
}

/** Layer entries that are objects with a string name, or the problem; nested models go on `stack`. */
function readEntries(layers: unknown, where: string, stack: Pending[]): Json[] | string {
  if (!Array.isArray(layers)) return `${where} has no "layers" list`;
  const seen = new Set<string>();
  const entries: Json[] = [];
  for (const [i, entry] of layers.entries()) {
    if (!isRecord(entry)) return `layer ${i} of ${where} is not an object`;
    const name = layerName(entry);
    if (typeof name !== 'string' || name === '') return `layer ${i} of ${where} has no name`;
    if (seen.has(name)) return `${where} has two layers named "${name}"; layer names must be unique`;
    seen.add(name);
    entries.push(entry);
    const className = String(entry['class_name']);
    if (FUNCTIONAL.has(className) || className === 'Sequential') stack.push({ className, config: entry['config'], where: `layer "${name}" of ${where}` });
  }
  return entries;
}

function sequentialProblem({ config, where }: Pending, stack: Pending[]): string | undefined {
  const entries = readEntries(configLayers(config), where, stack);
  return typeof entries === 'string' ? entries : undefined;
}

/** `[layer, node, tensor, kwargs?]` as read from an inbound node or an input/output list. */
type Ref = readonly [string, number, number];

function readRef(value: unknown): Ref | undefined {
  if (!Array.isArray(value) || value.length < 3 || typeof value[0] !== 'string' || !isIndex(value[1]) || !isIndex(value[2])) return undefined;
  return [value[0], value[1], value[2]];
}

function functionalProblem({ config, where }: Pending, stack: Pending[]): string | undefined {
  if (!isRecord(config)) return `${where} has no config object`;
  const entries = readEntries(config['layers'], where, stack);
  if (typeof entries === 'string') return entries;

  // The calls each layer makes, as lists of references; and how many nodes it will have once built
  // (an input layer has its one node from the start, a nested model its own node 0 before its calls).
  const calls = new Map<string, Ref[][]>();
  const firstNode = new Map<string, number>();
  for (const entry of entries) {
    const name = layerName(entry) as string;
    const className = String(entry['class_name']);
    const inbound = entry['inbound_nodes'] ?? entry['inboundNodes'] ?? [];
    if (!Array.isArray(inbound)) return `layer "${name}" of ${where}: "inbound_nodes" is not a list`;
    const layerCalls: Ref[][] = [];
    for (const [c, call] of inbound.entries()) {
      if (!Array.isArray(call)) return `layer "${name}" of ${where}: inbound_nodes[${c}] is not a list of [layer, node, tensor] references`;
      const refs: Ref[] = [];
      for (const [r, item] of call.entries()) {
        const ref = readRef(item);
        if (ref === undefined) return `layer "${name}" of ${where}: inbound_nodes[${c}][${r}] is not a [layer, node, tensor] reference`;
        refs.push(ref);
      }
      layerCalls.push(refs);
    }
    calls.set(name, className === 'InputLayer' ? [] : layerCalls);
    firstNode.set(name, className === 'InputLayer' || FUNCTIONAL.has(className) || className === 'Sequential' ? 1 : 0);
  }
  const nodeCount = (layer: string): number => (firstNode.get(layer) ?? 0) + (calls.get(layer)?.length ?? 0);
  const refProblem = (ref: Ref, reader: string): string | undefined => {
    if (!calls.has(ref[0])) return `${reader} reads layer "${ref[0]}", which does not exist`;
    if (ref[1] >= nodeCount(ref[0])) return `${reader} reads node ${ref[1]} of layer "${ref[0]}", which has only ${nodeCount(ref[0])} node${nodeCount(ref[0]) === 1 ? '' : 's'}`;
    return undefined;
  };
  for (const [name, layerCalls] of calls) {
    for (const refs of layerCalls) {
      for (const ref of refs) {
        const problem = refProblem(ref, `layer "${name}" of ${where}`);
        if (problem !== undefined) return problem;
      }
    }
  }
  for (const key of ['input_layers', 'output_layers'] as const) {
    const list = config[key] ?? config[key === 'input_layers' ? 'inputLayers' : 'outputLayers'];
    if (!Array.isArray(list) || list.length === 0) return `${where} has no "${key}" list`;
    for (const [i, item] of list.entries()) {
      const ref = readRef(item);
      if (ref === undefined) return `${key}[${i}] of ${where} is not a [layer, node, tensor] reference`;
      const problem = refProblem(ref, `${key}[${i}] of ${where}`);
      if (problem !== undefined) return problem;
    }
  }
  return cycleProblem(calls, firstNode, where);
}

/**
 * Replays tfjs's build order: a call runs once every node it reads exists, and adds the layer's next
 * node. Calls left over wait on each other.
 */
function cycleProblem(calls: ReadonlyMap<string, readonly Ref[][]>, firstNode: ReadonlyMap<string, number>, where: string): string | undefined {
  const built = new Map([...firstNode].map(([name, first]) => [name, first]));
  const waiting = new Map([...calls].filter(([, c]) => c.length > 0).map(([name, c]) => [name, [...c]]));
  let progress = true;
  while (waiting.size > 0 && progress) {
    progress = false;
    for (const [name, pending] of waiting) {
      while (pending.length > 0 && (pending[0] as Ref[]).every((ref) => (built.get(ref[0]) ?? 0) > ref[1])) {
        pending.shift();
        built.set(name, (built.get(name) ?? 0) + 1);
        progress = true;
      }
      if (pending.length === 0) waiting.delete(name);
    }
  }
  if (waiting.size === 0) return undefined;
  const stuck = [...waiting.keys()];
  const shown = stuck.slice(0, 6).map((n) => `"${n}"`).join(', ') + (stuck.length > 6 ? `, … (${stuck.length} layers)` : '');
  return `layers ${shown} of ${where} wait on each other's outputs (a cycle), so the model cannot be built`;
}
