import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isWhittleError } from '@whittle/kernel';
import type { CliIo } from './cli-io.js';
import { CommandExit } from './command-exit.js';
import { versionText } from './version.js';
import { exportCommand } from './commands/export-command.js';
import { fpgaCommand } from './commands/fpga-command.js';
import { inspectCommand } from './commands/inspect-command.js';
import { pluginsCommand } from './commands/plugins-command.js';
import { profileCommand } from './commands/profile-command.js';
import { quantizeCommand } from './commands/quantize-command.js';
import { PRUNE_METHODS, pruneCommand } from './commands/prune-command.js';
import { reportCommand } from './commands/report-command.js';
import { runCommand } from './commands/run-command.js';
import { schemaCommand } from './commands/schema-command.js';
import { validateCommand } from './commands/validate-command.js';
import { terminalLogger } from './terminal-logger.js';

/** Exit codes: 0 success, 1 failure while running, 2 bad input (config, arguments, files). */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

/** A decimal number as a person writes it: `Number()` alone takes "" (0), "0x0" (0), " 1 " and "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DIGITS = /^\d+$/;

function ratioArg(value: string): number {
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`must be a decimal number in [0, 1), e.g. 0.3; got ${JSON.stringify(value)}`);
  return n;
}

/** An integer in [min, 2^53 - 1], written in decimal digits. */
function integerArg(value: string, min: number): number {
  const n = DIGITS.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(`must be an integer from ${min} to ${Number.MAX_SAFE_INTEGER} (the largest exact integer); got ${JSON.stringify(value)}`);
  }
  return n;
}

const positiveIntArg = (value: string): number => integerArg(value, 1);
const nonNegativeIntArg = (value: string): number => integerArg(value, 0);
const seedArg = (value: string): number => integerArg(value, 0);

const backendOption = (): Option => new Option('--backend <name>', 'tfjs backend').choices(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);

