import type * as tf from '@tensorflow/tfjs';

/**
 * A custom layer class a plugin package provides: its `tf.serialization` class (registered with
 * `tf.serialization.registerClass` when the package loads, so models using it load) and its layer
 * operation — what @whittle/graph knows about it (channel rule, weight axes, MACs, …). The kernel
 * does not read the operation; @whittle/graph checks it (`layerOperationsOf(kernel.registry)`).
 *
 * ```ts
 * layers: [{ className: 'ChannelScale', serializable: ChannelScale, operation: channelScaleOperation }]
 * ```
 */
export interface LayerOperationRegistration<Operation = unknown> {
  /** The class name models use (`class_name` in the topology); equal to the serializable's `className`. */
  readonly className: string;
  /** The layer class; omitted when the class is already registered with tfjs (an operation for a built-in class). */
  readonly serializable?: tf.serialization.SerializableConstructor<tf.serialization.Serializable>;
  /** A `LayerOperation` from @whittle/graph. */
  readonly operation: Operation;
}

/** One custom layer's registration with the package it came from. */
export interface RegisteredLayerOperation {
  readonly value: LayerOperationRegistration;
  readonly from: string;
}

/**
 * The custom layers' registrations of a run: a `PluginRegistry` (`layerOperations()`) or the
 * `LAYER_OPERATIONS` service a plugin injects (a `Providers<LayerOperationRegistration>`, `entries()`).
 */
export type LayerOperationSource =
  | { layerOperations(): readonly RegisteredLayerOperation[] }
  | { entries(): readonly RegisteredLayerOperation[] };
