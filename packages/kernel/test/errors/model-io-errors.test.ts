import { loadModel, ModelIoError } from '@whittle/model-io';
import { expect, it } from 'vitest';
import { isWhittleError } from '../../src/errors/whittle-error.js';
import { PluginError } from '../../src/plugin/plugin-error.js';

it("model-io's errors are WhittleErrors to the kernel: kind, code and exit code survive, also wrapped by a plugin", async () => {
  const error = await loadModel('/no/such/folder/model.json').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelIoError);
  expect(isWhittleError(error)).toBe(true);
  expect(error).toMatchObject({ kind: 'input', code: 'MODEL_NOT_FOUND', exitCode: 2 });
  const wrapped = PluginError.wrap('my-plugin', 'recover', error);
  expect(wrapped).toMatchObject({ kind: 'input', exitCode: 2, pluginCode: 'MODEL_NOT_FOUND' });
  expect(isWhittleError(new Error('plain'))).toBe(false);
  expect(isWhittleError(Object.assign(new Error('errno'), { code: 'ENOENT' }))).toBe(false);
});
