import { checkPipelineInputs, composePipelineSchema, loadPipeline, stagePluginName } from '@whittle/kernel';
import { atomicWriteFile, checkOutputFilePath } from '@whittle/model-io';
import type { CliIo } from '../cli-io.js';
import { DEFAULT_MANIFESTS } from '../default-manifests.js';

export interface ValidateCommandOptions {
  /** Also write the pipeline schema composed with this pipeline's plugins (for editors' `$schema`). */
  readonly writeSchema?: string;
  readonly json?: boolean;
}

export async function validateCommand(pipeline: string, options: ValidateCommandOptions, io: CliIo): Promise<void> {
  if (options.writeSchema !== undefined) await checkOutputFilePath(options.writeSchema, 'the schema (--write-schema)');
  const loaded = await loadPipeline(pipeline, { defaultManifests: DEFAULT_MANIFESTS });
  await checkPipelineInputs(loaded);
  const { config, registry, file } = loaded;
  if (options.writeSchema !== undefined) await atomicWriteFile(options.writeSchema, `${JSON.stringify(composePipelineSchema(registry), null, 2)}\n`);
  if (options.json === true) {
    io.stdout(`${JSON.stringify({ valid: true, file, config }, null, 2)}\n`);
    return;
  }
  const stages = config.stages.map((s, i) => `  ${i}: ${s.hook} ${stagePluginName(s)}`).join('\n');
  io.stdout(`${file}: valid\n${stages}\n`);
}
