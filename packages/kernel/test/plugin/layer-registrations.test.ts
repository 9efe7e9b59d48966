import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadPluginManifests } from '../../src/plugin/load-plugins.js';
import { PluginRegistry } from '../../src/plugin/plugin-registry.js';
import type { PluginManifest } from '../../src/plugin/plugin.js';

class FixtureIdentity extends tf.layers.Layer {
  static readonly className = 'FixtureIdentity';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
  }
}

const manifest = (layers: unknown): unknown => ({ name: 'acme-layers', version: '1.0.0', kernel: '>=0.0.0', layers });
describe('manifest layers (custom layer classes and their operations)', () => {
  it('registers each class with tf.serialization and lists the registrations', async () => {
    const [loaded] = await loadPluginManifests(['./package.json'], process.cwd(), { importModule: async () => ({ default: manifest([{ className: 'FixtureIdentity', serializable: FixtureIdentity, operation: { className: 'FixtureIdentity' } }]) }) });
    const registry = new PluginRegistry([loaded!]);
    expect(registry.layerOperations().map((r) => [r.value.className, r.from])).toEqual([['FixtureIdentity', 'acme-layers']]);
    expect(tf.serialization.SerializationMap.getMap().classNameMap['FixtureIdentity']?.[0]).toBe(FixtureIdentity);
  });

  it('refuses malformed registrations with the index and class named, and two packages claiming one class', async () => {
    const where = (value: unknown) => loadPluginManifests(['./package.json'], process.cwd(), { importModule: async () => ({ default: value }) });
    await expect(where(manifest({}))).rejects.toThrow(/"layers" is not an array/);
    await expect(where(manifest([{ className: 'X' }]))).rejects.toThrow(/layers\[0\] is not a layer registration/);
    await expect(where(manifest([{ className: 'Other', serializable: FixtureIdentity, operation: {} }]))).rejects.toThrow(/layers\[0\] \("Other"\): "serializable" is not a tf.serialization class with static className "Other"/);
    const a = { ...(manifest([{ className: 'FixtureIdentity', operation: {} }]) as PluginManifest), name: 'a' };
    const b = { ...a, name: 'b' };
    expect(() => new PluginRegistry([a, b])).toThrow(/layer class "FixtureIdentity" is registered by both "a" and "b"/);
  });
});
