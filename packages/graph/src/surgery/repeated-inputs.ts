import type { InboundRefJson } from '../topology/keras-json.js';
import type { TensorRef, TopologyDocument } from '../topology/topology-document.js';

/** One input of a call that reads the same tensor as an earlier input of that call. */
export interface RepeatedInput {
  /** The layer whose call reads the tensor twice (or more). */
  readonly layer: string;
  /** Index of the call in the layer's `inbound_nodes`. */
  readonly call: number;
  /** Position of the repeat among the call's inputs (the first occurrence is not listed). */
  readonly position: number;
  readonly ref: TensorRef;
}

/**
 * Every input of a call that reads a tensor an earlier input of the same call already reads — as a
 * U-Net's skip concatenation does once surgery has bypassed every block between the two: `concat([a, a])`.
 *
 * ```ts
 * repeatedInputs(document); // [{ layer: 'up2_concat0', call: 0, position: 1, ref: { layer: 'down1_downsample', node: 0, tensor: 0 } }]
 * ```
 */
export function repeatedInputs(document: TopologyDocument): RepeatedInput[] {
  const found: RepeatedInput[] = [];
  for (const entry of document.layers) {
    entry.inbound_nodes.forEach((call, callIndex) => {
      const seen = new Set<string>();
      call.forEach((ref, position) => {
        const key = `${ref[0]}#${ref[1]}#${ref[2]}`;
        if (seen.has(key)) found.push({ layer: entry.name, call: callIndex, position, ref: { layer: ref[0], node: ref[1], tensor: ref[2] } });
        seen.add(key);
      });
    });
  }
  return found;
}

/**
 * Gives each repeated input (`repeatedInputs`) its own tensor: a weightless Reshape to the tensor's
 * own shape (`shapeOf`, without the batch axis), inserted before the reading layer. Returns the names
 * of the inserted layers.
 *
 * Why: tfjs-layers' inference executor (`execute` in tfjs-layers 4.22, behind `predict`) counts a
 * tensor's recipients as the set of distinct layers that read it, but decrements the count once per
 * input slot; a layer that reads a tensor twice therefore releases it one reader early, and when the
 * tensor has another reader still to run, that reader gets a disposed tensor ("Cannot read properties
 * of undefined (reading 'backend')" in the next kernel). The function is unchanged; a Reshape returns a
 * new tensor over the same data (no copy), which the executor may dispose without freeing the original.
 * An `Activation('linear')` would not do: it returns its input object itself.
 *
 * ```ts
 * separateRepeatedInputs(document, (ref) => graph.shape(ref).slice(1));
 * ```
 */
export function separateRepeatedInputs(document: TopologyDocument, shapeOf: (ref: TensorRef) => readonly (number | null)[]): string[] {
  const inserted: string[] = [];
  const taken = new Set(document.layers.map((l) => l.name));
  for (const repeat of repeatedInputs(document)) {
    const consumer = document.requireEntry(repeat.layer);
    let name = `${repeat.layer}_input${repeat.position}_copy`;
    for (let k = 2; taken.has(name); k++) name = `${repeat.layer}_input${repeat.position}_copy${k}`;
    taken.add(name);
    const shape = shapeOf(repeat.ref);
    const call = consumer.inbound_nodes[repeat.call] as InboundRefJson[];
    const original = call[repeat.position] as InboundRefJson;
    document.layers.splice(document.layers.indexOf(consumer), 0, {
      name,
      class_name: 'Reshape',
      config: { name, trainable: true, target_shape: [...shape] },
      inbound_nodes: [[[original[0], original[1], original[2], {}]]],
    });
    call[repeat.position] = [name, 0, 0, original[3] ?? {}];
    inserted.push(name);
  }
  return inserted;
}
