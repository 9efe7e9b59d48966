import { inputError, type LayerOperationRegistration, type LayerOperationSource } from '@whittle/kernel';
import type { LayerOperation } from './layer-operation.js';
import { BUILTIN_OPERATIONS } from './builtin/builtin-operations.js';

/**
 * A registry of layer operations by class name: the built-ins, plus those plugins register for
 * their custom layers. Immutable; `with` returns a new registry (a later operation for a class
 * replaces the earlier one). Every graph function that needs per-layer knowledge takes one as its
 * last, optional argument and defaults to `LayerOperations.builtIn`.
 *
 * ```ts
 * const ops = LayerOperations.builtIn.with([{ className: 'ChannelScale', channelRule: () => ({ kind: 'channelwise' }) }]);
 * dependencyGroups(model, ops);
 * ops.get('Conv2D')?.macs?.({ config, inputShapes: [[1, 8, 8, 3]], outputShapes: [[1, 8, 8, 16]] });
 * ```
 */
export class LayerOperations {
  /** The operations of the tfjs layer classes Whittle knows. */
  static readonly builtIn = new LayerOperations(new Map(BUILTIN_OPERATIONS.map((op) => [op.className, op])));

  private constructor(private readonly byClass: ReadonlyMap<string, LayerOperation>) {}

  get(className: string): LayerOperation | undefined {
    return this.byClass.get(className);
  }

  has(className: string): boolean {
    return this.byClass.has(className);
  }

  classNames(): string[] {
    return [...this.byClass.keys()];
  }

  with(operations: readonly LayerOperation[]): LayerOperations {
    if (operations.length === 0) return this;
    const next = new Map(this.byClass);
    for (const op of operations) next.set(op.className, op);
    return new LayerOperations(next);
  }
}

/** What a kernel `PluginRegistry` offers: the layer operations of the loaded manifests, with the package each came from. */
export type { LayerOperationSource } from '@whittle/kernel';

const OPTIONAL_FUNCTIONS = ['channelRule', 'resizeConfig', 'channelCost', 'macs', 'latency', 'gemm'] as const;

/** Checks that a manifest's `operation` is a LayerOperation for its class, naming the package and class where it is not. */
function checkOperation(registration: LayerOperationRegistration, from: string): LayerOperation {
  const op = registration.operation as Partial<Record<string, unknown>> | null;
  const where = `layer operation for "${registration.className}" from "${from}"`;
  const hint = 'A manifest\'s layers[i].operation is a LayerOperation from @whittle/graph: { className, channelRule?, weightAxes?, macs?, … }.';
  if (typeof op !== 'object' || op === null) throw inputError('LAYER_OPERATION_INVALID', `${where} is not an object`, hint);
  if (op['className'] !== registration.className) {
    throw inputError('LAYER_OPERATION_INVALID', `${where} names class "${String(op['className'])}"`, `Give the operation className "${registration.className}".`);
  }
  for (const key of OPTIONAL_FUNCTIONS) {
    if (op[key] !== undefined && typeof op[key] !== 'function') throw inputError('LAYER_OPERATION_INVALID', `${where}: "${key}" is not a function`, hint);
  }
  const onnx = op['onnx'] as Partial<Record<string, unknown>> | null | undefined;
  if (onnx !== undefined && (typeof onnx !== 'object' || onnx === null || typeof onnx['lower'] !== 'function')) {
    throw inputError('LAYER_OPERATION_INVALID', `${where}: "onnx" is not an object with a lower function`, hint);
  }
  for (const key of ['weightAxes', 'filters', 'linearExpansion'] as const) {
    if (op[key] !== undefined && (typeof op[key] !== 'object' || op[key] === null)) throw inputError('LAYER_OPERATION_INVALID', `${where}: "${key}" is not an object`, hint);
  }
  return op as unknown as LayerOperation;
}

/**
 * The built-in operations plus those the loaded plugin packages register (`layers: [...]` in their
 * manifests): from the `LAYER_OPERATIONS` service a plugin injects, or from a `PluginRegistry` (the CLI's).
 *
 * ```ts
 * constructor(@inject(LAYER_OPERATIONS) layers: Providers<LayerOperationRegistration>) {
 *   this.ops = layerOperationsOf(layers);
 * }
 * ```
 */
export function layerOperationsOf(source: LayerOperationSource, base: LayerOperations = LayerOperations.builtIn): LayerOperations {
  const registered = 'entries' in source ? source.entries() : source.layerOperations();
  return base.with(registered.map(({ value, from }) => checkOperation(value, from)));
}
