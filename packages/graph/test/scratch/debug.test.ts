import * as tf from '@tensorflow/tfjs';
import { it } from 'vitest';
import { kerasInceptionV3Artifacts, kerasMobileNetV2Artifacts, buildResNet } from '@whittle/zoo';
import { dependencyGroups } from '../../src/index.js';

it('debug', async () => {
  await tf.setBackend('cpu');
  for (const a of [kerasMobileNetV2Artifacts(0), kerasInceptionV3Artifacts(0)]) {
    const model = await tf.loadLayersModel(tf.io.fromMemory(a));
    const groups = dependencyGroups(model);
    console.log(model.name, groups.length, groups.filter((g) => g.prunable).length, groups.filter((g) => !g.prunable).map((g) => `${g.id}: ${g.blockedBy.join('; ')}`));
    console.log(groups.filter((g) => g.members.filter(m => m.role === 'producer').length > 1).map((g) => `${g.id}(${g.channels}): ${g.members.filter(m => m.role === 'producer').map(m => m.layer).join(',')}`).slice(0, 8));
    model.dispose();
  }
  const r = buildResNet({ depth: 20, inputShape: [32, 32, 3], numClasses: 10 });
  console.log(dependencyGroups(r).map((g) => `${g.id}(${g.channels}) ${g.prunable} ${g.blockedBy}`));
});
