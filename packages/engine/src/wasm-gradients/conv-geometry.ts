import * as tf from '@tensorflow/tfjs';

/** Padding as tfjs kernels receive it. */
export type ConvPadding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type DimRoundingMode = 'floor' | 'round' | 'ceil';

/**
 * Everything a convolution gradient needs to know about the forward convolution, in NHWC.
 * `padTop`/`padLeft` are the forward pass's leading paddings; the trailing ones follow from the shapes.
 *
 * ```ts
 * const g = convGeometry([2, 9, 9, 3], [3, 3, 3, 8], 2, 1, 'same', undefined, false);
 * g.outHeight; // 5
 * ```
 */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Output channels of the forward conv; for a depthwise conv, inChannels × multiplier. */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Geometry of a forward NHWC convolution, computed by tfjs itself (`computeConv2DInfo`) so that
 * 'same', 'valid', numeric and explicit padding and `dimRoundingMode` mean exactly what they mean
 * in the forward kernels.
 *
 * ```ts
 * convGeometry([1, 8, 8, 4], [3, 3, 4, 2], [1, 1], [1, 1], 'valid', undefined, true).outChannels; // 8
 * ```
 */
export function convGeometry(
  inShape: readonly number[],
  filterShape: readonly number[],
  strides: number | readonly number[],
  dilations: number | readonly number[] | undefined,
  pad: ConvPadding,
  dimRoundingMode: DimRoundingMode | undefined,
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    (typeof strides === 'number' ? strides : [strides[0], strides[1]]) as [number, number],
    (dilations === undefined ? 1 : typeof dilations === 'number' ? dilations : [dilations[0], dilations[1]]) as [number, number],
    pad,
    dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Throws unless the kernel was asked for NHWC data (the only layout the wasm backend computes). */
export function assertChannelsLast(kernelName: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernelName} on wasm supports only dataFormat 'NHWC', got '${String(dataFormat)}'`);
  }
}

/** Throws unless `dy` has the shape the forward conv of geometry `g` produces (`outChannels` per pixel). */
export function assertGradientShape(kernelName: string, dy: tf.TensorInfo, g: ConvGeometry, outChannels: number): void {
  const expected = [g.batch, g.outHeight, g.outWidth, outChannels];
  if (dy.shape.length !== 4 || expected.some((size, i) => dy.shape[i] !== size)) {
    throw new Error(`${kernelName} on wasm: dy has shape [${dy.shape.join(', ')}], but the forward convolution produces [${expected.join(', ')}]`);
  }
}
