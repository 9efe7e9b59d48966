import * as tf from '@tensorflow/tfjs';

/**
 * Gradients of `Sum` and `Mean` that broadcast dy with one `Tile` (on wasm a block copy, see
 * broadcast-tile.ts) when the active backend is wasm. tfjs's own gradients multiply dy by
 * `ones(x.shape)`, which fills a full-size tensor from JavaScript first (about 1 ms per
 * 32×32×32×16 activation, twice per BatchNormalization layer). Values are identical: the stock
 * gradient multiplies by exactly 1. Other backends keep the gradient `stock`.
 *
 * ```ts
 * tf.registerGradient(broadcastReductionGradConfig(tf.getGradient('Mean')!, 'mean'));
 * ```
 */
export function broadcastReductionGradConfig(stock: tf.GradConfig, reduction: 'sum' | 'mean'): tf.GradConfig {
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const dyTensor = dy as tf.Tensor;
      if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || dyTensor.dtype !== 'float32') return stock.gradFunc(dy, saved, attrs);
      const axes = tf.util.parseAxisParam((attrs as unknown as tf.SumAttrs).axis, x.shape);
      const expandedShape = x.shape.slice();
      for (const axis of axes) expandedShape[axis] = 1;
      const reduceSize = axes.reduce((size, axis) => size * (x.shape[axis] as number), 1);
      return {
        x: () => {
          const scaled = reduction === 'mean' ? tf.div(dyTensor, reduceSize) : dyTensor;
          return tf.broadcastTo(tf.reshape(scaled, expandedShape), x.shape);
        },
      };
    },
  };
}
