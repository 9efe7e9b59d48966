import * as tf from '@tensorflow/tfjs';
import { it } from 'vitest';
import { pruneChannels } from '../../src/index.js';
import { randomTopology } from '../helpers/random-topology.js';

it('debug', async () => {
  await tf.setBackend('cpu');
  const model = randomTopology(11);
  const orig = tf.io.fromMemory;
  (tf.io as any).fromMemory = (a: any) => { console.log(JSON.stringify(a.weightSpecs.filter((s: any) => /sep|dw/.test(s.name)))); console.log(JSON.stringify(a.modelTopology.config.layers.filter((l: any) => /sep_14|dw_12/.test(l.name)))); return orig(a); };
  try { await pruneChannels(model, new Map([['sep_16', [1]]])); } catch (e) { console.log(String(e)); }
});
