import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isWhittleError, type WhittleError } from '@whittle/kernel';
import { probeWebGpuIsolated, selectBackend, wasmGradientsRegistered, type BackendName } from '../src/index.js';

// Process-global backend switching: keep these tests in their own file.

const realImport = (specifier: string): Promise<unknown> => import(specifier);

/** Real imports, except that the listed modules fail with `error`. */
function importFailing(failures: Record<string, Error>): (specifier: string) => Promise<unknown> {
  return async (specifier) => {
    const failure = failures[specifier];
    if (failure !== undefined) throw failure;
    return realImport(specifier);
  };
}

const bindingMissing = (): Error =>
  new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/lib/napi-v8/tfjs_binding.node.\nPlease run command ...');
const notInstalled = (name: string): Error => Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });

/** A `webgpu` module stand-in whose GPU offers the given adapter (null: none). */
function fakeWebGpu(adapter: object | null): (specifier: string) => Promise<unknown> {
  const module = { create: () => ({ requestAdapter: async () => adapter }), globals: {} };
  return async (specifier) => (specifier === 'webgpu' ? module : realImport(specifier));
}

async function inputErrorOf(promise: Promise<unknown>): Promise<WhittleError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWhittleError(error), `expected a WhittleError, got ${String(error)}`).toBe(true);
  const whittleError = error as WhittleError;
  expect(whittleError.kind).toBe('input');
  return whittleError;
}

describe('selectBackend', () => {
  it("'auto' skips the installed but broken tfjs-node and lands on wasm with the gradient kernels", async () => {
    // The real @tensorflow/tfjs-node of this workspace: present, without its native binding. The
    // webgpu package is made to fail so that the result does not depend on this machine's GPU.
    const choice = await selectBackend('auto', { importModule: importFailing({ webgpu: notInstalled('webgpu') }) });
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmGradientsRegistered()).toBe(true);
    expect(choice.tried.map((t) => t.name)).toEqual<BackendName[]>(['tensorflow', 'webgpu']);
    expect(choice.tried[0]?.error).toBe('native binding missing');
    expect(choice.summary).toMatch(/^backend: wasm \(SIMD, 1 thread; tensorflow unavailable: native binding missing; webgpu unavailable: webgpu package unavailable/);
  });

  it("'auto' falls back to wasm when an injected tfjs-node import throws, and says why", async () => {
    const broken = await selectBackend('auto', { importModule: importFailing({ '@tensorflow/tfjs-node': bindingMissing(), webgpu: notInstalled('webgpu') }) });
    expect(broken.name).toBe('wasm');
    expect(broken.tried[0]).toEqual({ name: 'tensorflow', error: 'native binding missing' });
    const absent = await selectBackend('auto', { importModule: importFailing({ '@tensorflow/tfjs-node': notInstalled('@tensorflow/tfjs-node'), webgpu: notInstalled('webgpu') }) });
    expect(absent.tried[0]).toEqual({ name: 'tensorflow', error: 'not installed' });
  });

  it("'auto' passes over a software GPU adapter unless allowed", async () => {
    const llvmpipe = { info: { vendor: 'mesa', architecture: 'software', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } };
    const choice = await selectBackend('auto', { importModule: fakeWebGpu(llvmpipe) });
    expect(choice.name).toBe('wasm');
    expect(choice.tried.find((t) => t.name === 'webgpu')?.error).toMatch(/software adapter \(llvmpipe/);
  });

  it('is safe to call twice and returns the same choice', async () => {
    const options = { importModule: importFailing({ webgpu: notInstalled('webgpu') }) };
    const first = await selectBackend('auto', options);
    const second = await selectBackend('auto', options);
    expect(second).toEqual(first);
    expect(tf.getBackend()).toBe('wasm');
    // The registered kernels still work after the second call.
    const y = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid').sum())(tf.ones([3, 3, 1, 1]) as tf.Tensor4D).dataSync());
    expect(Array.from(y)).toEqual(new Array(9).fill(1));
  });

  it("explicit 'tensorflow' with the broken tfjs-node throws an input error saying how to build the binding", async () => {
    const error = await inputErrorOf(selectBackend('tensorflow'));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/backend "tensorflow" is unavailable: native binding missing/);
    expect(error.hint).toMatch(/onlyBuiltDependencies/);
    expect(error.hint).toMatch(/pnpm approve-builds/);
  });

  it("explicit 'webgpu' without the webgpu package or without an adapter throws an input error naming the Vulkan driver", async () => {
    const noPackage = await inputErrorOf(selectBackend('webgpu', { importModule: importFailing({ webgpu: notInstalled('webgpu') }) }));
    expect(noPackage.code).toBe('BACKEND_UNAVAILABLE');
    expect(noPackage.message).toMatch(/webgpu package unavailable/);
    expect(noPackage.hint).toMatch(/mesa-vulkan-drivers/);
    expect(noPackage.hint).toMatch(/bookworm-backports/);
    const noAdapter = await inputErrorOf(selectBackend('webgpu', { importModule: fakeWebGpu(null) }));
    expect(noAdapter.message).toMatch(/no WebGPU adapter/);
  });

  it("explicit 'cpu' and 'wasm' activate those backends", async () => {
    expect((await selectBackend('cpu')).summary).toBe('backend: cpu (plain JavaScript, slowest)');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend('wasm');
    expect(wasm).toEqual({ name: 'wasm', summary: 'backend: wasm (SIMD, 1 thread)', tried: [] });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('an unknown name is an input error', async () => {
    const error = await inputErrorOf(selectBackend('webgl' as BackendName));
    expect(error.code).toBe('BACKEND_UNKNOWN');
  });

  it("'auto' asks for the GPU in a child process, and loads Dawn here only for an adapter it will use", async () => {
    const probe = await probeWebGpuIsolated();
    const choice = await selectBackend('auto', { importModule: importFailing({}), probeWebGpu: async () => probe });
    if (!probe.ok || probe.adapter.isSoftware) {
      // No adapter or a software one (this machine, CI): refused without a Vulkan instance in this process,
      // so Dawn's native warnings never reached the terminal.
      expect(choice.name).toBe('wasm');
      expect(choice.tried.find((t) => t.name === 'webgpu')?.error).toMatch(probe.ok ? /software adapter/ : /no WebGPU adapter|webgpu package unavailable/);
      expect('GPUBufferUsage' in globalThis).toBe(false);
    } else {
      expect(choice.name).toBe('webgpu');
    }
  });

  it('the isolated probe says "no WebGPU adapter (no Vulkan driver found)" where the Vulkan loader finds no driver', async () => {
    const saved = process.env['VK_ICD_FILENAMES'];
    process.env['VK_ICD_FILENAMES'] = '/nonexistent.json';
    try {
      expect(await probeWebGpuIsolated()).toEqual({ ok: false, reason: 'no WebGPU adapter (no Vulkan driver found)' });
    } finally {
      if (saved === undefined) delete process.env['VK_ICD_FILENAMES'];
      else process.env['VK_ICD_FILENAMES'] = saved;
    }
  });
});
