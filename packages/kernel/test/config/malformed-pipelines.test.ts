import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { isWhittleError } from '../../src/errors/whittle-error.js';
import { runPipeline } from '../../src/runner/run-pipeline.js';
import { silentLogger } from '../../src/logging/logger.js';
import { TempPipeline, toyPipeline } from '../fixtures/temp-pipeline.js';
import { cpuTestEngine } from '../fixtures/test-engine.js';

let t: TempPipeline;
beforeEach(() => (t = new TempPipeline()));
afterEach(() => t.cleanup());

type Case = [name: string, make: (t: TempPipeline) => unknown, path: string, mentions: RegExp];
const base = (t: TempPipeline, o: Record<string, unknown> = {}) => toyPipeline(t, o);
const stages = (t: TempPipeline, stage: Record<string, unknown>) => base(t, { stages: [stage] });

const cases: Case[] = [
  ['not JSON', () => '{ "name": "x", ', '(root)', /not JSON: expected a property name in double quotes at line 1, column 16/],
  ['not JSON, without echoing the file', () => 'root:x:0:0:root:/root:/bin/bash\n', '(root)', /^(?![\s\S]*root:x)[\s\S]*not JSON: unexpected character at line 1, column 1/],
  ['UTF-16 text', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"stages": []}', 'utf16le')]), '(root)', /UTF-16 encoded/],
  ['a number too large for a float', (t) => JSON.stringify(stages(t, { hook: 'recover', plugin: 'jitter', options: { scale: 1 } })).replace('"scale":1', '"scale":1e400'), '/stages/0/options/scale', /must be a finite number; got Infinity/],
  ['200,000-deep nesting', (t) => JSON.stringify(base(t)).replace(/}$/, `,"description":${'['.repeat(200_000)}${']'.repeat(200_000)}}`), `/description/${Array(11).fill('0').join('/')}/…`, /nested more than 100 levels deep/],
  ['no stages', (t) => { const c = base(t); delete c['stages']; return c; }, '(root)', /missing required property "stages"/],
  ['empty stages', (t) => base(t, { stages: [] }), '/stages', /must NOT have fewer than 1 items/],
  ['unknown top-level key', (t) => base(t, { stagse: [] }), '/stagse', /unknown property "stagse".*Did you mean "stages"/],
  ['unknown hook', (t) => stages(t, { hook: 'prun', plugin: 'x' }), '/stages/0/hook', /must be one of .*Did you mean "prune"/],
  ['unknown plugin name', (t) => stages(t, { hook: 'recover', plugin: 'jiter' }), '/stages/0/plugin', /Did you mean "jitter"/],
  ['plugin under the wrong hook', (t) => stages(t, { hook: 'prune', plugin: 'jitter' }), '/stages/0/plugin', /serves hook "recover", not "prune"/],
  ['unknown option', (t) => stages(t, { hook: 'recover', plugin: 'jitter', options: { scael: 1 } }), '/stages/0/options/scael', /Did you mean "scale"/],
  ['option of the wrong type', (t) => stages(t, { hook: 'recover', plugin: 'jitter', options: { scale: 'big' } }), '/stages/0/options/scale', /must be number; got string "big"/],
  ['option out of range', (t) => stages(t, { hook: 'recover', plugin: 'jitter', options: { scale: -1 } }), '/stages/0/options/scale', /must be >= 0/],
  ['deploy stage without target', (t) => stages(t, { hook: 'deploy', plugin: 'null-target' }), '/stages/0/plugin', /names its "target"/],
  ['unknown deploy target', (t) => stages(t, { hook: 'deploy', target: 'null-targte' }), '/stages/0/target', /Did you mean "null-target"/],
  ['model with neither path nor builder', (t) => base(t, { model: {} }), '/model', /exactly one of "path".*"builder"/],
  ['unknown model builder', (t) => base(t, { model: { builder: 'tiny-mpl' } }), '/model/builder', /Did you mean "tiny-mlp"/],
  ['bad model builder option', (t) => base(t, { model: { builder: 'tiny-mlp', options: { hidden: 0 } } }), '/model/options/hidden', /must be >= 1/],
  ['unknown data provider', (t) => base(t, { data: { provider: 'tyo' } }), '/data/provider', /Did you mean "toy"/],
  ['bad validation split', (t) => base(t, { data: { provider: 'toy', validationSplit: 1.5 } }), '/data/validationSplit', /must be < 1/],
  ['negative seed', (t) => base(t, { seed: -3 }), '/seed', /must be >= 0/],
  ['unknown backend', (t) => base(t, { backend: 'wsam' }), '/backend', /Did you mean "wasm"/],
  ['missing model file (checked before anything runs)', (t) => base(t, { model: { path: 'nope/model.json' } }), '/model/path', /nope[\\/]model\.json does not exist/],
  ['teacher stage out of range', (t) => base(t, { teacher: { stage: 9 } }), '/teacher/stage', /stage 9 does not exist/],
];

describe('malformed pipelines', () => {
  it.each(cases)('%s: input error naming %s, nothing written', async (_name, make, path, mentions) => {
    const file = t.write(make(t));
    const error = await runPipeline(file, { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isWhittleError(error)).toBe(true);
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.exitCode).toBe(2);
    expect(configError.message).toContain(`${path}:`);
    expect(configError.message).toMatch(mentions);
    expect(existsSync(t.out)).toBe(false);
  });

  it('reports every problem at once', async () => {
    const file = t.write(base(t, { seed: -1, backend: 'gpu', stages: [{ hook: 'recover', plugin: 'jitter', options: { scale: -1, bogus: 1 } }] }));
    const error = (await runPipeline(file, { outDir: t.out, engine: cpuTestEngine(), logger: silentLogger }).catch((e: unknown) => e)) as ConfigError;
    // Shape errors come first (pass 1), so the stage's option errors wait for the shape to be fixed.
    expect(error.issues.map((i) => i.path).sort()).toEqual(['/backend', '/seed']);
  });
});
