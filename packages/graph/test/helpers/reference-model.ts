import * as tf from '@tensorflow/tfjs';
import { memberIndices, type ChannelPlan, type DependencyGroup } from '../../src/index.js';

/** Which kernel axis a consumer reads its input channels on (written here, independently of the package). */
function inputAxis(className: string, weightName: string, rank: number): number | undefined {
  if (className === 'Dense' && weightName.endsWith('/kernel')) return 0;
  if (/^Conv[123]D$/.test(className) && weightName.endsWith('/kernel')) return rank - 2;
  if (/^Conv[23]DTranspose$/.test(className) && weightName.endsWith('/kernel')) return rank - 1;
  if (className === 'SeparableConv2D' && weightName.endsWith('/depthwise_kernel')) return 2;
  return undefined;
}

/**
 * The invariant's right-hand side: a copy of the original model in which each consumer's input
 * slices of the removed channels are zero, i.e. those channels contribute nothing.
 */
export async function referenceWithoutChannels(model: tf.LayersModel, groups: readonly DependencyGroup[], plan: ChannelPlan): Promise<tf.LayersModel> {
  const clone = await copyModel(model);
  const zeroed = new Map<string, Map<number, Set<number>>>(); // layer → weight index → channel indices
  for (const [id, removed] of plan) {
    const group = groups.find((g) => g.id === id);
    if (group === undefined) throw new Error(`no group ${id}`);
    for (const member of group.members) {
      if (member.role !== 'consumer') continue;
      const layer = clone.getLayer(member.layer);
      layer.weights.forEach((w, wi) => {
        if (inputAxis(layer.getClassName(), w.originalName, w.shape.length) === undefined) return;
        const perWeight = zeroed.get(member.layer) ?? new Map<number, Set<number>>();
        const set = perWeight.get(wi) ?? new Set<number>();
        for (const c of removed) for (const i of memberIndices(member, c)) set.add(i);
        perWeight.set(wi, set);
        zeroed.set(member.layer, perWeight);
      });
    }
  }
  for (const [name, perWeight] of zeroed) {
    const layer = clone.getLayer(name);
    const values = tf.tidy(() => layer.getWeights().map((value, wi) => {
      const indices = perWeight.get(wi);
      if (indices === undefined) return value.clone();
      const axis = inputAxis(layer.getClassName(), layer.weights[wi]!.originalName, value.rank) as number;
      const size = value.shape[axis] as number;
      const mask = new Float32Array(size).fill(1);
      for (const i of indices) {
        if (i >= size) throw new Error(`${name}: index ${i} outside axis of ${size}`);
        mask[i] = 0;
      }
      const shape = value.shape.map((d, a) => (a === axis ? d : 1));
      return value.mul(tf.tensor(mask, shape));
    }));
    layer.setWeights(values);
    tf.dispose(values);
  }
  return clone;
}

/**
 * A copy through model.json in memory. tfjs 4.22's SeparableConv getConfig() drops depthMultiplier,
 * so the topology gets it back from the live layers before loading.
 */
export async function copyModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  const topology = model.toJSON(null, false) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  const layers = Array.isArray(topology.config.layers) ? topology.config.layers : [];
  for (const entry of layers) {
    const live = model.layers.find((l) => l.name === entry.config['name']) as unknown as { depthMultiplier?: number } | undefined;
    if (entry.class_name === 'SeparableConv2D' && live?.depthMultiplier !== undefined) entry.config['depth_multiplier'] = live.depthMultiplier;
  }
  const { data, specs } = await tf.io.encodeWeights(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: specs, weightData: data }));
}
