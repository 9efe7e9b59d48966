import { numberField } from '../../topology/keras-json.js';
import type { LayerOperation, MergeKind } from '../layer-operation.js';
import { passthroughGeometry } from './call-geometry.js';
import { concatenateLowering, mergeLowering } from './onnx/merge-lowerings.js';

/** Element-wise merges (all inputs share one channel set; width-1 inputs broadcast) and Concatenate. */

function elementwise(className: string, merge: MergeKind): LayerOperation {
  return {
    className,
    channelRule: () => ({ kind: 'merge' }),
    onnx: mergeLowering(merge),
    latency(call) {
      const found = passthroughGeometry(call);
      return found === undefined || call.inputShapes.length < 2 ? undefined : { ...found.geometry, op: 'merge', merge, inputs: call.inputShapes.length };
    },
  };
}

const concatenate: LayerOperation = {
  className: 'Concatenate',
  onnx: concatenateLowering,
  channelRule(node, config) {
    const rank = node.inputShapes[0]?.length ?? 0;
    const axis = numberField(config, 'axis') ?? -1;
    return (axis < 0 ? rank + axis : axis) === rank - 1 ? { kind: 'concatenate' } : { kind: 'merge' };
  },
};

export const MERGE_OPERATIONS: readonly LayerOperation[] = [
  elementwise('Add', 'add'),
  elementwise('Subtract', 'subtract'),
  elementwise('Multiply', 'multiply'),
  elementwise('Average', 'average'),
  elementwise('Maximum', 'maximum'),
  elementwise('Minimum', 'minimum'),
  concatenate,
];
