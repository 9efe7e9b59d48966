import { inputError, type WhittleError } from '@whittle/kernel';

/**
 * A hardware point whose buffers cannot hold one tile row of a layer: the reference code divides by
 * zero there (Python raises ZeroDivisionError). Here it is an input error naming the layer and the buffer.
 */
export function designInfeasible(buffer: string, needed: string, layer: string): WhittleError {
  return inputError('N3H_BUFFER_TOO_SMALL', `${buffer} cannot hold one tile row of layer "${layer}" (${needed})`, `Raise ${buffer.split(' ')[0]} or lower the layer's K.`);
}
