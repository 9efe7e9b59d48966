import * as tf from '@tensorflow/tfjs';
import type { SeededRng } from '@whittle/kernel';
import { Mlp } from './mlp.js';
import { ReplayBuffer, type Transition } from './replay-buffer.js';
import { truncatedNormal } from './truncated-normal.js';

/** DDPG hyper-parameters; defaults are HAQ's / N3H-Core's (`rl_explore.py`, `lib/rl/ddpg.py`, papers.md §4). */
export interface DdpgOptions {
  /** Hidden units of both hidden layers of actor and critic (300). */
  readonly hidden: number;
  readonly actorLearningRate: number;
  readonly criticLearningRate: number;
  /** Soft target update rate (0.01). */
  readonly tau: number;
  /** Discount of the critic's bootstrapped target (1.0 in HAQ: every step gets the episode's reward). */
  readonly discount: number;
  readonly batchSize: number;
  readonly replayCapacity: number;
  /** Exploration: σ = initialSigma · sigmaDecay^(episode − warm-up). */
  readonly initialSigma: number;
  readonly sigmaDecay: number;
  /** Moving-average reward baseline: m ← m + α·(batch mean reward − m), subtracted from the batch's rewards (α = 0.5). */
  readonly baselineAlpha: number;
}

export const DDPG_DEFAULTS: DdpgOptions = {
  hidden: 300, actorLearningRate: 1e-4, criticLearningRate: 1e-3, tau: 0.01, discount: 1,
  batchSize: 64, replayCapacity: 128 * 50, initialSigma: 0.5, sigmaDecay: 0.99, baselineAlpha: 0.5,
};

/** Losses of one update, for logs. */
export interface DdpgUpdate {
  readonly criticLoss: number;
  readonly policyLoss: number;
}

/**
 * HAQ's DDPG agent in tfjs: actor FC(state→300)→ReLU→FC(300)→ReLU→FC(1)→sigmoid; critic on
 * [state, action] (HAQ's `fc11(s) + fc12(a)` is one linear layer on the concatenation)→ReLU→300→ReLU→1;
 * target networks with soft updates; Adam. Exploration is a truncated normal around the actor's action
 * in [0, 1], its σ decaying per episode after the warm-up (which takes uniform random actions). Owns its
 * variables: `dispose()`.
 */
export class DdpgAgent {
  private readonly actor: Mlp;
  private readonly actorTarget: Mlp;
  private readonly critic: Mlp;
  private readonly criticTarget: Mlp;
  private readonly actorOptimizer: tf.Optimizer;
  private readonly criticOptimizer: tf.Optimizer;
  private readonly memory: ReplayBuffer;
  private movingAverage: number | undefined;
  readonly options: DdpgOptions;

  constructor(readonly stateSize: number, options: Partial<DdpgOptions>, private readonly rng: SeededRng) {
    this.options = { ...DDPG_DEFAULTS, ...options };
    const { hidden } = this.options;
    const init = rng.fork('init');
    this.actor = new Mlp([stateSize, hidden, hidden, 1], 'sigmoid', init.fork('actor'));
    this.actorTarget = new Mlp([stateSize, hidden, hidden, 1], 'sigmoid', init.fork('actor'));
    this.critic = new Mlp([stateSize + 1, hidden, hidden, 1], 'linear', init.fork('critic'));
    this.criticTarget = new Mlp([stateSize + 1, hidden, hidden, 1], 'linear', init.fork('critic'));
    this.actorOptimizer = tf.train.adam(this.options.actorLearningRate);
    this.criticOptimizer = tf.train.adam(this.options.criticLearningRate);
    this.memory = new ReplayBuffer(this.options.replayCapacity);
  }

  /** The exploration σ at `episode` (after `warmup` random episodes). */
  sigmaAt(episode: number, warmup: number): number {
    return this.options.initialSigma * this.options.sigmaDecay ** Math.max(0, episode - warmup);
  }

  /** The actor's action for a state, without exploration. */
  greedyAction(state: Float32Array): number {
    return tf.tidy(() => this.actor.apply(tf.tensor2d(state, [1, this.stateSize])).dataSync()[0] as number);
  }

  /** An action for `state` at `episode`: uniform in the warm-up, else the actor's action with truncated-normal noise. */
  act(state: Float32Array, episode: number, warmup: number): number {
    if (episode < warmup) return this.rng.next();
    return truncatedNormal(this.rng, this.greedyAction(state), this.sigmaAt(episode, warmup));
  }

  /** Stores an episode: every transition gets the episode's final reward (HAQ). */
  observeEpisode(states: readonly Float32Array[], actions: readonly number[], reward: number): void {
    states.forEach((state, i) => {
      const last = i + 1 === states.length;
      this.memory.push({ state, action: actions[i] as number, reward, nextState: last ? state : (states[i + 1] as Float32Array), terminal: last });
    });
  }

  get memorySize(): number {
    return this.memory.size;
  }

  /** One DDPG update on a sampled batch: critic to r − baseline + γ·Q'(s', μ'(s')), actor up the critic, soft target updates. */
  update(): DdpgUpdate | undefined {
    if (this.memory.size < this.options.batchSize) return undefined;
    const batch: Transition[] = this.memory.sample(this.options.batchSize, this.rng);
    const meanReward = batch.reduce((s, t) => s + t.reward, 0) / batch.length;
    this.movingAverage = this.movingAverage === undefined ? meanReward : this.movingAverage + this.options.baselineAlpha * (meanReward - this.movingAverage);
    const baseline = this.movingAverage;
    const n = batch.length;
    const stateData = new Float32Array(n * this.stateSize);
    const nextData = new Float32Array(n * this.stateSize);
    batch.forEach((t, i) => {
      stateData.set(t.state, i * this.stateSize);
      nextData.set(t.nextState, i * this.stateSize);
    });
    const states = tf.tensor2d(stateData, [n, this.stateSize]);
    const nextStates = tf.tensor2d(nextData, [n, this.stateSize]);
    const actions = tf.tensor2d(batch.map((t) => t.action), [n, 1]);
    const rewards = tf.tensor2d(batch.map((t) => t.reward - baseline), [n, 1]);
    const notTerminal = tf.tensor2d(batch.map((t) => (t.terminal ? 0 : 1)), [n, 1]);
    try {
      const target = tf.tidy(() => {
        const nextQ = this.criticTarget.apply(tf.concat([nextStates, this.actorTarget.apply(nextStates)], 1));
        return tf.add(rewards, tf.mul(tf.mul(notTerminal, this.options.discount), nextQ));
      });
      const criticLoss = this.criticOptimizer.minimize(
        () => tf.losses.meanSquaredError(target, this.critic.apply(tf.concat([states, actions], 1))) as tf.Scalar, true, this.critic.variables,
      ) as tf.Scalar;
      target.dispose();
      const policyLoss = this.actorOptimizer.minimize(
        () => tf.neg(tf.mean(this.critic.apply(tf.concat([states, this.actor.apply(states)], 1)))) as tf.Scalar, true, this.actor.variables,
      ) as tf.Scalar;
      this.actorTarget.softUpdate(this.actor, this.options.tau);
      this.criticTarget.softUpdate(this.critic, this.options.tau);
      const result = { criticLoss: criticLoss.dataSync()[0] as number, policyLoss: policyLoss.dataSync()[0] as number };
      tf.dispose([criticLoss, policyLoss]);
      return result;
    } finally {
      tf.dispose([states, nextStates, actions, rewards, notTerminal]);
    }
  }

  dispose(): void {
    this.actor.dispose();
    this.actorTarget.dispose();
    this.critic.dispose();
    this.criticTarget.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}
