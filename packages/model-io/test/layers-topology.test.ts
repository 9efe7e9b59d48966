import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layersTopologyProblem } from '../src/layers-topology.js';
import { modelArtifacts, modelFromArtifacts } from '../src/model-artifacts.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Layer = { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };
type Topology = { class_name: string; config: { name: string; layers: Layer[]; input_layers: unknown[]; output_layers: unknown[] } };

/** in → a → b → out, as functional Keras JSON. */
function chain(): Topology {
  const layer = (name: string, from: string): Layer => ({ name, class_name: 'Dense', config: { name, units: 2 }, inbound_nodes: [[[from, 0, 0, {}]]] });
  return {
    class_name: 'Model',
    config: {
      name: 'chain',
      layers: [{ name: 'in', class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 2] }, inbound_nodes: [] }, layer('a', 'in'), layer('b', 'a'), layer('out', 'b')],
      input_layers: [['in', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
  };
}

function layerNamed(t: Topology, name: string): Layer {
  return t.config.layers.find((l) => l.name === name)!;
}

/** Topology JSON of real models, as tfjs writes it. */
function liveTopologies(): unknown[] {
  const x = tf.input({ shape: [3] });
  const a = tf.layers.dense({ units: 3 });
  const b = tf.layers.dense({ units: 3 });
  // A shared layer at two depths, A(B(A(B(x)))), and a nested model called twice.
  const shared = a.apply(b.apply(a.apply(b.apply(x)))) as tf.SymbolicTensor;
  const innerIn = tf.input({ shape: [3] });
  const inner = tf.model({ inputs: innerIn, outputs: tf.layers.dense({ units: 3 }).apply(innerIn) as tf.SymbolicTensor });
  const nested = inner.apply(inner.apply(shared)) as tf.SymbolicTensor;
  const functional = tf.model({ inputs: x, outputs: tf.layers.add().apply([nested, shared]) as tf.SymbolicTensor });
  const sequential = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 }), tf.layers.dense({ units: 1 })] });
  const topologies = [functional, sequential].map((m) => m.toJSON(null, false));
  functional.dispose();
  sequential.dispose();
  inner.dispose();
  return topologies;
}

describe('layersTopologyProblem', () => {
  it('accepts what tfjs writes: chains, shared layers at two depths, nested models, Sequential', () => {
    expect(layersTopologyProblem(chain())).toBeUndefined();
    for (const topology of liveTopologies()) expect(layersTopologyProblem(topology)).toBeUndefined();
  });

  it('refuses an inbound reference to a layer that does not exist, naming both', () => {
    const t = chain();
    layerNamed(t, 'b').inbound_nodes = [[['nope', 0, 0, {}]]];
    expect(layersTopologyProblem(t)).toBe('layer "b" of model "chain" reads layer "nope", which does not exist');
  });

  it('refuses a reference to a call the layer never makes', () => {
    const t = chain();
    layerNamed(t, 'b').inbound_nodes = [[['a', 1, 0, {}]]];
    expect(layersTopologyProblem(t)).toMatch(/layer "b" .* reads node 1 of layer "a", which has only 1 node$/);
  });

  it('refuses a cycle, naming the layers in it', () => {
    const t = chain();
    layerNamed(t, 'a').inbound_nodes = [[['b', 0, 0, {}]]];
    expect(layersTopologyProblem(t)).toMatch(/layers "a", "b", "out" of model "chain" wait on each other's outputs \(a cycle\)/);
    const self = chain();
    layerNamed(self, 'out').inbound_nodes = [[['out', 0, 0, {}]]];
    expect(layersTopologyProblem(self)).toMatch(/layers "out" .*a cycle/);
  });

  it('refuses duplicate layer names', () => {
    const t = chain();
    const b = layerNamed(t, 'b');
    b.name = 'a';
    b.config['name'] = 'a';
    expect(layersTopologyProblem(t)).toBe('model "chain" has two layers named "a"; layer names must be unique');
    const sequential = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd' } }, { class_name: 'Dense', config: { name: 'd' } }] } };
    expect(layersTopologyProblem(sequential)).toMatch(/two layers named "d"/);
  });

  it('refuses model inputs and outputs that name missing layers, and malformed references', () => {
    const out = chain();
    out.config.output_layers = [['gone', 0, 0]];
    expect(layersTopologyProblem(out)).toBe('output_layers[0] of model "chain" reads layer "gone", which does not exist');
    const input = chain();
    input.config.input_layers = [];
    expect(layersTopologyProblem(input)).toMatch(/has no "input_layers" list/);
    const bad = chain();
    layerNamed(bad, 'a').inbound_nodes = [[['in', -1, 0]]];
    expect(layersTopologyProblem(bad)).toMatch(/inbound_nodes\[0\]\[0\] is not a \[layer, node, tensor\] reference/);
  });

  it('checks nested models too', () => {
    const [functional] = liveTopologies() as [{ config: { layers: { class_name: string; config: Topology['config'] }[] } }];
    const nested = functional.config.layers.find((l) => l.class_name === 'Functional' || l.class_name === 'Model')!;
    nested.config.output_layers = [['missing', 0, 0]];
    expect(layersTopologyProblem(functional)).toMatch(/output_layers\[0\] of layer ".*" of model ".*" reads layer "missing"/);
  });

  it('makes modelFromArtifacts refuse a dangling reference at once instead of looping in tfjs', async () => {
    const x = tf.input({ shape: [2] });
    const model = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 1, name: 'only' }).apply(x) as tf.SymbolicTensor });
    const artifacts = await modelArtifacts(model);
    model.dispose();
    const topology = structuredClone(artifacts.modelTopology) as Topology;
    layerNamed(topology, 'only').inbound_nodes = [[['ghost', 0, 0, {}]]];
    await expect(modelFromArtifacts({ ...artifacts, modelTopology: topology })).rejects.toThrow(/layer "only" .* reads layer "ghost"/);
  });
});
