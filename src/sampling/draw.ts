import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "../db/database.ts";
import {
  attributeCodeSql,
  forEachDecisionValue,
  getPopulation,
  type Population,
  valueDictionary,
} from "../db/populations.ts";
import { insertSample, type NewItem, type Sample, type SampleStratum } from "../db/samples.ts";
import { DomainError, notFound } from "../errors.ts";
import { periodOf } from "../time.ts";
import { type DrawRequest, sizeStrata, strataRates } from "./plan.ts";
import { BottomK, sha256Hex } from "./priority.ts";
import { SINGLE_STRATUM, stratumKey } from "./strata.ts";

/** Combined value codes up to this many get a dense lookup table; beyond, a Map. */
const DENSE_STRATA_TABLE = 1 << 22;

export interface StrataScan {
  attributes: string[];
  /** Stratum keys, sorted (code-unit order): the order of strata everywhere. */
  keys: string[];
  values: string[][];
  sizes: number[];
  /** Stratum index of each decision by offset (seq − firstSeq); null for the single stratum "all". */
  stratumOf: Uint32Array | null;
}

/**
 * One scan of the population's attribute codes: which stratum each decision is in and each stratum's size
 * N_h. Strata are the value combinations that occur, sorted by key. The codes of the strata attributes are
 * combined in SQL into one mixed-radix integer per decision (or, past 2^53 combinations, a text key), read a
 * plucked column at a time.
 */
export async function scanStrata(
  db: Db,
  population: Population,
  attributes: string[],
  dictionary: Map<string, string[]>,
): Promise<StrataScan> {
  if (attributes.length === 0) {
    return { attributes, keys: [SINGLE_STRATUM], values: [[]], sizes: [population.count], stratumOf: null };
  }
  const radix = attributes.map((a) => dictionary.get(a)!.length);
  const product = radix.reduce((a, b) => a * b, 1);
  const codes = attributes.map((a) => attributeCodeSql(db, population, a));
  const numeric = product <= Number.MAX_SAFE_INTEGER;
  const expression = numeric
    ? codes.reduce((sql, code, i) => (i === 0 ? `(${code})` : `(${sql}) * ${radix[i]} + (${code})`), "")
    : codes.map((code) => `(${code})`).join(" || ',' || ");
  const dense = product <= DENSE_STRATA_TABLE ? new Int32Array(product).fill(-1) : undefined;
  const sparse = new Map<number | string, number>();
  const slotKeys: (number | string)[] = [];
  const slotSizes: number[] = [];
  const stratumOf = new Uint32Array(population.count);
  const newSlot = (key: number | string) => {
    slotKeys.push(key);
    slotSizes.push(0);
    return slotKeys.length - 1;
  };
  if (dense) {
    await forEachDecisionValue<number>(db, population, expression, (offset, combined) => {
      let slot = dense[combined];
      if (slot < 0) slot = dense[combined] = newSlot(combined);
      slotSizes[slot]++;
      stratumOf[offset] = slot;
    });
  } else {
    await forEachDecisionValue<number | string>(db, population, expression, (offset, combined) => {
      let slot = sparse.get(combined);
      if (slot === undefined) {
        slot = newSlot(combined);
        sparse.set(combined, slot);
      }
      slotSizes[slot]++;
      stratumOf[offset] = slot;
    });
  }
  const decode = (combined: number | string): number[] => {
    if (typeof combined === "string") return combined.split(",").map(Number);
    const result = new Array<number>(radix.length);
    for (let i = radix.length - 1; i >= 0; i--) {
      result[i] = combined % radix[i];
      combined = Math.floor(combined / radix[i]);
    }
    return result;
  };
  const slotValues = slotKeys.map((combined) =>
    decode(combined).map((code, i) => dictionary.get(attributes[i])![code] ?? ""),
  );
  const keys = slotValues.map((values) => stratumKey(attributes, values));
  const order = keys.map((_, slot) => slot).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
  const rank = new Uint32Array(order.length);
  order.forEach((slot, h) => {
    rank[slot] = h;
  });
  for (let i = 0; i < stratumOf.length; i++) stratumOf[i] = rank[stratumOf[i]];
  return {
    attributes,
    keys: order.map((slot) => keys[slot]),
    values: order.map((slot) => slotValues[slot]),
    sizes: order.map((slot) => slotSizes[slot]),
    stratumOf,
  };
}

/**
 * Bottom-k by keyed hash in every stratum: one scan of the population's ids, each hashed once
 * (SHA-256 of `seed:id`), kept in its stratum's bounded max-heap of size n_h. Strata with n_h = 0 are not
 * hashed. Returns each stratum's drawn decisions in draw order.
 */
