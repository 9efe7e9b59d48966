import { layerOperationsOf, LayerOperations } from '@whittle/graph';
import type { LayerOperationRegistration, Providers } from '@whittle/kernel';
import { fakeQuantOperation } from './quantize/fake-quant-layer.js';

/** The built-in operations plus `N3hFakeQuant`'s, and whatever the run's packages register. */
export function n3hLayerOperations(registered?: Providers<LayerOperationRegistration>): LayerOperations {
  const base = LayerOperations.builtIn.with([fakeQuantOperation]);
  return registered === undefined ? base : layerOperationsOf(registered, base);
}
