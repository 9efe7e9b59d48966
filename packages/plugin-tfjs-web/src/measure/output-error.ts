import * as tf from '@tensorflow/tfjs';

/** How far a model's outputs moved, over every output element of every example compared. */
export interface OutputError {
  /** Largest |candidate − reference|. */
  readonly maxAbs: number;
  readonly meanAbs: number;
  /** maxAbs ÷ the largest |reference| (0 when the reference is all zeros and so is the error). */
  readonly relative: number;
}

/**
 * Compares two models' outputs for the same inputs (one tensor per output, in order). Reads back
 * with `data()` so it works on every backend; disposes what it creates, not its arguments.
 *
 * ```ts
 * const error = await outputError(toList(a.predict(x)), toList(b.predict(x)));
 * ```
 */
export async function outputError(reference: readonly tf.Tensor[], candidate: readonly tf.Tensor[]): Promise<OutputError> {
  if (reference.length !== candidate.length) throw new RangeError(`outputError: ${reference.length} reference outputs vs ${candidate.length}`);
  let maxAbs = 0;
  let sumAbs = 0;
  let count = 0;
  let scale = 0;
  for (const [i, ref] of reference.entries()) {
    const other = candidate[i]!;
    if (ref.shape.join() !== other.shape.join()) throw new RangeError(`outputError: output ${i} has shape [${ref.shape.join(', ')}] vs [${other.shape.join(', ')}]`);
    const [a, b] = await Promise.all([ref.data(), other.data()]);
    for (let j = 0; j < a.length; j++) {
      const d = Math.abs(Number(b[j]) - Number(a[j]));
      if (d > maxAbs || Number.isNaN(d)) maxAbs = Number.isNaN(d) ? Infinity : d;
      sumAbs += d;
      scale = Math.max(scale, Math.abs(Number(a[j])));
    }
    count += a.length;
  }
  return { maxAbs, meanAbs: count === 0 ? 0 : sumAbs / count, relative: scale === 0 ? (maxAbs === 0 ? 0 : Infinity) : maxAbs / scale };
}

/** A prediction as a list of tensors. */
export function outputList(output: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): tf.Tensor[] {
  if (output instanceof tf.Tensor) return [output];
  if (Array.isArray(output)) return output;
  return Object.keys(output).sort().map((k) => output[k]!);
}

/**
 * The output error of `candidate` against `reference` on `inputs`: both models predict, and every
 * tensor made here is disposed.
 */
export async function compareLayersModels(reference: tf.LayersModel, candidate: tf.LayersModel, inputs: tf.Tensor | tf.Tensor[]): Promise<OutputError> {
  const a = outputList(reference.predict(inputs));
  const b = outputList(candidate.predict(inputs));
  try {
    return await outputError(a, b);
  } finally {
    tf.dispose([...a, ...b]);
  }
}
