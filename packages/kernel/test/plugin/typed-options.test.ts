import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { definePluginMeta } from '../../src/plugin/plugin.js';
import { StringEnum, withDefault, type StageOptions } from '../../src/plugin/options-schema.js';
import { runStage } from '../../src/testing/run-stage.js';
import { JitterPlugin } from '../fixtures/toy-plugins.js';

const Options = Type.Object(
  {
    ratio: Type.Number({ minimum: 0, exclusiveMaximum: 1 }),
    step: withDefault(Type.Integer({ minimum: 1 }), 8),
    label: Type.Optional(Type.String()),
    clock: withDefault(StringEnum(['wall', 'kernel']), 'wall'),
    table: Type.Optional(Type.Object({ out: withDefault(Type.String({ minLength: 1 }), 'table.json'), note: Type.Optional(Type.String()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

describe('typed plugin options', () => {
  it('types a stage\'s options from its schema: defaulted properties present, plain optional ones optional, nested too', () => {
    type O = StageOptions<typeof Options>;
    expectTypeOf<O>().toEqualTypeOf<{
      readonly ratio: number;
      readonly step: number;
      readonly clock: 'wall' | 'kernel';
      readonly label?: string;
      readonly table?: { readonly out: string; readonly note?: string };
    }>();
    const meta = definePluginMeta({ name: 'typed', hook: 'prune', description: 'typed', optionsSchema: Options });
    expectTypeOf(meta.hook).toEqualTypeOf<'prune'>();
  });

  it('declares the defaults in the schema itself, where ajv fills them in', () => {
    expect(Options.properties.step.default).toBe(8);
    expect(Options.required).toEqual(['ratio']);
    expect(Options.properties.clock).toMatchObject({ type: 'string', enum: ['wall', 'kernel'], default: 'wall' });
  });

  it('hands a tap its options with defaults applied, and refuses options outside the schema', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const before = tf.memory().numTensors;
    const outDir = mkdtempSync(join(tmpdir(), 'whittle-typed-'));
    const { metrics } = await runStage(JitterPlugin, { model, options: {}, outDir }).finally(() => rmSync(outDir, { recursive: true, force: true }));
    expect(typeof metrics['jitterSeed']).toBe('number');
    await expect(runStage(JitterPlugin, { model, options: { scale: -1 } })).rejects.toBeInstanceOf(ConfigError);
    await expect(runStage(JitterPlugin, { model, options: { scael: 1 } })).rejects.toThrow(/scael/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
