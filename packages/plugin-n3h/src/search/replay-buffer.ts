import type { SeededRng } from '@whittle/kernel';

/** One step of an episode as DDPG learns from it. */
export interface Transition {
  readonly state: Float32Array;
  readonly action: number;
  readonly reward: number;
  readonly nextState: Float32Array;
  readonly terminal: boolean;
}

/** A bounded first-in-first-out replay memory with uniform sampling (HAQ's `SequentialMemory`). */
export class ReplayBuffer {
  private readonly items: Transition[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  push(transition: Transition): void {
    if (this.items.length < this.capacity) {
      this.items.push(transition);
      return;
    }
    this.items[this.start] = transition;
    this.start = (this.start + 1) % this.capacity;
  }

  sample(count: number, rng: SeededRng): Transition[] {
    return Array.from({ length: count }, () => this.items[rng.int(this.items.length)] as Transition);
  }
}
