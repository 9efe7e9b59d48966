import type * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../errors/whittle-error.js';
import { atomicWriteFile, loadModel, saveModel } from '@whittle/model-io';
import type { LayerPrecision, ScoreTable } from '../hooks/stage-types.js';

/** What a completed stage leaves for `--resume` and for `{"teacher": {"stage": N}}`. */
export interface CheckpointState {
  /** Folder (relative to the output folder) holding the model after this stage; may be an earlier stage's. */
  readonly modelDir: string;
  readonly scores?: Readonly<Record<string, number[]>>;
  readonly precision?: Readonly<Record<string, LayerPrecision>>;
}

const STATE_FILE = 'checkpoint.json';

/** Writes a stage's checkpoint: the model (when `model` is given) and the state beside it. */
export async function writeCheckpoint(
  outDir: string,
  stageDir: string,
  state: { model?: tf.LayersModel; previousModelDir?: string; scores?: ScoreTable; precision: ReadonlyMap<string, LayerPrecision> },
): Promise<CheckpointState> {
  let modelDir = state.previousModelDir;
  if (state.model !== undefined) {
    modelDir = join(stageDir, 'model');
    await saveModel(state.model, join(outDir, modelDir));
  }
  if (modelDir === undefined) throw new Error('writeCheckpoint: neither a model nor a previous checkpoint');
  const checkpoint: CheckpointState = {
    modelDir,
    ...(state.scores === undefined ? {} : { scores: Object.fromEntries([...state.scores].map(([k, v]) => [k, Array.from(v)])) }),
    ...(state.precision.size === 0 ? {} : { precision: Object.fromEntries(state.precision) }),
  };
  await atomicWriteFile(join(outDir, stageDir, STATE_FILE), JSON.stringify(checkpoint));
  return checkpoint;
}

export async function readCheckpoint(outDir: string, stageDir: string): Promise<CheckpointState> {
  const file = join(outDir, stageDir, STATE_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CheckpointState;
  } catch (error) {
    throw inputError('CHECKPOINT_MISSING', `cannot resume: ${file} is missing or unreadable`, 'Run again without --resume.', error);
  }
}

export function checkpointScores(state: CheckpointState): ScoreTable | undefined {
  return state.scores === undefined ? undefined : new Map(Object.entries(state.scores).map(([k, v]) => [k, Float32Array.from(v)]));
}

export async function loadCheckpointModel(outDir: string, state: CheckpointState): Promise<tf.LayersModel> {
  return loadModel(join(outDir, state.modelDir, 'model.json'));
}
