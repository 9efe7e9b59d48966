import * as tf from '@tensorflow/tfjs';
import { channelQuantErrors } from './fake-quantize.js';

/** DSP-core channels are always quantized to 8-bit weights (N3H `quantize_utils_ru.py`). */
export const DSP_WEIGHT_BITS = 8;

/**
 * The output channels that go to the LUT core: the `count` channels with the lowest quantization
 * error at the LUT core's `weightBits` (N3H assigns by per-channel KL divergence; here the relative
 * squared error, see `channelQuantErrors`), ties by index. Sorted ascending.
 */
export function lutChannelSet(kernel: tf.Tensor, count: number, weightBits: number): number[] {
  const errors = channelQuantErrors(kernel, weightBits);
  const order = Array.from(errors.keys()).sort((a, b) => (errors[a] as number) - (errors[b] as number) || a - b);
  return order.slice(0, count).sort((a, b) => a - b);
}

/** Per-channel weight bits: `weightBits` on the LUT channels, 8 on the DSP channels. */
export function channelBits(channels: number, lutChannels: readonly number[], weightBits: number): number[] {
  const bits = new Array<number>(channels).fill(DSP_WEIGHT_BITS);
  for (const c of lutChannels) bits[c] = weightBits;
  return bits;
}

/** `0-5,9,12-20`: a channel set as ranges, for the precision scheme string and the policy file. */
export function formatChannelRanges(channels: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < channels.length; i++) {
    const start = channels[i] as number;
    let end = start;
    while (i + 1 < channels.length && channels[i + 1] === end + 1) end = channels[++i] as number;
    parts.push(start === end ? `${start}` : `${start}-${end}`);
  }
  return parts.join(',');
}

export function parseChannelRanges(text: string): number[] {
  if (text === '') return [];
  return text.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

/** The `LayerPrecision.scheme` the quantize stage records, read back by the QAT recover stage: `n3h ratio=0.63 lut=0-5,9`. */
export function splitScheme(ratio: number, lutChannels: readonly number[]): string {
  return `n3h ratio=${ratio} lut=${formatChannelRanges(lutChannels)}`;
}

export function parseSplitScheme(scheme: string | undefined): { ratio: number; lutChannels: number[] } | undefined {
  const match = /^n3h ratio=([\d.]+) lut=([\d,-]*)$/.exec(scheme ?? '');
  if (match === null) return undefined;
  return { ratio: Number(match[1]), lutChannels: parseChannelRanges(match[2] as string) };
}
