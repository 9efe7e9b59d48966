import type * as tf from '@tensorflow/tfjs';
import type { LayerConfigJson } from '../../topology/keras-json.js';

/** One layer of a linear block: its class, its config (Keras snake_case, name included) and its weights by short name (`kernel`, `bias`, …). */
export interface LinearPart {
  readonly className: string;
  readonly config: LayerConfigJson;
  readonly weights: Readonly<Record<string, tf.Tensor>>;
}

/** How wide and deep one layer is expanded, and how its extra filters start. */
export interface ExpansionPlan {
  /** E: outputs of the head and of every mixing layer (at least the layer's own outputs). */
  readonly width: number;
  /** Extra E→E mixing layers between the head and the output layer (each starts as the identity). */
  readonly depth: number;
  /** Seed of the extra filters' random start. */
  readonly seed: number;
  /** The extra filters start as N(0, (initScale · √(2 / fan-in))²): Kaiming normal scaled down. */
  readonly initScale: number;
}

/**
 * Linear over-parameterisation of one layer class (Qian et al., "Boosting Pruned Networks with Linear
 * Over-parameterization"): the layer becomes a chain of purely linear layers with exactly the same
 * output — a head of the layer's own class with E outputs (its filters first, then small random
 * extra ones), `depth` E→E mixing layers (the identity) and an output mixing layer E→outputs
 * (`[I | 0]`, the layer's activation) — and a trained chain collapses back into one layer of the
 * original class and config: `W' = W_head · M_1 ⋯ M_d · B`, `b' = ((b_head · M_1 + b_1) ⋯) · B + b_B`.
 * Mixing layers are 1×1 Conv2Ds (convolutions) or Dense layers; they come after the layer's spatial
 * kernel, never before it (a 1×1 with bias before a padded k×k is not exactly mergeable).
 *
 * Parts are named by the caller: `expand` returns them in order, head first, output last.
 */
export interface LinearExpansion {
  /** Why a layer with this config cannot be expanded exactly; undefined when it can. */
  refusal(config: Readonly<LayerConfigJson>): string | undefined;
  /** The layer's output channels (filters, units). */
  outputs(config: Readonly<LayerConfigJson>): number;
  /** The expanded chain of `layer` (weights are new tensors, the caller's to dispose), its parts named `names` (head … output). */
  expand(layer: LinearPart, plan: ExpansionPlan, names: readonly string[]): LinearPart[];
  /** One layer of the head's class, named as the last part, computing what the chain computes (new tensors). */
  merge(parts: readonly LinearPart[]): LinearPart;
}
