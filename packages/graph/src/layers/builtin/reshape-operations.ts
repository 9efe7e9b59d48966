import type { LayerOperation } from '../layer-operation.js';
import { flattenLowering, reshapeLowering } from './onnx/reshape-lowerings.js';

/** Flatten and Reshape: channels repeat or fold along the new last axis. */

const flatten: LayerOperation = { className: 'Flatten', channelRule: () => ({ kind: 'reshape' }), onnx: flattenLowering };

const reshape: LayerOperation = {
  className: 'Reshape',
  onnx: reshapeLowering,
  channelRule: () => ({ kind: 'reshape' }),
  resizeConfig(config, keep) {
    const target = config['target_shape'];
    if (keep.out !== null && Array.isArray(target) && target.length > 0 && target[target.length - 1] !== -1) target[target.length - 1] = keep.out.length;
  },
};

export const RESHAPE_OPERATIONS: readonly LayerOperation[] = [flatten, reshape];
