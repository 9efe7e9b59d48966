import type { GraphNode, ModelGraph, Shape } from '../graph/model-graph.js';
import { refKey } from '../topology/topology-document.js';
import { LayerOperations } from '../layers/layer-operations.js';
import { channelRuleFor, type ChannelRule } from './channel-rules.js';
import type { DependencyGroup, GroupMember } from './dependency-group.js';
import { fitMember } from './member-fit.js';
import { UnionFind } from './union-find.js';

/**
 * A layout is the channel axis of one tensor, one "atom" per index. Atoms are the elements of a
 * union-find: two indices whose atoms end up in one set must be kept or removed together. A
 * producer creates fresh atoms; a depthwise conv or a Flatten repeats atoms; Add unites them.
 */
type Layout = Int32Array;

/** What surgery needs to know about one layer. */
export interface LayerChannels {
  readonly rule: ChannelRule;
  /** Atoms of the layer's input channel axis (all calls of a shared layer are united). */
  readonly in?: Layout;
  /** Atoms of the layer's output channel axis. */
  readonly out?: Layout;
}

interface Space {
  /** The group id this space gives its group when it is the group's first space. */
  readonly name: string;
  readonly first: number;
  readonly size: number;
}

interface Slot {
  readonly layer: string;
  readonly role: GroupMember['role'];
  readonly layout: Layout;
}

interface MutableLayer {
  rule: ChannelRule;
  in?: Layout;
  out?: Layout;
}

interface GroupBuild {
  readonly id: string;
  /** Fine-set roots in channel order. */
  readonly classes: number[];
  readonly channelOf: Map<number, number>;
  readonly reasons: Set<string>;
  readonly members: GroupMember[];
  readonly memberKeys: Set<string>;
}

function lastDim(shape: Shape | undefined): number | null {
  if (shape === undefined || shape.length < 2) return null;
  return shape[shape.length - 1] ?? null;
}

/**
 * The dependency groups of a model graph, plus the per-layer channel layouts that surgery uses to
 * slice weights. Built once per graph and registry of layer operations; `ChannelAnalysis.of(graph, ops?)`.
 *
 * ```ts
 * const analysis = ChannelAnalysis.of(ModelGraph.fromModel(model));
 * analysis.groups.filter((g) => g.prunable).map((g) => g.id);
 * ```
 */
export class ChannelAnalysis {
  private readonly fine = new UnionFind();
  private readonly spaces: Space[] = [];
  private readonly blocked = new Map<number, Set<string>>();
  private readonly layouts = new Map<string, Layout>();
  private readonly layers = new Map<string, MutableLayer>();
  private readonly slots: Slot[] = [];
  private readonly byId = new Map<string, GroupBuild>();
  private coarse = new UnionFind();
  private readonly byRoot = new Map<number, GroupBuild>();
  private groupList: DependencyGroup[] = [];

  private constructor(readonly graph: ModelGraph, readonly ops: LayerOperations) {}

  static of(graph: ModelGraph, ops: LayerOperations = LayerOperations.builtIn): ChannelAnalysis {
    const analysis = new ChannelAnalysis(graph, ops);
    for (const node of graph.nodes) analysis.visit(node);
    for (const output of graph.outputs) {
      analysis.block(analysis.layouts.get(refKey(output)), `feeds model output "${output.layer}"`);
    }
    analysis.assembleGroups();
    return analysis;
  }

  get groups(): readonly DependencyGroup[] {
    return this.groupList;
  }

  group(id: string): DependencyGroup | undefined {
    return this.groupList.find((g) => g.id === id);
  }

  /** The union-find roots of a group's channels, in channel order. */
  groupClasses(id: string): readonly number[] {
    return this.byId.get(id)?.classes ?? [];
  }

  /** The set a channel atom belongs to (equal roots = removed together). */
  classOf(atom: number): number {
    return this.fine.find(atom);
  }

  /** The group an atom belongs to, with the channel index inside it. */
  locate(atom: number): { group: string; channel: number } | undefined {
    const build = this.byRoot.get(this.coarse.find(atom));
    const channel = build?.channelOf.get(this.fine.find(atom));
    return build === undefined || channel === undefined ? undefined : { group: build.id, channel };
  }

  layer(name: string): LayerChannels | undefined {
    return this.layers.get(name);
  }

  /** The indices of a layout that survive removing the sets in `removed`; null when all survive. */
  keep(layout: Layout, removed: ReadonlySet<number>): number[] | null {
    if (removed.size === 0) return null;
    const kept: number[] = [];
    for (let i = 0; i < layout.length; i++) if (!removed.has(this.fine.find(layout[i] as number))) kept.push(i);
    return kept.length === layout.length ? null : kept;
  }

