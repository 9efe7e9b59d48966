import type * as tf from '@tensorflow/tfjs';

type Shape = (number | null)[];
const prod = (xs: readonly (number | null)[]): number => xs.reduce<number>((a, b) => a * (b ?? 1), 1);
const shapes = (s: Shape | Shape[]): Shape[] => (Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape]);

/**
 * Parameters and MACs (one example) of a freshly built model, by textbook formulas from each
 * layer's config and its call shapes; written independently of the graph package and the kernel.
 */
export function formulaCosts(model: tf.LayersModel): { params: number; macs: number } {
  let params = 0;
  let macs = 0;
  for (const layer of model.layers) {
    const config = layer.getConfig() as { kernelSize?: number[]; filters?: number; units?: number; useBias?: boolean; depthMultiplier?: number; scale?: boolean; center?: boolean };
    const node = layer.inboundNodes[0];
    if (node === undefined) continue;
    const input = shapes(node.inputShapes as Shape | Shape[])[0] as Shape;
    const output = shapes(node.outputShapes as Shape | Shape[])[0] as Shape;
    const cin = input[input.length - 1] as number;
    const cout = output[output.length - 1] as number;
    const taps = prod(config.kernelSize ?? [1]);
    const bias = config.useBias === false ? 0 : 1;
    // tfjs 4.22 SeparableConv getConfig() omits depthMultiplier: read the layer's own field.
    const m = (layer as unknown as { depthMultiplier?: number }).depthMultiplier ?? config.depthMultiplier ?? 1;
    const outPos = prod(output.slice(1, -1));
    const inPos = prod(input.slice(1, -1));
    switch (layer.getClassName()) {
      case 'Conv2D':
        params += taps * cin * cout + bias * cout;
        macs += outPos * cout * taps * cin;
        break;
      case 'Conv2DTranspose':
        params += taps * cin * cout + bias * cout;
        macs += inPos * cin * taps * cout;
        break;
      case 'Dense':
        params += cin * cout + bias * cout;
        macs += outPos * cin * cout;
        break;
      case 'DepthwiseConv2D':
        params += taps * cin * m + bias * cin * m;
        macs += outPos * cin * m * taps;
        break;
      case 'SeparableConv2D':
        params += taps * cin * m + cin * m * cout + bias * cout;
        macs += outPos * (cin * m * taps + cin * m * cout);
        break;
      case 'BatchNormalization':
        params += cin * (2 + (config.scale === false ? 0 : 1) + (config.center === false ? 0 : 1));
        break;
      default:
        if (layer.countParams() !== 0) throw new Error(`formulaCosts: no formula for ${layer.getClassName()}`);
    }
  }
  return { params, macs };
}
