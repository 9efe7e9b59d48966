import type * as tf from '@tensorflow/tfjs';
import type { WeightData } from '../quantize/quantize-weights.js';

/** The two kinds of model.json tfjs loads: `tf.loadLayersModel` and `tf.loadGraphModel`. */
export type ModelFormat = 'layers-model' | 'graph-model';

/**
 * A model folder in memory: its model.json (every key kept, the manifest aside) and all its weights,
 * the groups' entries and bytes back to back.
 */
export interface ModelFolder {
  /** model.json's absolute path, or a label for in-memory models. */
  readonly source: string;
  readonly format: ModelFormat;
  /** model.json without `weightsManifest` (topology, format, signature, metadata…). */
  readonly json: Readonly<Record<string, unknown>>;
  readonly weights: WeightData;
  /** Sizes as read: model.json's bytes and the shards' bytes. */
  readonly modelJsonBytes: number;
  readonly weightBytes: number;
}

/** The format a model.json declares, or that its topology shows (a GraphDef has `node`). */
export function modelFormatOf(json: Readonly<Record<string, unknown>>): ModelFormat {
  if (json['format'] === 'graph-model') return 'graph-model';
  const topology = json['modelTopology'] as Record<string, unknown> | undefined;
  if (topology !== undefined && Array.isArray(topology['node'])) return 'graph-model';
  return 'layers-model';
}

/** The manifest entries of every group, in order. */
export function manifestSpecs(manifest: tf.io.WeightsManifestConfig): tf.io.WeightsManifestEntry[] {
  return manifest.flatMap((group) => group.weights);
}