  /** The first layer output that would lose every channel, with the groups involved; undefined if none. */
  findEmptied(removed: ReadonlySet<number>): { layer: string; groups: string[] } | undefined {
    if (removed.size === 0) return undefined;
    for (const node of this.graph.nodes) {
      for (let tensor = 0; tensor < node.outputShapes.length; tensor++) {
        const layout = this.layouts.get(refKey({ layer: node.layer, node: node.node, tensor }));
        if (layout === undefined || layout.length === 0) continue;
        const kept = this.keep(layout, removed);
        if (kept !== null && kept.length === 0) {
          const groups = new Set<string>();
          for (const atom of layout) groups.add(this.locate(atom)?.group ?? '?');
          return { layer: node.layer, groups: [...groups] };
        }
      }
    }
    return undefined;
  }

  // ---- propagation -------------------------------------------------------------------------------

  private newSpace(name: string, size: number): Layout {
    const first = this.fine.addMany(size);
    this.spaces.push({ name, first, size });
    const layout = new Int32Array(size);
    for (let i = 0; i < size; i++) layout[i] = first + i;
    return layout;
  }

  private block(layout: Layout | undefined, reason: string): void {
    if (layout === undefined) return;
    for (const atom of layout) {
      const reasons = this.blocked.get(atom) ?? new Set<string>();
      reasons.add(reason);
      this.blocked.set(atom, reasons);
    }
  }

  private unite(a: Layout, b: Layout): void {
    for (let i = 0; i < a.length; i++) this.fine.union(a[i] as number, b[i] as number);
  }

  private setOutput(node: GraphNode, tensor: number, layout: Layout): void {
    this.layouts.set(refKey({ layer: node.layer, node: node.node, tensor }), layout);
  }

  private state(node: GraphNode, rule: ChannelRule): MutableLayer {
    let state = this.layers.get(node.layer);
    if (state === undefined) {
      state = { rule };
      this.layers.set(node.layer, state);
    }
    return state;
  }

  /** A shared layer has one weight set: the input channels of all its calls are the same channels. */
  private coupleInput(state: MutableLayer, input: Layout): void {
    if (state.in === undefined) state.in = input;
    else if (state.in.length === input.length) this.unite(state.in, input);
  }

  private visit(node: GraphNode): void {
    const config = this.graph.layer(node.layer).config;
    let rule = channelRuleFor(node, config, this.ops);
    const inputs = node.inputs.map((ref) => this.layouts.get(refKey(ref)));
    // Every rule below but these reads exactly one tensor with a known channel count and writes one.
    const singleInOut = rule.kind !== 'input' && rule.kind !== 'opaque' && rule.kind !== 'merge' && rule.kind !== 'concatenate';
    if (singleInOut && (inputs.length !== 1 || node.outputShapes.length !== 1)) {
      rule = { kind: 'opaque', reason: `layer "${node.layer}" (${node.className}) is called with ${inputs.length} inputs` };
    }
    if (rule.kind !== 'input' && rule.kind !== 'opaque') {
      const known = inputs.every((layout, i) => layout !== undefined && layout.length === lastDim(node.inputShapes[i]));
      if (!known) rule = { kind: 'opaque', reason: `layer "${node.layer}" (${node.className}) reads a tensor whose channel count is unknown` };
    }
    const outWidth = lastDim(node.outputShapes[0]);
    const out = rule.kind === 'opaque' ? undefined : this.propagate(node, rule, inputs as Layout[]);
    if (out === undefined || out.length !== outWidth) {
      this.block(out, `layer "${node.layer}" (${node.className}) does not write the channel count the graph expects`);
      const reason = rule.kind === 'opaque' ? rule.reason : `layer "${node.layer}" (${node.className}) changes the channel axis in a way the graph cannot follow`;
      this.opaque(node, reason, inputs);
      return;
    }
    this.setOutput(node, 0, out);
  }

