import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { writeKerasInceptionV3 } from './inception-v3-topology.js';
import { kerasArtifacts, kerasModelJson, type KerasModelJson } from './keras-model-json.js';
import { writeKerasMobileNetV2 } from './mobilenet-v2-topology.js';

/**
 * model.json of Keras MobileNetV2 (alpha 1.0, 224×224×3, 1000 classes) as converted from tf.keras 1.15
 * (`keras_version` '2.2.4-tf', class_name 'Model', BN axis -1). About 150 KB of JSON, 14 MB of weights.
 *
 * ```ts
 * const json = kerasMobileNetV2ModelJson();
 * json.modelTopology.keras_version; // '2.2.4-tf'
 * ```
 */
export function kerasMobileNetV2ModelJson(): KerasModelJson {
  const { writer, topology } = writeKerasMobileNetV2();
  return kerasModelJson(writer, topology);
}

/**
 * model.json of Keras InceptionV3 (299×299×3, 1000 classes) as converted from Keras 2.4
 * (class_name 'Functional', BN axis [3], `scale: false` BNs). About 95 MB of weights.
 *
 * ```ts
 * const json = kerasInceptionV3ModelJson();
 * json.weightsManifest[0].paths.length; // 23
 * ```
 */
export function kerasInceptionV3ModelJson(): KerasModelJson {
  const { writer, topology } = writeKerasInceptionV3();
  return kerasModelJson(writer, topology);
}

/**
 * Keras-converted MobileNetV2 artifacts with seeded random weights, ready for `tf.io.fromMemory`.
 *
 * ```ts
 * const model = await tf.loadLayersModel(tf.io.fromMemory(kerasMobileNetV2Artifacts()));
 * model.predict(tf.zeros([1, 224, 224, 3]));
 * ```
 */
export function kerasMobileNetV2Artifacts(seed = 0): tf.io.ModelArtifacts {
  return kerasArtifacts(kerasMobileNetV2ModelJson(), checkSeed(seed));
}

/**
 * Keras-converted InceptionV3 artifacts with seeded random weights, ready for `tf.io.fromMemory`.
 *
 * ```ts
 * const model = await tf.loadLayersModel(tf.io.fromMemory(kerasInceptionV3Artifacts(1)));
 * model.getLayer('mixed10').outputShape; // [null, 8, 8, 2048]
 * ```
 */
export function kerasInceptionV3Artifacts(seed = 0): tf.io.ModelArtifacts {
  return kerasArtifacts(kerasInceptionV3ModelJson(), checkSeed(seed));
}

function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0) {
    throw inputError('ZOO_BAD_OPTION', `Keras artifacts: seed ${seed} is not a non-negative integer`, 'Pass a seed such as 0.');
  }
  return seed;
}
