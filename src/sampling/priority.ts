import { hash } from "node:crypto";

/**
 * The draw's priority of a decision: the first 8 bytes of SHA-256 over the UTF-8 text `seed + ":" + id`,
 * read as an unsigned big-endian 64-bit integer. It is handled as 16 lowercase hex digits, whose
 * lexicographic order is the numeric order of the unsigned integer (JSON numbers cannot hold 64 bits).
 * `crypto.hash` with hex output is the fastest SHA-256 available in Node (~0.4 µs for a short id).
 */
export function sha256Hex(seed: string, id: string): string {
  return hash("sha256", `${seed}:${id}`, "hex");
}

/** The 16-hex-digit priority of `id` under `seed`. */
export function priorityHex(seed: string, id: string): string {
  return sha256Hex(seed, id).slice(0, 16);
}

/** The priority as an unsigned decimal integer string (what PostgreSQL numeric or DuckDB UBIGINT shows). */
export function priorityDecimal(hex: string): string {
  return BigInt(`0x${hex.slice(0, 16)}`).toString();
}

/**
 * Whether decision A comes before decision B in the draw order: smaller priority first (the first 16 hex
 * digits compared; `hexA`/`hexB` may be full digests), ties by id in UTF-8 byte order (PostgreSQL's "C"
 * collation, DuckDB's default). A tie of 64-bit priorities has probability about n²/2⁶⁵, so the id
 * comparison practically never runs.
 */
export function drawnBefore(hexA: string, idA: string, hexB: string, idB: string): boolean {
  for (let i = 0; i < 16; i++) {
    const d = hexA.charCodeAt(i) - hexB.charCodeAt(i);
    if (d !== 0) return d < 0;
  }
  return Buffer.compare(Buffer.from(idA, "utf8"), Buffer.from(idB, "utf8")) < 0;
}

/**
 * Bottom-k selection: keeps the k decisions that come first in the draw order among all offered, in a
 * bounded max-heap (root = the last of the kept ones), so a stratum of any size costs O(k) memory and
 * O(log k) per decision that enters, O(1) per decision rejected at the root.
 */
export class BottomK {
  private readonly hexes: string[] = [];
  private readonly ids: string[] = [];
  private readonly seqs: number[] = [];

  constructor(readonly k: number) {}

  get size(): number {
    return this.hexes.length;
  }

  /** Offers a decision with its digest (≥ 16 hex digits), id and storage sequence number. */
  offer(hex: string, id: string, seq: number): void {
    const n = this.hexes.length;
    if (n < this.k) {
      this.hexes.push(hex.slice(0, 16));
      this.ids.push(id);
      this.seqs.push(seq);
      this.siftUp(n);
      return;
    }
    if (n === 0 || !drawnBefore(hex, id, this.hexes[0], this.ids[0])) return;
    this.hexes[0] = hex.slice(0, 16);
    this.ids[0] = id;
    this.seqs[0] = seq;
    this.siftDown(0);
  }

  /** The kept decisions in draw order (rank 1 first). */
  sorted(): { priority: string; id: string; seq: number }[] {
    return this.hexes
      .map((priority, i) => ({ priority, id: this.ids[i], seq: this.seqs[i] }))
      .sort((a, b) => (drawnBefore(a.priority, a.id, b.priority, b.id) ? -1 : 1));
  }

  /** Whether entry i comes after entry j (max-heap order). */
  private after(i: number, j: number): boolean {
    return drawnBefore(this.hexes[j], this.ids[j], this.hexes[i], this.ids[i]);
  }

  private swap(i: number, j: number): void {
    [this.hexes[i], this.hexes[j]] = [this.hexes[j], this.hexes[i]];
    [this.ids[i], this.ids[j]] = [this.ids[j], this.ids[i]];
    [this.seqs[i], this.seqs[j]] = [this.seqs[j], this.seqs[i]];
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.after(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.hexes.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < n && this.after(left, largest)) largest = left;
      if (right < n && this.after(right, largest)) largest = right;
      if (largest === i) return;
      this.swap(i, largest);
      i = largest;
    }
  }
}
