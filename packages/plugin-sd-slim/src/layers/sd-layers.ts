import * as tf from '@tensorflow/tfjs';
import type { LayerOperationRegistration } from '@whittle/kernel';
import { CondConv2D } from '../condconv/cond-conv2d.js';
import { GriAttention } from '../gri/gri-attention.js';
import { CrossAttention } from './cross-attention.js';
import { GroupNormalization } from './group-normalization.js';
import { SinusoidalTimeEmbedding } from './sinusoidal-time-embedding.js';
import { SpatialSelfAttention } from './spatial-self-attention.js';
import {
  condConv2dOperation, crossAttentionOperation, groupNormalizationOperation, griAttentionOperation, sinusoidalTimeEmbeddingOperation, spatialSelfAttentionOperation,
} from './sd-layer-operations.js';

/** The custom layer classes of the package with their layer operations (a manifest's `layers`). */
export const sdSlimLayers: readonly LayerOperationRegistration[] = [
  { className: SinusoidalTimeEmbedding.className, serializable: SinusoidalTimeEmbedding as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>, operation: sinusoidalTimeEmbeddingOperation },
  { className: SpatialSelfAttention.className, serializable: SpatialSelfAttention as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>, operation: spatialSelfAttentionOperation },
  { className: CrossAttention.className, serializable: CrossAttention as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>, operation: crossAttentionOperation },
  { className: GriAttention.className, serializable: GriAttention as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>, operation: griAttentionOperation },
  { className: GroupNormalization.className, serializable: GroupNormalization as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>, operation: groupNormalizationOperation },
  { className: CondConv2D.className, serializable: CondConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>, operation: condConv2dOperation },
];

/**
 * Registers the classes with `tf.serialization` so saved models that use them load (done when
 * the package is imported; idempotent).
 */
export function registerSdSlimLayers(): void {
  for (const { serializable } of sdSlimLayers) if (serializable !== undefined) tf.serialization.registerClass(serializable);
}