export async function selectItems(
  db: Db,
  population: Population,
  seed: string,
  stratumOf: Uint32Array | null,
  n: readonly number[],
): Promise<{ priority: string; id: string; seq: number }[][]> {
  const heaps = n.map((k) => new BottomK(k));
  const first = population.firstSeq;
  if (stratumOf === null) {
    const heap = heaps[0];
    if (heap.k > 0) {
      await forEachDecisionValue<string>(db, population, "id", (offset, id) =>
        heap.offer(sha256Hex(seed, id), id, first + offset),
      );
    }
  } else {
    await forEachDecisionValue<string>(db, population, "id", (offset, id) => {
      const heap = heaps[stratumOf[offset]];
      if (heap.k > 0) heap.offer(sha256Hex(seed, id), id, first + offset);
    });
  }
  return heaps.map((heap) => heap.sorted());
}

/**
 * Draws a sample: validates the plan against the population, scans strata, sizes them, selects, and stores
 * the sample and its items — all in one transaction (the population cannot be deleted midway). The same
 * population, plan and seed give the same items, ranks and priorities on either backend: strata are ordered
 * and items ranked here, in JavaScript, not by the database.
 */
export async function drawSample(
  db: Db,
  request: DrawRequest,
  createdBy: string | null,
  timeZone = "UTC",
  now = Date.now(),
): Promise<Sample> {
  return db.transaction(async (tx) => {
    const population = await getPopulation(tx, request.population);
    if (!population) throw notFound(`population ${request.population}`);
    const attributes = request.strata ?? [];
    attributes.forEach((attribute, i) => {
      if (!population.attributes.includes(attribute)) {
        throw new DomainError(
          "invalid",
          "validation_failed",
          `the population has no attribute "${attribute}" (it has ${population.attributes.join(", ")})`,
          [{ path: `strata.${i}`, message: `unknown attribute "${attribute}"` }],
        );
      }
      if (attributes.indexOf(attribute) !== i) {
        throw new DomainError("invalid", "validation_failed", `strata lists "${attribute}" twice`, [
          { path: `strata.${i}`, message: "duplicate attribute" },
        ]);
      }
    });
    const dictionary = await valueDictionary(tx, population);
    const scan = await scanStrata(tx, population, attributes, dictionary);
    const rates = await strataRates(tx, request, attributes, scan.keys, now);
    const sized = sizeStrata(
      request,
      scan.keys.map((key, h) => ({ key, size: scan.sizes[h] })),
      rates,
    );
    const seed = request.seed ?? randomBytes(16).toString("hex");
    const drawn = await selectItems(tx, population, seed, scan.stratumOf, sized.n);

    const strata: SampleStratum[] = scan.keys.map((key, h) => {
      const stratum: SampleStratum = {
        key,
        values: Object.fromEntries(attributes.map((a, i) => [a, scan.values[h][i]])),
        size: scan.sizes[h],
        n: drawn[h].length,
      };
      const rate = rates?.get(key);
      if (rate) {
        stratum.expectedRate = rate.rate;
        stratum.rateSource = rate.source;
      }
      return stratum;
    });
    const items: NewItem[] = [];
    drawn.forEach((list, h) => {
      list.forEach((item, r) => {
        items.push({
          decisionId: item.id,
          decisionSeq: item.seq,
          stratum: scan.keys[h],
          rank: r + 1,
          priority: item.priority,
        });
      });
    });
    const plan = normalisedPlan(request);
    const sample: Sample = {
      id: randomUUID(),
      name: request.name ?? `${population.name ?? population.id} ${periodOf(now, "day", timeZone).label}`,
      population: population.id,
      seed,
      plan,
      strataAttributes: attributes,
      n: items.length,
      strata,
      notes: sized.notices.map((notice) => notice.message),
      notices: sized.notices,
      assignment: null,
      createdBy,
      createdAt: new Date(now).toISOString(),
    };
    await insertSample(tx, sample, items);
    return sample;
  });
}

/** The plan as stored and shown: the request without the seed, with defaults filled in. */
function normalisedPlan(request: DrawRequest): Record<string, unknown> {
  const plan: Record<string, unknown> = {
    population: request.population,
    strata: request.strata ?? [],
    allocation: request.perStratum ? null : (request.allocation ?? "proportional"),
  };
  if (request.total !== undefined) plan.total = request.total;
  if (request.margin !== undefined) {
    plan.confidence = request.confidence ?? 0.95;
    plan.margin = request.margin;
    plan.expectedRate = request.expectedRate ?? 0.5;
  }
  if (request.perStratum) {
    plan.perStratum = {
      confidence: request.perStratum.confidence ?? 0.95,
      margin: request.perStratum.margin,
      expectedRate: request.perStratum.expectedRate ?? 0.5,
    };
  }
  plan.minPerStratum = request.minPerStratum ?? 0;
  if (request.expectedRates) plan.expectedRates = request.expectedRates;
  if (request.fromHistory) plan.fromHistory = request.fromHistory;
  return plan;
}