  /** The output layout of one call, or undefined when the layer turns out not to be followable. */
  private propagate(node: GraphNode, rule: ChannelRule, inputs: Layout[]): Layout | undefined {
    const state = this.state(node, rule);
    const input = inputs[0] as Layout;
    switch (rule.kind) {
      case 'input': {
        const width = lastDim(node.outputShapes[0]);
        if (width === null) return undefined;
        const layout = this.newSpace(node.layer, width);
        this.block(layout, `model input "${node.layer}"`);
        this.slots.push({ layer: node.layer, role: 'producer', layout });
        return layout;
      }
      case 'producer': {
        this.coupleInput(state, input);
        if (state.out === undefined) {
          state.out = this.newSpace(node.layer, rule.units);
          if (rule.softmax) this.block(state.out, `layer "${node.layer}" applies softmax over its channels`);
          this.slots.push({ layer: node.layer, role: 'producer', layout: state.out });
        }
        this.slots.push({ layer: node.layer, role: 'consumer', layout: input });
        return state.out;
      }
      case 'depthwise': {
        this.coupleInput(state, input);
        const m = rule.multiplier;
        const out = new Int32Array(input.length * m);
        for (let c = 0; c < input.length; c++) for (let j = 0; j < m; j++) out[c * m + j] = input[c] as number;
        state.out ??= out;
        this.slots.push({ layer: node.layer, role: 'passthrough', layout: out });
        return out;
      }
      case 'channelwise':
        this.coupleInput(state, input);
        state.out ??= input;
        this.slots.push({ layer: node.layer, role: 'passthrough', layout: input });
        return input;
      case 'coupling':
        this.block(input, rule.reason);
        this.slots.push({ layer: node.layer, role: 'passthrough', layout: input });
        return input;
      case 'passthrough':
        this.slots.push({ layer: node.layer, role: 'passthrough', layout: input });
        return input;
      case 'merge':
        return this.merge(node, inputs);
      case 'concatenate': {
        const out = new Int32Array(inputs.reduce((n, l) => n + l.length, 0));
        let offset = 0;
        for (const layout of inputs) {
          out.set(layout, offset);
          offset += layout.length;
        }
        this.slots.push({ layer: node.layer, role: 'passthrough', layout: out });
        return out;
      }
      case 'reshape':
        return this.reshape(node, state, input);
      case 'opaque':
        return undefined;
    }
  }

  /** Element-wise merge: inputs as wide as the output are one channel set; width-1 inputs broadcast. */
  private merge(node: GraphNode, inputs: Layout[]): Layout | undefined {
    const width = lastDim(node.outputShapes[0]);
    const full = inputs.filter((layout) => layout.length === width);
    const first = full[0];
    if (first === undefined || inputs.some((layout) => layout.length !== width && layout.length !== 1)) return undefined;
    for (const layout of full) this.unite(first, layout);
    this.slots.push({ layer: node.layer, role: 'passthrough', layout: first });
    return first;
  }

  /**
   * Flatten/Reshape keep row-major order, so with C input channels and L output channels the index
   * j of the new last axis holds channel j mod C when C divides L (the channels repeat), and input
   * channel i lands on j = i mod L when L divides C (those channels fold together).
   */
  private reshape(node: GraphNode, state: MutableLayer, input: Layout): Layout | undefined {
    const width = lastDim(node.outputShapes[0]);
    const channels = input.length;
    if (width === null || channels === 0) return undefined;
    let out: Layout;
    if (width % channels === 0) {
      out = new Int32Array(width);
      for (let j = 0; j < width; j++) out[j] = input[j % channels] as number;
    } else if (channels % width === 0) {
      for (let i = width; i < channels; i++) this.fine.union(input[i] as number, input[i % width] as number);
      out = input.slice(0, width);
    } else {
      return undefined;
    }
    // A Reshape's target shape is one config for all its calls: their widths must shrink alike.
    if (state.out === undefined) state.out = out;
    else if (state.out.length === out.length) this.unite(state.out, out);
    this.slots.push({ layer: node.layer, role: 'passthrough', layout: out });
    return out;
  }

  /** Blocks every input channel and gives every output fresh, blocked channels. */
  private opaque(node: GraphNode, reason: string, inputs: (Layout | undefined)[]): void {
    this.layers.set(node.layer, { rule: { kind: 'opaque', reason } });
    for (const layout of inputs) {
      this.block(layout, reason);
      if (layout !== undefined) this.slots.push({ layer: node.layer, role: 'consumer', layout });
    }
    node.outputShapes.forEach((shape, tensor) => {
      const layout = this.newSpace(tensor === 0 ? node.layer : `${node.layer}:${tensor}`, lastDim(shape) ?? 0);
      this.block(layout, reason);
      this.setOutput(node, tensor, layout);
      this.slots.push({ layer: node.layer, role: 'producer', layout });
    });
  }

  // ---- groups ------------------------------------------------------------------------------------

