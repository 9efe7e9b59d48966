import { covariance, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { inputError } from '@whittle/kernel';

/** Mean and covariance of a set of feature vectors (the Gaussian a Fréchet distance compares). */
export interface FeatureGaussian {
  readonly mean: Float64Array;
  readonly covariance: Matrix;
  readonly count: number;
}

/**
 * Mean and (unbiased) covariance of feature rows: `features` is n × d, row-major.
 *
 * ```ts
 * const g = featureGaussian(new Float32Array([0, 1, 2, 3]), 2); // two 2-d rows
 * ```
 */
export function featureGaussian(features: Float32Array | Float64Array, dims: number): FeatureGaussian {
  if (!Number.isInteger(dims) || dims < 1 || features.length % dims !== 0) {
    throw inputError('FRECHET_BAD_FEATURES', `frechet: ${features.length} values are not rows of ${dims} features`, 'Pass n × d feature values, row-major.');
  }
  const n = features.length / dims;
  if (n < 2) throw inputError('FRECHET_TOO_FEW', `frechet: needs at least 2 feature vectors for a covariance, got ${n}`, 'Measure it on more images (hundreds or more for a stable estimate).');
  const rows = Array.from({ length: n }, (_, i) => Array.from(features.subarray(i * dims, (i + 1) * dims)));
  const m = new Matrix(rows);
  const mean = Float64Array.from(m.mean('column'));
  return { mean, covariance: covariance(m), count: n };
}

/** √ of a symmetric positive semi-definite matrix by its eigendecomposition (negative round-off eigenvalues → 0). */
function symmetricSqrt(a: Matrix): Matrix {
  const evd = new EigenvalueDecomposition(a, { assumeSymmetric: true });
  const v = evd.eigenvectorMatrix;
  const roots = evd.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0)));
  return v.mmul(Matrix.diag(roots)).mmul(v.transpose());
}

/**
 * Fréchet distance between two Gaussians: ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½). The trace of
 * (Σ₁Σ₂)^½ equals that of (Σ₁^½ Σ₂ Σ₁^½)^½, a symmetric PSD matrix, so both square roots are
 * symmetric eigendecompositions (ml-matrix): stable where Σ₁Σ₂ itself is not symmetric.
 *
 * ```ts
 * const d = frechetDistance(featureGaussian(real, 64), featureGaussian(fake, 64)); // ≥ 0, 0 for equal sets
 * ```
 */
export function frechetDistance(a: FeatureGaussian, b: FeatureGaussian): number {
  if (a.mean.length !== b.mean.length) {
    throw inputError('FRECHET_BAD_FEATURES', `frechet: feature sizes differ (${a.mean.length} vs ${b.mean.length})`, 'Compute both sets with the same feature extractor.');
  }
  let meanTerm = 0;
  for (let i = 0; i < a.mean.length; i++) meanTerm += ((a.mean[i] ?? 0) - (b.mean[i] ?? 0)) ** 2;
  const rootA = symmetricSqrt(a.covariance);
  const inner = rootA.mmul(b.covariance).mmul(rootA);
  const symmetric = inner.add(inner.transpose()).div(2);
  const crossTrace = symmetricSqrt(symmetric).trace();
  const value = meanTerm + a.covariance.trace() + b.covariance.trace() - 2 * crossTrace;
  return Math.max(value, 0);
}
