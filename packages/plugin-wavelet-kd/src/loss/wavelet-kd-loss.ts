import * as tf from '@tensorflow/tfjs';
import { haarDwt } from '@whittle/metrics';

/** Which Haar bands the distillation compares: the paper's `high` (LH, HL, HH of every level), `low` (LL only) or `all`. */
export const WKD_BANDS = ['high', 'low', 'all'] as const;
export type WkdBands = (typeof WKD_BANDS)[number];

/**
 * The Wavelet KD loss (Zhang et al., CVPR 2022; the authors' code): J-level Haar DWT of the teacher's
 * and the student's images; per level the L1 distance (mean) over the level's three detail bands
 * LH, HL, HH together, summed over the J levels. `bands: "low"` uses the coarsest LL band alone
 * (mean L1), `"all"` adds it to the detail terms — the paper's ablation. Differentiable in `student`;
 * `teacher` is a constant. Returns a scalar.
 *
 * ```ts
 * const loss = waveletKdLoss(teacherImages, studentImages, 3); // 0 when they are equal
 * ```
 */
export function waveletKdLoss(teacher: tf.Tensor4D, student: tf.Tensor4D, levels: number, bands: WkdBands = 'high'): tf.Scalar {
  return tf.tidy(() => {
    const t = haarDwt(teacher, levels);
    const s = haarDwt(student, levels);
    const terms: tf.Scalar[] = [];
    if (bands !== 'low') {
      for (let j = 0; j < levels; j++) {
        const tj = t.high[j]!;
        const sj = s.high[j]!;
        // The three bands have one shape, so the mean over their union is the mean of the three means.
        terms.push(tf.addN([tj.lh.sub(sj.lh).abs().mean(), tj.hl.sub(sj.hl).abs().mean(), tj.hh.sub(sj.hh).abs().mean()]).div(3) as tf.Scalar);
      }
    }
    if (bands !== 'high') terms.push(t.low.sub(s.low).abs().mean() as tf.Scalar);
    return tf.addN(terms) as tf.Scalar;
  });
}