export function buildProgram(io: CliIo): Command {
  const program = new Command('whittle')
    .description('Compress TensorFlow.js models with pipelines of plugins.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .version(versionText(), '-V, --version', 'print the versions of whittle, its kernel and TensorFlow.js')
    .showHelpAfterError();

  program
    .command('run')
    .description('run a pipeline file')
    .argument('<pipeline.json>')
    .option('--out <dir>', 'output folder (default runs/<pipeline name>)')
    .addOption(backendOption())
    .option('--resume', 'continue after the last completed stage of the run in --out')
    .option('--force', 'use --out even when it holds files that are not a Whittle run (they are replaced once the run completes)')
    .option('--seed <n>', 'override the pipeline seed', seedArg)
    .option('--json', 'print the report as JSON')
    .action((pipeline: string, options) => runCommand(pipeline, options, io));

  program
    .command('validate')
    .description('validate a pipeline file and its plugins options, without running it')
    .argument('<pipeline.json>')
    .option('--write-schema <file>', 'write the pipeline schema composed with this pipeline plugins (for "$schema")')
    .option('--json', 'print the validated pipeline as JSON')
    .action((pipeline: string, options) => validateCommand(pipeline, options, io));

  program
    .command('inspect')
    .description('show a model: layers, output shapes, params, MACs')
    .argument('<model.json>')
    .option('--json', 'print JSON')
    .option('--plugin <package...>', 'plugin packages (names, or ./paths from here) that register the model\'s custom layers')
    .action((model: string, options) => inspectCommand(model, options, io));

  program
    .command('prune')
    .description('prune a model in one step: score channels, remove the lowest (physically smaller layers)')
    .argument('<model.json>')
    .addOption(new Option('--method <name>', 'pruning method').choices(Object.keys(PRUNE_METHODS)).default('l1-uniform'))
    .requiredOption('--ratio <r>', 'fraction of channels to remove', ratioArg)
    .option('--out <dir>', 'output folder (default runs/prune)')
    .option('--force', 'use --out even when it holds files that are not a Whittle run (they are replaced once the run completes)')
    .addOption(backendOption())
    .option('--seed <n>', 'seed (for --method random)', seedArg)
    .option('--json', 'print the report as JSON')
    .action((model: string, options) => pruneCommand(model, options, io));

  program
    .command('profile')
    .description('measure a latency model\'s table for a model on the active backend (default: the tfjs profiler\'s per-layer table), and check its predictions')
    .argument('<model.json>')
    .requiredOption('--out <file>', 'where to write the latency table (JSON)')
    .option('--latency-model <name>', 'registered latency model to profile with (default tfjs-profiler)')
    .option('--batch <n>', 'batch size to measure at (default 1)', positiveIntArg)
    .option('--step <g>', 'channel step g between measured widths (default 8)', positiveIntArg)
    .option('--runs <n>', 'timed runs per measurement (median)', positiveIntArg)
    .option('--warmup <n>', 'warm-up runs per measurement (0: none)', nonNegativeIntArg)
    .addOption(backendOption())
    .addOption(new Option('--clock <clock>', 'wall time, or GPU kernel time where the backend reports it').choices(['wall', 'kernel']))
    .addOption(new Option('--statistic <s>', 'median, or 10th percentile (steadier on a busy machine)').choices(['median', 'p10']))
    .option('--max-grid <n>', 'most measured (cin, cout) points per layer and side', positiveIntArg)
    .option('--table <file>', 'reuse the entries of an existing table')
    .option('--seed <n>', 'seed for the random widths the predictor is checked at', seedArg)
    .option('--json', 'print JSON')
    .action((model: string, options) => profileCommand(model, options, io));

  program
    .command('quantize')
    .description('quantize a model\'s weights (LayersModel or GraphModel) to uint8, uint16 or float16 into a new folder that stock tf.loadLayersModel / tf.loadGraphModel read')
    .argument('<model.json>')
    .addOption(new Option('--dtype <type>', 'storage type of the weights').choices(['uint8', 'uint16', 'float16']).makeOptionMandatory())
    .requiredOption('--out <dir>', 'new (or empty) folder for model.json and the weight shards')
    .option('--skip <pattern>', 'keep weights whose name matches this glob float32 (repeatable), e.g. "*bias" or "conv1/*"', (value: string, previous: string[] = []) => [...previous, value])
    .option('--min-elements <n>', 'keep weights with fewer elements float32 (default 0)', nonNegativeIntArg)
    .option('--shard-bytes <n>', 'weight shard size in bytes (default 4194304, as tensorflowjs_converter)', positiveIntArg)
    .option('--json', 'print the report as JSON')
    .action((model: string, options) => quantizeCommand(model, options, io));

  program
    .command('report')
    .description('write report.html beside a run\'s report.json: charts of what was pruned, what it cost and what it bought; with several run folders and --out, one page comparing them (Pareto charts, a point per run)')
    .argument('<run-folder...>')
    .option('--out <file.html>', 'with several run folders: where to write the page comparing them')
    .addOption(backendOption())
    .option('--no-latency', 'leave out the measured per-layer latency')
    .option('--runs <n>', 'timed runs per layer (median)', positiveIntArg)
    .option('--plugin <package...>', 'plugin packages (names, or ./paths from here) that register the models\' custom layers, besides the plugins of the run\'s pipeline (loaded always)')
    .option('--json', 'print JSON')
    .action((folders: string[], options) => reportCommand(folders, options, io));

  program
    .command('export')
    .description('export a model to ONNX (checked against tfjs in ONNX Runtime)')
    .argument('<model.json>')
    .addOption(new Option('--format <format>', 'file format').choices(['onnx']).makeOptionMandatory())
    .requiredOption('--out <file>', 'the file to write, e.g. model.onnx')
    .option('--plugin <package...>', 'plugin packages (names, or ./paths from here) that register the model\'s custom layers and their ONNX lowerings')
    .option('--no-check', 'do not run the exported file in ONNX Runtime against tfjs')
    .option('--json', 'print JSON')
    .action((model: string, options) => exportCommand(model, options, io));

  program
    .command('fpga')
    .description('the model on N3H-Core\'s FPGA DSP + LUT GEMM cores: per layer M, K, N, bits, split, each core\'s ms; totals, DSP-only and LUT-only, resources against the board')
    .argument('<model.json>')
    .option('--board <name>', 'FPGA the design must fit: xc7z020 or xc7z045 (default xc7z020)')
    .option('--hw <params>', 'hardware point, all six: Dk=128,Dm=8,Dn=16,Bm=8192,Lmem=8192,Rmem=2048 (default this one, or the --policy file\'s)')
    .option('--bits <WxAy>', 'LUT-core bits of every GEMM layer, e.g. W4A4 (default W8A8)')
    .option('--edge-bits <n>', 'bits of the first and last GEMM layers (default: as --bits)', positiveIntArg)
    .option('--policy <file>', 'per-layer bits and splits (the fpga-policy.json or n3h-policy.json of a run, or a search\'s design file)')
    .option('--ratio <r>', 'share of output channels on the LUT core: auto (balancing scan per layer, the default) or 0..1')
    .option('--allow-oversized', 'report a design that does not fit the board instead of refusing it')
    .option('--plugin <package...>', 'plugin packages (names, or ./paths from here) that register the model\'s custom layers')
    .option('--json', 'print JSON')
    .action((model: string, options) => fpgaCommand(model, options, io));

  program
    .command('plugins')
    .description('list installed plugin packages, their hooks and deploy targets')
    .option('--json', 'print JSON')
    .action((options) => pluginsCommand(options, io));

  program
    .command('schema')
    .description('print (or write) the pipeline JSON Schema composed with every installed plugin package')
    .option('--out <file>', 'write it to a file instead of stdout')
    .action((options) => schemaCommand(options, io));

  return program;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code; never calls
 * `process.exit`, so tests can run it in-process.
 *
 * ```ts
 * const code = await main(['validate', 'examples/quickstart/pipeline.json']);
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return EXIT.ok;
      return EXIT.badInput;
    }
    if (error instanceof CommandExit) return error.exitCode;
    if (isWhittleError(error)) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failure;
  }
}

export function defaultIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    logger: terminalLogger(),
  };
}
