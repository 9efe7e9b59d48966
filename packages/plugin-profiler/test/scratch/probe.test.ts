import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { it } from 'vitest';
import { dependencyGroups } from '@whittle/graph';
import { buildResNet, buildMobileNetV2Style } from '@whittle/zoo';

it('probe', async () => {
  await tf.setBackend('wasm');
  const m = buildResNet({ depth: 8, inputShape: [16, 16, 3], numClasses: 10, width: 8 });
  for (const g of dependencyGroups(m)) console.log(JSON.stringify(g));
  for (const l of m.layers) console.log(l.getClassName(), l.name, JSON.stringify(l.inputShape), JSON.stringify(l.outputShape));
  console.log(JSON.stringify(m.getLayer('stem_conv')?.getConfig()));
});
