import type * as tf from '@tensorflow/tfjs';
import { join, normalize } from 'node:path';
import { runtimeError } from '../errors/whittle-error.js';
import { atomicWriteFile, saveModel } from '@whittle/model-io';
import { leavesFolder } from './leaves-folder.js';
import type { ArtifactStore } from '../hooks/stage-types.js';

/** An `ArtifactStore` writing under `<root>/<stageDir>/`, atomically. */
export class StageArtifactStore implements ArtifactStore {
  readonly written: string[] = [];

  constructor(
    readonly root: string,
    private readonly stageDir: string,
  ) {}

  async writeFile(relativePath: string, data: string | Uint8Array): Promise<string> {
    const rel = this.inside(relativePath);
    await atomicWriteFile(join(this.root, rel), data);
    this.written.push(rel);
    return rel;
  }

  async saveModel(relativeDir: string, model: tf.LayersModel): Promise<string> {
    const rel = this.inside(relativeDir);
    await saveModel(model, join(this.root, rel));
    this.written.push(rel);
    return rel;
  }

  private inside(relativePath: string): string {
    if (leavesFolder(this.stageDir, relativePath)) {
      throw runtimeError('ARTIFACT_PATH_ESCAPES', `artifact path "${relativePath}" leaves the stage's folder ${this.stageDir}`, 'Use a relative path without "..".');
    }
    return normalize(join(this.stageDir, relativePath));
  }
}
