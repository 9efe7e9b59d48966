import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { injectable } from 'tsyringe';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel.js';
import type { PluginMeta, WhittlePlugin } from '../../src/plugin/plugin.js';
import type { DeployResult } from '../../src/hooks/stage-types.js';
import { runStage } from '../../src/testing/run-stage.js';

/** deploy `where`: writes an artifact and records the folder it went to; fails with `fail: true`. */
@injectable()
class WhereTarget implements WhittlePlugin {
  static readonly meta: PluginMeta = { name: 'where', hook: 'deploy', description: 'records its artifact folder', optionsSchema: { type: 'object', additionalProperties: false, properties: { fail: { type: 'boolean', default: false } } } };
  readonly name = 'where';
  apply(kernel: Kernel): void {
    kernel.hooks.deploy.for(this.name).tapPromise(this.name, async (result, call) => {
      const file = await call.ctx.artifacts.writeFile('x.txt', 'x');
      (globalThis as { __whereRoot?: string }).__whereRoot = call.ctx.artifacts.root;
      if ((call.options as { fail: boolean }).fail) throw new Error('asked to fail');
      return { ...result, files: [file] };
    });
  }
}

/** recover `bad`: returns something that is not a model. */
@injectable()
class BadRecover implements WhittlePlugin {
  static readonly meta: PluginMeta = { name: 'bad', hook: 'recover', description: 'returns garbage', optionsSchema: { type: 'object' } };
  readonly name = 'bad';
  apply(kernel: Kernel): void {
    kernel.hooks.recover.for(this.name).tapPromise(this.name, async () => ({}) as tf.LayersModel);
  }
}

const lastRoot = (): string => (globalThis as { __whereRoot?: string }).__whereRoot!;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runStage', () => {
  it('removes the whittle-stage-* folder it made when the call returns, also when the plugin throws', async () => {
    const before = tf.memory().numTensors;
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    try {
      const { value } = await runStage<DeployResult>(WhereTarget, { model });
      expect(value.files).toEqual(['stages/00/x.txt']);
      expect(dirname(lastRoot())).toBe(tmpdir());
      expect(basename(lastRoot())).toMatch(/^whittle-stage-/);
      expect(existsSync(lastRoot())).toBe(false);

      await expect(runStage(WhereTarget, { model, options: { fail: true } })).rejects.toThrow('asked to fail');
      expect(existsSync(lastRoot())).toBe(false);

      // A folder the caller passed is the caller's: kept, with what the stage wrote.
      const own = mkdtempSync(join(tmpdir(), 'whittle-own-'));
      try {
        await runStage(WhereTarget, { model, outDir: own });
        expect(lastRoot()).toBe(own);
        expect(readdirSync(join(own, 'stages', '00'))).toEqual(['x.txt']);
      } finally {
        rmSync(own, { recursive: true, force: true });
      }
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checks what a stage hook returns against the hook table (a model hook must return a model)', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    try {
      await expect(runStage(BadRecover, { model })).rejects.toMatchObject({ code: 'PLUGIN_RESULT_INVALID', message: expect.stringContaining('other than a LayersModel') as string });
    } finally {
      model.dispose();
    }
  });
});
