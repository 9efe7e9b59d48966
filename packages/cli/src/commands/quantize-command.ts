import { quantizeModelFolder, skipSummary, type QuantizationDtype, type QuantizationReport } from '@whittle/plugin-tfjs-web';
import type { CliIo } from '../cli-io.js';

export interface QuantizeCommandOptions {
  readonly dtype: QuantizationDtype;
  readonly out: string;
  readonly skip?: readonly string[];
  readonly minElements?: number;
  readonly shardBytes?: number;
  readonly json?: boolean;
}

function bytes(n: number): string {
  return n < 10_240 ? `${n} B` : n < 10 * 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** The report as a few lines a person reads. */
export function formatQuantizationReport(modelJson: string, out: string, r: QuantizationReport): string {
  const lines = [
    `${modelJson} (${r.format}) → ${out}/ as ${r.dtype}`,
    `  weights     ${bytes(r.before.weightBytes)} → ${bytes(r.after.weightBytes)}  (${r.weightRatio.toFixed(2)}× smaller)`,
    `  model.json  ${bytes(r.before.modelJsonBytes)} → ${bytes(r.after.modelJsonBytes)}`,
    `  in all      ${bytes(r.before.totalBytes)} → ${bytes(r.after.totalBytes)}  (${r.totalRatio.toFixed(2)}× smaller), ${r.files.length} files`,
    `  ${r.quantizedTensors} tensors quantized${r.requantized.length > 0 ? ` (${r.requantized.length} of them were quantized already: decoded, then quantized again)` : ''}; largest weight error ${r.maxAbsWeightError.toExponential(2)}${r.worstTensor === undefined ? '' : ` (${r.worstTensor})`}`,
    `  kept as they were: ${skipSummary(r.skipped)}`,
    ...r.skipped.slice(0, 20).map((s) => `    ${s.name}: ${s.detail}`),
    ...(r.skipped.length > 20 ? [`    … and ${r.skipped.length - 20} more (--json lists them all)`] : []),
  ];
  if (r.after.weightBytes > r.before.weightBytes) lines.push(`  warning: the weights grew: the input stores them in fewer bytes than ${r.dtype} (it is quantized already)`);
  return `${lines.join('\n')}\n`;
}

/**
 * `whittle quantize <model.json> --dtype uint8|uint16|float16 [--skip PATTERN]… --out DIR`: quantizes a
 * LayersModel's or GraphModel's weights into a new folder that stock tfjs loaders read. DIR must be
 * new or empty; it appears complete or not at all.
 */
export async function quantizeCommand(modelJson: string, options: QuantizeCommandOptions, io: CliIo): Promise<void> {
  const report = await quantizeModelFolder(modelJson, options.out, {
    dtype: options.dtype,
    skip: options.skip ?? [],
    ...(options.minElements === undefined ? {} : { minElements: options.minElements }),
    ...(options.shardBytes === undefined ? {} : { shardBytes: options.shardBytes }),
  });
  io.stdout(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatQuantizationReport(modelJson, options.out, report));
}
