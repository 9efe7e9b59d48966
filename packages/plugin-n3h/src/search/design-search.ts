import type { SeededRng } from '@whittle/kernel';
import type { CandidateDesign } from './candidate-design.js';
import { DdpgAgent, type DdpgOptions } from './ddpg-agent.js';
import { designReward } from './design-reward.js';
import type { DesignEnvironment } from './design-environment.js';
import type { EpisodeEvaluator } from './episode-evaluator.js';

export interface SearchOptions {
  readonly episodes: number;
  /** DDPG: random episodes before the actor acts and learns (HAQ: 20). Ignored by random search. */
  readonly warmup: number;
  /** DDPG updates after each episode past the warm-up (default: the episode's steps, as HAQ). */
  readonly updatesPerEpisode?: number;
  readonly ddpg?: Partial<DdpgOptions>;
  /** Called after every episode (progress logs). */
  readonly onEpisode?: (record: EpisodeRecord) => void;
}

/** One episode of a search. */
export interface EpisodeRecord {
  readonly episode: number;
  readonly reward: number;
  readonly accuracy: number | null;
  readonly evaluated: boolean;
  readonly design: CandidateDesign;
  readonly seconds: number;
}

export interface SearchResult {
  readonly method: 'ddpg' | 'random';
  /** The best design that fits the board and meets the target (highest reward, then lowest latency); undefined if none did. */
  readonly best: EpisodeRecord | undefined;
  readonly episodes: readonly EpisodeRecord[];
  readonly seconds: number;
  readonly episodesPerSecond: number;
  readonly evaluatedEpisodes: number;
}

/** The best episode among those whose design fits the board, meets the target and was evaluated. */
export function bestEpisode(episodes: readonly EpisodeRecord[]): EpisodeRecord | undefined {
  let best: EpisodeRecord | undefined;
  for (const e of episodes) {
    if (!e.evaluated || !e.design.fits || !e.design.meetsTarget) continue;
    if (best === undefined || e.reward > best.reward || (e.reward === best.reward && (e.design.latencyMs as number) < (best.design.latencyMs as number))) best = e;
  }
  return best;
}

async function search(
  method: SearchResult['method'], env: DesignEnvironment, evaluator: EpisodeEvaluator, options: SearchOptions,
  choose: (episode: number) => (state: Float32Array, step: number) => number,
  learn: (episode: number, states: readonly Float32Array[], actions: readonly number[], reward: number) => void,
): Promise<SearchResult> {
  const started = performance.now();
  const base = await evaluator.baseAccuracy();
  const episodes: EpisodeRecord[] = [];
  for (let episode = 0; episode < options.episodes; episode++) {
    const t0 = performance.now();
    const rollout = env.rollout(choose(episode));
    const outcome = await designReward(rollout.design, env.options.targetMs, base, evaluator);
    learn(episode, rollout.states, rollout.actions, outcome.reward);
    const record = { episode, reward: outcome.reward, accuracy: outcome.accuracy, evaluated: outcome.evaluated, design: rollout.design, seconds: (performance.now() - t0) / 1000 };
    episodes.push(record);
    options.onEpisode?.(record);
  }
  const seconds = (performance.now() - started) / 1000;
  return { method, best: bestEpisode(episodes), episodes, seconds, episodesPerSecond: episodes.length / seconds, evaluatedEpisodes: episodes.filter((e) => e.evaluated).length };
}

/**
 * N3H-Core's design search (HAQ's DDPG, papers.md §4): each episode the agent picks the six hardware
 * actions and every layer's bits step by step (`DesignEnvironment`), the design is rewarded
 * (`designReward`: −latency/target above the target, else the accuracy change the evaluator measures),
 * every transition of the episode is stored with that reward, and past the warm-up the agent updates
 * `updatesPerEpisode` times. Returns every episode and the best feasible design.
 */
export async function ddpgSearch(env: DesignEnvironment, evaluator: EpisodeEvaluator, options: SearchOptions, rng: SeededRng): Promise<SearchResult> {
  const agent = new DdpgAgent(env.stateSize, options.ddpg ?? {}, rng.fork('ddpg'));
  const updates = options.updatesPerEpisode ?? env.steps.length;
  try {
    return await search('ddpg', env, evaluator, options,
      (episode) => (state) => agent.act(state, episode, options.warmup),
      (episode, states, actions, reward) => {
        agent.observeEpisode(states, actions, reward);
        if (episode + 1 >= options.warmup) for (let i = 0; i < updates; i++) agent.update();
      });
  } finally {
    agent.dispose();
  }
}

/** Random search: every action uniform in [0, 1] through the same environment, reward and evaluator, for the same episodes. */
export async function randomSearch(env: DesignEnvironment, evaluator: EpisodeEvaluator, options: SearchOptions, rng: SeededRng): Promise<SearchResult> {
  const random = rng.fork('random');
  return search('random', env, evaluator, options, () => () => random.next(), () => undefined);
}
