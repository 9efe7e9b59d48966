import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Ajv } from 'ajv';
import { isWhittleError, type ModelBuildEnv } from '@whittle/kernel';
import { beforeAll, describe, expect, it } from 'vitest';
import { zooModelBuilders } from '../src/index.js';
import { withoutLeaks } from '@whittle/testing';

const env: ModelBuildEnv = { inputShape: [32, 32, 3], numClasses: 10, seed: 1 };

/** The output shape each builder gives for `env` with its default options. */
const expectedOutput: Record<string, number[]> = {
  'small-cnn': [1, 10],
  'resnet': [1, 10],
  'resnet18-imagenet': [1, 10],
  'vgg-small': [1, 10],
  'mobilenet-v2-style': [1, 10],
  'inception-style': [1, 10],
  'unet': [1, 32, 32, 10],
  'pix2pix-generator': [1, 32, 32, 3],
  'patchgan-discriminator': [1, 2, 2, 1],
};

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('zooModelBuilders', () => {
  it('lists every zoo builder once, by pipeline name', () => {
    expect(zooModelBuilders.map((b) => b.name).sort()).toEqual(Object.keys(expectedOutput).sort());
  });

  it.each(zooModelBuilders.map((b) => [b.name, b] as const))('%s: has a strict, described, defaulted options schema', (_, builder) => {
    const schema = builder.optionsSchema as { additionalProperties: unknown; properties: Record<string, { description?: string }> };
    expect(schema.additionalProperties).toBe(false);
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    const ajv = new Ajv({ strict: true, useDefaults: true });
    const validate = ajv.compile(builder.optionsSchema);
    const options: Record<string, unknown> = {};
    expect(validate(options)).toBe(true);
    expect(options['bnMomentum']).toBe(0.9);
    expect(validate({ notAnOption: 1 })).toBe(false);
  });

  it.each(zooModelBuilders.map((b) => [b.name, b] as const))('%s: builds from the data env and schema defaults', async (name, builder) => {
    await withoutLeaks(() => {
      const options: Record<string, unknown> = {};
      new Ajv({ useDefaults: true }).compile(builder.optionsSchema)(options);
      const model = builder.build(options, env);
      const inputs = model.inputs.map((input) => tf.zeros([1, ...(input.shape.slice(1) as number[])]));
      const output = model.predict(inputs.length === 1 ? inputs[0] as tf.Tensor : inputs) as tf.Tensor;
      expect(output.shape).toEqual(expectedOutput[name]);
      tf.dispose([...inputs, output]);
      model.dispose();
    });
  });

  it('passes options through and rejects unknown ones even without schema validation', async () => {
    const resnet = zooModelBuilders.find((b) => b.name === 'resnet');
    if (resnet === undefined) throw new Error('resnet builder missing');
    await withoutLeaks(() => {
      const model = resnet.build({ depth: 8, width: 4 }, env);
      expect(model.layers.filter((l) => l.name.endsWith('_add'))).toHaveLength(3);
      expect(model.getLayer('stem_conv').getConfig()['filters']).toBe(4);
      model.dispose();
    });
    const error = (() => { try { resnet.build({ depht: 20 }, env); } catch (e) { return e; } return undefined; })();
    expect(isWhittleError(error) && error.kind === 'input' && error.code === 'ZOO_UNKNOWN_OPTION').toBe(true);
  });

  it.each(zooModelBuilders.map((b) => [b.name, b] as const))('%s: bounds its size options in the schema and in the builder', (_, builder) => {
    const validate = new Ajv({ strict: false }).compile(builder.optionsSchema);
    const properties = (builder.optionsSchema as { properties: Record<string, { type?: string; maximum?: number; exclusiveMaximum?: number }> }).properties;
    for (const [key, property] of Object.entries(properties)) {
      if (property.type !== 'integer' && property.type !== 'number') continue;
      expect(property.maximum ?? property.exclusiveMaximum, `${key} has no maximum`).toBeDefined();
      expect(validate({ [key]: 1e12 }), key).toBe(false);
      // The builder refuses it by name too (callers may skip the schema), before tfjs allocates anything.
      const defaults: Record<string, unknown> = {};
      new Ajv({ strict: false, useDefaults: true }).compile(builder.optionsSchema)(defaults);
      const error = (() => { try { builder.build({ ...defaults, [key]: 1e12 }, env); } catch (e) { return e; } return undefined; })();
      expect(isWhittleError(error) && error.kind === 'input' && error.message.includes(key), `${key}: ${String(error)}`).toBe(true);
    }
  });

  it('refuses options within bounds whose model is too large to allocate, freeing the weights built so far', async () => {
    const vgg = zooModelBuilders.find((b) => b.name === 'vgg-small')!;
    await withoutLeaks(() => {
      // Flatten of a 32768² input is 67M features: a hidden Dense of 65536 units needs 4.4e12 weights.
      const error = (() => { try { vgg.build({ width: 1, denseUnits: 65536 }, { inputShape: [32768, 32768, 3], numClasses: 2, seed: 0 }); } catch (e) { return e; } return undefined; })();
      expect(isWhittleError(error) && error.kind === 'input' && error.code === 'ZOO_MODEL_TOO_LARGE', String(error)).toBe(true);
      expect((error as Error).message).toContain('too large to allocate');
    });
  });

  it('builds equal weights for equal env seeds', async () => {
    const smallCnn = zooModelBuilders.find((b) => b.name === 'small-cnn');
    if (smallCnn === undefined) throw new Error('small-cnn builder missing');
    await withoutLeaks(() => {
      const [a, b] = [smallCnn.build({}, env), smallCnn.build({}, env)];
      const [ka, kb] = [a.getLayer('block2_conv').getWeights()[0], b.getLayer('block2_conv').getWeights()[0]];
      expect(Array.from(ka?.dataSync() ?? [])).toEqual(Array.from(kb?.dataSync() ?? [1]));
      a.dispose();
      b.dispose();
    });
  });
});
