import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import { saveModel } from '@whittle/model-io';
import { TempDir } from '@whittle/testing';

/** A temporary folder holding a saved model and pipeline files that load this package from source. */
export class TempRun extends TempDir {
  private count = 0;

  constructor() {
    super('whittle-sp-lamp-');
  }

  /** The plugin package's entry, relative to the folder (as a pipeline names local plugins). */
  get plugin(): string {
    return this.relativePath('../../src/index.ts');
  }

  /** The profiler package's entry: it registers the `tfjs-profiler` latency model (tests only: this package never imports it). */
  get profiler(): string {
    return this.relativePath('../../../plugin-profiler/src/index.ts');
  }

  /** A fixture module of this package's tests (e.g. `analytic-latency`), relative to the folder. */
  fixture(name: string): string {
    return this.relativePath(`../fixtures/${name}.ts`);
  }

  private relativePath(fromHere: string): string {
    return relative(this.dir, fileURLToPath(new URL(fromHere, import.meta.url)));
  }

  async saveModel(model: tf.LayersModel): Promise<string> {
    await saveModel(model, join(this.dir, 'model'));
    return 'model/model.json';
  }

  /** Writes a pipeline with this package and the profiler as its plugins (`extra` may replace them); returns its path and a fresh output folder. */
  pipeline(stages: unknown[], extra: Record<string, unknown> = {}): { file: string; out: string } {
    const n = this.count++;
    const file = join(this.dir, `pipeline-${n}.json`);
    writeFileSync(file, JSON.stringify({
      name: `sp-lamp-test-${n}`, seed: 1, backend: 'wasm', plugins: [this.plugin, this.profiler], model: { path: 'model/model.json' }, stages, ...extra,
    }, null, 2));
    return { file, out: join(this.dir, `out-${n}`) };
  }
}
