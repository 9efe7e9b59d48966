import type * as ort from 'onnxruntime-node';
import { inputError, runtimeError } from '@whittle/kernel';
import type { OnnxEndpoint } from '../export/onnx-graph-builder.js';

/** How ONNX Runtime runs a model. */
export interface OrtSessionOptions {
  /** Threads one operator may use (ORT's intra-op pool). Default 1. */
  readonly intraOpThreads?: number;
  /** ORT's graph optimisation level. Default 'all' (layout transforms, fusions). */
  readonly optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Profile every run (ORT's per-node timings), written by `endProfiling` to a JSON file starting with this path. */
  readonly profileFilePrefix?: string;
}

/** One batch of inputs as float32 values in tfjs's (NHWC) order, with their shapes. */
export interface OrtFeed {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/**
 * An ONNX Runtime (onnxruntime-node, CPU) session over an exported model: `run` takes NHWC
 * float32 inputs and returns the outputs' values. Call `release()` when done (native memory).
 *
 * ```ts
 * const session = await OrtSession.create(exported.bytes, exported, { intraOpThreads: 1 });
 * const [logits] = await session.run([{ values: new Float32Array(32 * 32 * 3), shape: [1, 32, 32, 3] }]);
 * await session.release();
 * ```
 */
/** onnxruntime-node, loaded on first use (its native library is 45 MB: commands that never run ORT do not pay for it). */
let runtime: Promise<typeof ort> | undefined;
function onnxRuntime(): Promise<typeof ort> {
  runtime ??= import('onnxruntime-node').catch((error: unknown) => {
    runtime = undefined;
    throw runtimeError('ORT_NOT_AVAILABLE', `onnxruntime-node could not be loaded: ${(error as Error).message}`, 'Install onnxruntime-node (its CPU binaries ship in the package; skip its CUDA download with ONNXRUNTIME_NODE_INSTALL=skip).', error);
  });
  return runtime;
}

export class OrtSession {
  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: ort.InferenceSession,
    readonly inputs: readonly OnnxEndpoint[],
    readonly outputs: readonly OnnxEndpoint[],
  ) {}

  static async create(bytes: Uint8Array, endpoints: { readonly inputs: readonly OnnxEndpoint[]; readonly outputs: readonly OnnxEndpoint[] }, options: OrtSessionOptions = {}): Promise<OrtSession> {
    const threads = options.intraOpThreads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw inputError('ORT_BAD_OPTION', `intraOpThreads must be an integer ≥ 1, got ${String(threads)}`, 'Use 1 or 2 on this machine.');
    const lib = await onnxRuntime();
    let session: ort.InferenceSession;
    try {
      session = await lib.InferenceSession.create(bytes, {
        intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: options.optimization ?? 'all', executionProviders: ['cpu'],
        ...(options.profileFilePrefix === undefined ? {} : { enableProfiling: true, profileFilePrefix: options.profileFilePrefix }),
      });
    } catch (error) {
      throw runtimeError('ORT_SESSION_FAILED', `ONNX Runtime could not load the exported model: ${(error as Error).message}`, 'This is an exporter bug if the model exported without errors; report the model.', error);
    }
    return new OrtSession(lib, session, endpoints.inputs, endpoints.outputs);
  }

  /** Runs one batch; returns each output's float32 values (tfjs order). */
  async run(feeds: readonly OrtFeed[]): Promise<Float32Array[]> {
    if (feeds.length !== this.inputs.length) throw inputError('ORT_BAD_FEED', `the model takes ${this.inputs.length} inputs, got ${feeds.length}`, 'Give one feed per model input.');
    const named: Record<string, ort.Tensor> = {};
    this.inputs.forEach((input, i) => {
      const feed = feeds[i] as OrtFeed;
      named[input.name] = new this.ort.Tensor('float32', feed.values, [...feed.shape]);
    });
    const result = await this.session.run(named);
    return this.outputs.map((o) => {
      const tensor = result[o.name];
      if (tensor === undefined) throw runtimeError('ORT_MISSING_OUTPUT', `ONNX Runtime returned no output "${o.name}"`);
      const data = tensor.data as Float32Array;
      tensor.dispose();
      return data;
    });
  }

  /** Ends profiling (a session created with `profileFilePrefix`): ORT writes its JSON trace. */
  endProfiling(): void {
    this.session.endProfiling();
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
