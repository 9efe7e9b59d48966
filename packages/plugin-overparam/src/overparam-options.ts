import { StringEnum, Type, withDefault, type StageOptions } from '@whittle/kernel';
import { trainingOptionsProperties } from '@whittle/training';

/** The options of the `overparam` recover stage: what to expand, SP-KD, and the training knobs of `train`. */
export const OverparamOptionsSchema = Type.Object(
  {
    ...trainingOptionsProperties,
    layers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Layers to expand: exact names or patterns with "*" (e.g. "stage3_*"). Default: every layer that expands exactly (Conv2D, Dense, the pointwise half of SeparableConv2D).',
    })),
    ratio: withDefault(Type.Number({ minimum: 1, description: 'Expansion ratio r: each expanded layer is widened to E = ceil(r · outputs) inside its block.' }), 4),
    depth: withDefault(Type.Integer({ minimum: 0, maximum: 8, description: 'Extra E→E 1×1 (or Dense) layers in each block.' }), 0),
    initScale: withDefault(Type.Number({ minimum: 0, description: 'The extra filters start as Kaiming normal × initScale.' }), 0.01),
    gamma: withDefault(Type.Number({ minimum: 0, description: 'Weight γ of the SP-KD term (Tung & Mori; RepDistiller uses 3000 for one layer pair). 0: expansion only, no teacher needed.' }), 3000),
    stepGamma: withDefault(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'The "step" schedule\'s multiplier (what `gamma` is in `train`; here `gamma` is the SP-KD weight).' }), 0.1),
    pairReduction: withDefault(StringEnum(['mean', 'sum'], { description: '"mean": γ multiplies the mean SP-KD loss over the layer pairs (so γ keeps RepDistiller\'s one-pair scale); "sum": the sum.' }), 'mean'),
    pairs: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Student layers whose outputs are matched to the teacher layer of the same name (names or "*" patterns). Default: every expanded block whose name the teacher has.',
    })),
    logitKd: Type.Optional(Type.Object(
      {
        temperature: withDefault(Type.Number({ exclusiveMinimum: 0, description: 'Softening temperature T.' }), 4),
        alpha: withDefault(Type.Number({ minimum: 0, maximum: 1, description: 'Weight of the logit-KD term; the task loss gets 1 − alpha.' }), 0.9),
      },
      { additionalProperties: false, description: 'Also distil the teacher\'s softened logits, as `kd` does (classification only): loss = (1 − α)·CE + α·T²·KL + γ·SP-KD. Absent: no logit term (the paper\'s method).' },
    )),
  },
  { additionalProperties: false },
);

export type OverparamOptions = StageOptions<typeof OverparamOptionsSchema>;

/** A layer selector as a RegExp: `*` matches any run of characters, everything else itself. */
export function layerPattern(selector: string): RegExp {
  return new RegExp(`^${selector.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