  private assembleGroups(): void {
    // Coarse sets: fine sets plus "all channels one layer creates", i.e. one set per group.
    this.coarse = this.fine.copy();
    for (const space of this.spaces) for (let i = 1; i < space.size; i++) this.coarse.union(space.first, space.first + i);
    const ordered: GroupBuild[] = [];
    for (const space of this.spaces) {
      if (space.size === 0) continue;
      const root = this.coarse.find(space.first);
      let build = this.byRoot.get(root);
      if (build === undefined) {
        const id = this.byId.has(space.name) ? `${space.name}:${ordered.length}` : space.name;
        build = { id, classes: [], channelOf: new Map(), reasons: new Set(), members: [], memberKeys: new Set() };
        this.byRoot.set(root, build);
        this.byId.set(id, build);
        ordered.push(build);
      }
      for (let atom = space.first; atom < space.first + space.size; atom++) {
        const cls = this.fine.find(atom);
        if (!build.channelOf.has(cls)) {
          build.channelOf.set(cls, build.classes.length);
          build.classes.push(cls);
        }
      }
    }
    for (const [atom, reasons] of this.blocked) {
      const build = this.byRoot.get(this.coarse.find(atom));
      for (const reason of reasons) build?.reasons.add(reason);
    }
    for (const slot of this.slots) this.addMembers(slot);
    this.groupList = ordered.map((b) => ({
      id: b.id,
      channels: b.classes.length,
      members: b.members,
      prunable: b.reasons.size === 0,
      blockedBy: [...b.reasons],
    }));
  }

  /**
   * Describes how a slot's layer sees each group it touches. A layer can see one group at several
   * places (a Concatenate of x and a depthwise conv of x): when one description does not fit, the
   * layout is cut where the channel order restarts and each piece becomes its own member.
   */
  private addMembers(slot: Slot): void {
    const perGroup = new Map<GroupBuild, { index: number; channel: number }[]>();
    slot.layout.forEach((atom, index) => {
      const build = this.byRoot.get(this.coarse.find(atom)) as GroupBuild;
      const channel = build.channelOf.get(this.fine.find(atom)) as number;
      const list = perGroup.get(build);
      if (list === undefined) perGroup.set(build, [{ index, channel }]);
      else list.push({ index, channel });
    });
    for (const [build, entries] of perGroup) {
      const whole = this.fit(slot, build, entries);
      if (whole !== undefined) {
        this.addMember(build, whole);
        continue;
      }
      const pieces: { index: number; channel: number }[][] = [];
      let piece: { index: number; channel: number }[] = [];
      for (const entry of entries) {
        const previous = piece[piece.length - 1];
        if (previous !== undefined && entry.channel < previous.channel) {
          pieces.push(piece);
          piece = [];
        }
        piece.push(entry);
      }
      pieces.push(piece);
      const members = pieces.map((p) => this.fit(slot, build, p));
      if (members.some((m) => m === undefined)) {
        build.reasons.add(`layer "${slot.layer}" sees the channels in an irregular order`);
        continue;
      }
      for (const member of mergeRepeats(members as GroupMember[])) this.addMember(build, member);
    }
  }

  private fit(slot: Slot, build: GroupBuild, entries: readonly { index: number; channel: number }[]): GroupMember | undefined {
    const byChannel = new Map<number, number[]>();
    for (const { index, channel } of entries) {
      const list = byChannel.get(channel);
      if (list === undefined) byChannel.set(channel, [index]);
      else list.push(index);
    }
    return fitMember(slot.layer, slot.role, byChannel, build.classes.length);
  }

  private addMember(build: GroupBuild, member: GroupMember): void {
    const key = JSON.stringify(member);
    if (build.memberKeys.has(key)) return;
    build.memberKeys.add(key);
    build.members.push(member);
  }
}

/** Pieces that differ only by a constant offset step (a Flatten of a concatenation) become one strided member. */
function mergeRepeats(members: readonly GroupMember[]): GroupMember[] {
  const buckets = new Map<string, GroupMember[]>();
  const out: GroupMember[] = [];
  for (const member of members) {
    if (member.positions !== undefined) {
      out.push(member);
      continue;
    }
    const key = JSON.stringify({ ...member, offset: 0 });
    buckets.set(key, [...(buckets.get(key) ?? []), member]);
  }
  for (const bucket of buckets.values()) {
    const offsets = bucket.map((m) => m.offset).sort((a, b) => a - b);
    const step = (offsets[1] ?? 0) - (offsets[0] ?? 0);
    const regular = offsets.length > 1 && offsets.every((o, i) => o === (offsets[0] as number) + i * step);
    if (regular) out.push({ ...(bucket[0] as GroupMember), offset: offsets[0] as number, stride: step, positions: offsets.length });
    else out.push(...bucket);
  }
  return out;
}
