import { runPipeline, type BackendPreference } from '@whittle/kernel';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_MANIFESTS } from '../default-manifests.js';
import { formatReportTable } from '../format-report.js';

export interface RunCommandOptions {
  readonly out?: string;
  readonly backend?: BackendPreference;
  readonly resume?: boolean;
  readonly seed?: number;
  readonly json?: boolean;
}

export async function runCommand(pipeline: string, options: RunCommandOptions, io: CliIo): Promise<void> {
  const report = await runPipeline(pipeline, {
    logger: io.logger,
    defaultManifests: DEFAULT_MANIFESTS,
    ...(options.out === undefined ? {} : { outDir: options.out }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.resume === undefined ? {} : { resume: options.resume }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  io.stdout(options.json === true ? JSON.stringify(report, null, 2) : formatReportTable(report));
}
