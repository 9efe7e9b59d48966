import type * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../backend/index.js';
import type { DatasetSplits } from '../data/dataset.js';
import type { Logger } from '../logging/logger.js';
import { RunMemo } from './run-memo.js';
import type { ArtifactStore, LayerPrecision, RunContext, ScoreTable } from '../hooks/stage-types.js';

/** The runner's side of `RunContext`: the same state, with setters only the runner uses. */
export class MutableRunContext implements RunContext {
  model: tf.LayersModel;
  scores: ScoreTable | undefined;
  readonly precision = new Map<string, LayerPrecision>();
  artifacts: ArtifactStore;
  private teacherModel: tf.LayersModel | undefined;

  constructor(
    init: { model: tf.LayersModel; artifacts: ArtifactStore },
    readonly data: DatasetSplits | undefined,
    readonly seed: number,
    readonly backend: BackendChoice,
    readonly logger: Logger,
    readonly configDir: string,
    private readonly loadTeacher: () => Promise<tf.LayersModel>,
    readonly memo: RunMemo = new RunMemo(),
  ) {
    this.model = init.model;
    this.artifacts = init.artifacts;
  }

  async teacher(): Promise<tf.LayersModel> {
    this.teacherModel ??= await this.loadTeacher();
    return this.teacherModel;
  }

  /** Frees the models, the data and the memo the run owns. */
  dispose(): void {
    this.memo.dispose();
    this.model.dispose();
    this.teacherModel?.dispose();
    this.data?.dispose();
  }
}
