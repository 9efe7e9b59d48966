import * as tf from '@tensorflow/tfjs';

/**
 * The row-normalised similarity matrix of a batch of activations (Tung & Mori 2019, SP-KD):
 * `Q = reshape(A, [b, −1])`, `G = Q·Qᵀ` (b×b), each row divided by its L2 norm (as `F.normalize`,
 * dim 1, eps 1e-12, in RepDistiller's `distiller_zoo/SP.py`). The feature layout (NHWC or NCHW)
 * does not matter: G sums over every feature.
 *
 * ```ts
 * similarityMatrix(tf.tensor2d([[1, 0], [0, 2]])); // [[1, 0], [0, 1]]
 * ```
 */
export function similarityMatrix(activations: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const b = activations.shape[0] as number;
    const q = activations.reshape([b, -1]) as tf.Tensor2D;
    const g = tf.matMul(q, q, false, true);
    const norms = tf.maximum(tf.norm(g, 2, 1, true), 1e-12);
    return tf.div(g, norms) as tf.Tensor2D;
  });
}

/**
 * The SP-KD loss of one layer pair: `‖Ĝ_teacher − Ĝ_student‖²_F / b²`. The channel counts of the
 * two activations may differ; only the batch size must agree. `teacherSimilarity` is the teacher's
 * `similarityMatrix` (computed once, outside any gradient).
 *
 * ```ts
 * similarityLoss(studentActivations, similarityMatrix(teacherActivations));
 * ```
 */
export function similarityLoss(studentActivations: tf.Tensor, teacherSimilarity: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const b = studentActivations.shape[0] as number;
    if (teacherSimilarity.shape[0] !== b) throw new Error(`similarityLoss: batch ${b} vs teacher similarity ${teacherSimilarity.shape[0]}×${teacherSimilarity.shape[1]}`);
    const diff = tf.sub(teacherSimilarity, similarityMatrix(studentActivations));
    return tf.div(tf.sum(tf.square(diff)), b * b) as tf.Scalar;
  });
}
