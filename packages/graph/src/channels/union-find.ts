/**
 * Disjoint sets over small integers, with path halving and union by size. Channels that must be
 * removed together end up in one set.
 *
 * ```ts
 * const sets = new UnionFind();
 * const a = sets.add(), b = sets.add();
 * sets.union(a, b);
 * sets.find(a) === sets.find(b); // true
 * ```
 */
export class UnionFind {
  constructor(
    private readonly parent: number[] = [],
    private readonly size: number[] = [],
  ) {}

  /** A new singleton set; returns its element. */
  add(): number {
    const id = this.parent.length;
    this.parent.push(id);
    this.size.push(1);
    return id;
  }

  /** `count` new consecutive singletons; returns the first. */
  addMany(count: number): number {
    const first = this.parent.length;
    for (let i = 0; i < count; i++) this.add();
    return first;
  }

  get length(): number {
    return this.parent.length;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      const up = parent[parent[x] as number] as number;
      parent[x] = up;
      x = up;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size[ra] as number) < (this.size[rb] as number)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] as number) + (this.size[rb] as number);
  }

  /** An independent copy (the coarse grouping starts from the fine one). */
  copy(): UnionFind {
    return new UnionFind(this.parent.slice(), this.size.slice());
  }
}
