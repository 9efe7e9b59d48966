/**
 * How one Keras release spells layer configs in model.json. The TensorFlow.js converter copies them
 * verbatim, so models converted from different Keras versions differ in these details, and code that
 * reads converted topologies must accept both.
 */
export interface KerasDialect {
  /** `keras_version` in modelTopology, e.g. '2.2.4-tf'. */
  readonly kerasVersion: string;
  /** `model_config.class_name`: 'Model' before Keras 2.4, 'Functional' from 2.4. */
  readonly modelClassName: 'Model' | 'Functional';
  /** The model.json `convertedBy` of a converter release contemporary with this Keras. */
  readonly convertedBy: string;
  /** BatchNormalization `axis` as written after build: -1 (int) or [3] (list, Keras ≥ 2.4). */
  readonly batchNormAxis: number | readonly number[];
  /** Whether Conv2D configs carry `groups` and InputLayer configs `ragged` (Keras ≥ 2.4). */
  readonly hasGroupsAndRagged: boolean;
  /** Whether initializer configs carry `dtype` (tf.keras 1.x). */
  readonly initializerDtype: boolean;
}

/** tf.keras in TensorFlow 1.15 (keras_applications 1.0.8 models, e.g. MobileNetV2 with `Conv1_pad`). */
export const KERAS_2_2_4_TF: KerasDialect = {
  kerasVersion: '2.2.4-tf',
  modelClassName: 'Model',
  convertedBy: 'TensorFlow.js Converter v1.7.0',
  batchNormAxis: -1,
  hasGroupsAndRagged: false,
  initializerDtype: true,
};

/** Keras 2.4 as bundled with TensorFlow 2.4. */
export const KERAS_2_4_0: KerasDialect = {
  kerasVersion: '2.4.0',
  modelClassName: 'Functional',
  convertedBy: 'TensorFlow.js Converter v3.3.0',
  batchNormAxis: [3],
  hasGroupsAndRagged: true,
  initializerDtype: false,
};
