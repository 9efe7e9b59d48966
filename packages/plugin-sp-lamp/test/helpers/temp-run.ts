import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import { saveModel } from '@whittle/kernel';
import { TempDir } from '@whittle/testing';

/** A temporary folder holding a saved model and pipeline files that load this package from source. */
export class TempRun extends TempDir {
  private count = 0;

  constructor() {
    super('whittle-sp-lamp-');
  }

  /** The plugin package's entry, relative to the folder (as a pipeline names local plugins). */
  get plugin(): string {
    return relative(this.dir, fileURLToPath(new URL('../../src/index.ts', import.meta.url)));
  }

  async saveModel(model: tf.LayersModel): Promise<string> {
    await saveModel(model, join(this.dir, 'model'));
    return 'model/model.json';
  }

  /** Writes a pipeline with this package as its plugin; returns its path and a fresh output folder. */
  pipeline(stages: unknown[], extra: Record<string, unknown> = {}): { file: string; out: string } {
    const n = this.count++;
    const file = join(this.dir, `pipeline-${n}.json`);
    writeFileSync(file, JSON.stringify({
      name: `sp-lamp-test-${n}`, seed: 1, backend: 'wasm', plugins: [this.plugin], model: { path: 'model/model.json' }, stages, ...extra,
    }, null, 2));
    return { file, out: join(this.dir, `out-${n}`) };
  }
}
