// The fleet scenario's machinery: simulated time, an Atlas with a latency model in front of the emulator's own
// store, and a queue with Lambda's SQS event source mapping in front of it. The bridge's code runs for real
// (its reads, joins, plans and writes against the emulator's type-checked store); only time is simulated, so an
// hour of a 10,000-job fleet takes minutes. See docs/fleet.md for the model and its assumptions.
import { join } from 'node:path';
import type {
  AtlasEntity, AtlasEntityWithExtInfo, AtlasPort, AtlasRelationshipRequest, EntityMutationResponse,
} from '../../lib/atlas/index.js';
import { AtlasBackend } from '../../local/atlas-emulator/backend.js';
import { loadModelsDir, loadTypedefFile } from '../../local/atlas-emulator/modelLoader.js';
import { ROOT_DIR } from './children.js';

// ---- simulated time --------------------------------------------------------------------------------

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * Simulated milliseconds. `sleep` resolves when the clock reaches its time; `run` advances the clock to the next
 * timer only once every promise chain is blocked on one (the bridge's code does no real I/O here).
 */
export class SimClock {
  now = 0;
  #heap: Timer[] = [];
  #seq = 0;

  at(time: number, fire: () => void): void {
    const timer = { at: Math.max(time, this.now), seq: this.#seq++, fire };
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.now + ms, resolve));
  }

  #pop(): Timer | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
    return top;
  }

  /** Runs until no timer is left. */
  async run(): Promise<void> {
    for (;;) {
      // Let every continuation of the last step run to its next sleep.
      await new Promise((resolve) => setImmediate(resolve));
      const next = this.#pop();
      if (next === undefined) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#heap.length === 0) return;
        continue;
      }
      this.now = next.at;
      next.fire();
      // Everything due at the same time fires before the continuations run.
      while (this.#heap.length > 0 && this.#heap[0]!.at === this.now) this.#pop()!.fire();
    }
  }
}

const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Runs a store's work, its answer passed as JSON text as the wire would, and adds the time to the store's own. */
const overTheWire = <T>(store: { ownMs: number }, work: () => T): T => {
  const started = performance.now();
  try {
    return JSON.parse(JSON.stringify(work())) as T;
  } finally {
    store.ownMs += performance.now() - started;
  }
};

// ---- the emulator's store, in process ----------------------------------------------------------------

/**
 * An AtlasPort over the emulator's backend (the code behind its REST routes: type checks, relationships,
 * soft deletes), with requests and answers passed as JSON text as the wire would. No HTTP: the fleet scenario
 * makes over a million calls. Atlas errors come back as plain errors, which the bridge treats as retryable;
 * the scenario counts them and fails if there is any.
 */
export class EmulatorStore implements AtlasPort {
  readonly backend = new AtlasBackend();
  /** Real milliseconds spent in the emulator's code: Atlas's work, not the bridge's. */
  ownMs = 0;

  constructor() {
    loadModelsDir(this.backend.registry);
    loadTypedefFile(this.backend.registry, join(ROOT_DIR, 'lib/atlas/typedefs/flink-bridge-model.json'));
  }

  #timed<T>(work: () => T): T {
    return overTheWire(this, work);
  }

  async getEntitiesByQualifiedNames(qualifiedNames: readonly string[], typeName: string): Promise<AtlasEntity[]> {
    const options = { minExtInfo: true, ignoreRelationships: true };
    const answer = this.#timed(() => this.backend.getEntitiesByUniqueAttributes(typeName, qualifiedNames.map((qualifiedName) => ({ qualifiedName })), options));
    return (answer as { entities?: AtlasEntity[] }).entities ?? [];
  }

  async bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse> {
    const body = JSON.parse(JSON.stringify(request)) as { entities: unknown[] };
    return this.#timed(() => this.backend.createOrUpdate({ entities: body.entities, referredEntities: {} }, 'admin')) as EntityMutationResponse;
  }

  async deleteByQualifiedName(typeName: string, qualifiedName: string): Promise<EntityMutationResponse> {
    return this.#timed(() => this.backend.deleteByUniqueAttributes(typeName, { qualifiedName }, 'admin')) as EntityMutationResponse;
  }

  async getEntityByQualifiedName(typeName: string, qualifiedName: string): Promise<AtlasEntityWithExtInfo | undefined> {
    try {
      return this.#timed(() => this.backend.getByUniqueAttributes(typeName, { qualifiedName }, { minExtInfo: false, ignoreRelationships: false }));
    } catch {
      return undefined;
    }
  }

  async createRelationship(relationship: AtlasRelationshipRequest): Promise<void> {
    this.#timed(() => this.backend.createRelationship(JSON.parse(JSON.stringify(relationship)), 'admin'));
  }
}

/** A relationship of a Process's inputs or outputs, as Atlas keeps it: removed ones stay, DELETED. */
interface Link {
  guid: string;
  typeName: string;
  qualifiedName: string;
  status: 'ACTIVE' | 'DELETED';
}

interface Held {
  typeName: string;
  guid: string;
  status: 'ACTIVE' | 'DELETED';
  attributes: Record<string, unknown>;
  links: Record<string, Link[]>;
  /** Other relationship attributes (a run's job): the object id sent, resolved. */
  related: Record<string, unknown>;
}

const LINK_ATTRIBUTES = new Set(['inputs', 'outputs']);

/**
 * The same answers as the emulator for what the fleet's events touch (upsert by type and qualifiedName, the
 * bulk read without relationships but with the legacy inputs/outputs, Atlas's re-link quirk: a relation removed
 * and sent again stays DELETED until POST /v2/relationship), in constant time per entity. The emulator copies
 * its whole store on every write (one transaction), which a 10,000-job hour cannot afford; the scenario checks,
 * on a small fleet, that both stores draw the very same calls from the bridge.
 */
export class FastStore implements AtlasPort {
  ownMs = 0;
  #byName = new Map<string, Held>();
  #byGuid = new Map<string, Held>();
  #next = 1;

  #timed<T>(work: () => T): T {
    return overTheWire(this, work);
  }

  #view(held: Held, withRelationships: boolean): AtlasEntity {
    const legacy = Object.fromEntries(Object.entries(held.links).map(([name, links]) => [
      name, links.map((l) => ({ guid: l.guid, typeName: l.typeName, uniqueAttributes: { qualifiedName: l.qualifiedName } })),
    ]));
    return {
      typeName: held.typeName,
      guid: held.guid,
      status: held.status,
      attributes: { ...held.attributes, ...legacy, ...held.related },
      ...(withRelationships
        ? { relationshipAttributes: Object.fromEntries(Object.entries(held.links).map(([name, links]) => [
            name, links.map((l) => ({ guid: l.guid, typeName: l.typeName, qualifiedName: l.qualifiedName, relationshipStatus: l.status, entityStatus: 'ACTIVE' })),
          ])) }
        : {}),
    };
  }

  all(): AtlasEntity[] {
    return [...this.#byGuid.values()].map((h) => this.#view(h, false));
  }

  async getEntitiesByQualifiedNames(qualifiedNames: readonly string[], typeName: string): Promise<AtlasEntity[]> {
    return this.#timed(() => qualifiedNames.flatMap((name) => {
      const held = this.#byName.get(`${typeName}|${name}`);
      return held === undefined || held.status === 'DELETED' ? [] : [this.#view(held, false)];
    }));
  }

  async bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse> {
    return this.#timed(() => {
      const guidAssignments: Record<string, string> = {};
      const resolve = (id: { guid?: string; typeName?: string; uniqueAttributes?: { qualifiedName?: string } }): Held | undefined =>
        (id.guid !== undefined ? this.#byGuid.get(guidAssignments[id.guid] ?? id.guid) : undefined)
        ?? this.#byName.get(`${id.typeName}|${id.uniqueAttributes?.qualifiedName}`);
      const written: [Held, AtlasEntity][] = [];
      for (const sent of request.entities) {
        const qualifiedName = String(sent.attributes.qualifiedName);
        let held = this.#byName.get(`${sent.typeName}|${qualifiedName}`);
        if (held === undefined || held.status === 'DELETED') {
          held = { typeName: sent.typeName, guid: `g-${this.#next++}`, status: 'ACTIVE', attributes: {}, links: {}, related: {} };
          for (const type of [sent.typeName, 'Referenceable']) {
            const key = `${type}|${qualifiedName}`;
            const other = this.#byName.get(key);
            if (type === sent.typeName || other === undefined || other.status === 'DELETED') this.#byName.set(key, held);
          }
          this.#byGuid.set(held.guid, held);
        }
        if (sent.guid !== undefined) guidAssignments[sent.guid] = held.guid;
        for (const [name, value] of Object.entries(sent.attributes)) {
          if (value === null) delete held.attributes[name];
          else held.attributes[name] = value;
        }
        written.push([held, sent]);
      }
      for (const [held, sent] of written) {
        for (const [name, value] of Object.entries(sent.relationshipAttributes ?? {})) {
          if (!LINK_ATTRIBUTES.has(name)) {
            const target = resolve(value as { guid?: string });
            held.related[name] = target === undefined ? null : { guid: target.guid, typeName: target.typeName };
            continue;
          }
          const targets = (value as { guid?: string }[]).map(resolve).filter((t): t is Held => t !== undefined);
          const links = held.links[name] ?? [];
          const wanted = new Set(targets.map((t) => t.guid));
          // EntityGraphMapper: edges to targets no longer sent are deleted; a target sent again keeps its edge as it is.
          for (const link of links) if (!wanted.has(link.guid)) link.status = 'DELETED';
          for (const t of targets) {
            if (!links.some((l) => l.guid === t.guid)) links.push({ guid: t.guid, typeName: t.typeName, qualifiedName: String(t.attributes.qualifiedName), status: 'ACTIVE' });
          }
          held.links[name] = links;
        }
      }
      return { guidAssignments };
    });
  }

  async deleteByQualifiedName(typeName: string, qualifiedName: string): Promise<EntityMutationResponse> {
    return this.#timed(() => {
      const held = this.#byName.get(`${typeName}|${qualifiedName}`);
      if (held !== undefined) held.status = 'DELETED';
      return {};
    });
  }

  async getEntityByQualifiedName(typeName: string, qualifiedName: string): Promise<AtlasEntityWithExtInfo | undefined> {
    return this.#timed(() => {
      const held = this.#byName.get(`${typeName}|${qualifiedName}`);
      return held === undefined || held.status === 'DELETED' ? undefined : { entity: this.#view(held, true) };
    });
  }

  async createRelationship(relationship: AtlasRelationshipRequest): Promise<void> {
    this.#timed(() => {
      const holder = this.#byGuid.get(String(relationship.end1.guid));
      const target = this.#byGuid.get(String(relationship.end2.guid));
      if (holder === undefined || target === undefined) return;
      const name = relationship.typeName === 'dataset_process_inputs' ? 'inputs' : 'outputs';
      const links = holder.links[name] ?? [];
      const link = links.find((l) => l.guid === target.guid);
      if (link !== undefined) link.status = 'ACTIVE';
      else links.push({ guid: target.guid, typeName: target.typeName, qualifiedName: String(target.attributes.qualifiedName), status: 'ACTIVE' });
      holder.links[name] = links;
    });
  }
}

// ---- Atlas's latency, and what the bridge asks of it ----------------------------------------------------

/** Atlas as one JVM: a fixed pool of request threads, a service time per call, the rest waits in line. */
export interface AtlasModel {
  threads: number;
  readMs: number;
  readMsPerName: number;
  writeMs: number;
  writeMsPerEntity: number;
}

export interface CallLog {
  calls: number;
  reads: number;
  writes: number;
  /** Calls started per simulated second. */
  perSecond: Map<number, number>;
  peakInFlight: number;
  errors: number;
}

/**
 * The Atlas the bridge sees in simulated time: each call waits for a free Atlas thread, takes its service time,
 * then runs against the emulator's store (so a write is visible when its answer comes). In flight = sent and not
 * answered, waiting or served: what the bridge puts on Atlas.
 */
export class SimAtlas implements AtlasPort {
  readonly log: CallLog = { calls: 0, reads: 0, writes: 0, perSecond: new Map(), peakInFlight: 0, errors: 0 };
  #inFlight = 0;
  #busy = 0;
  #line: (() => void)[] = [];

  constructor(
    readonly clock: SimClock,
    readonly store: AtlasPort & { ownMs: number },
    readonly model: AtlasModel,
  ) {}

  async #call<T>(kind: 'read' | 'write', serviceMs: number, work: () => Promise<T>): Promise<T> {
    const second = Math.floor(this.clock.now / 1000);
    this.log.calls += 1;
    this.log[kind === 'read' ? 'reads' : 'writes'] += 1;
    this.log.perSecond.set(second, (this.log.perSecond.get(second) ?? 0) + 1);
    this.#inFlight += 1;
    this.log.peakInFlight = Math.max(this.log.peakInFlight, this.#inFlight);
    try {
      if (this.#busy >= this.model.threads) await new Promise<void>((resolve) => this.#line.push(resolve));
      else this.#busy += 1;
      try {
        await this.clock.sleep(serviceMs);
        return await work();
      } catch (error) {
        this.log.errors += 1;
        throw error;
      } finally {
        const next = this.#line.shift();
        if (next === undefined) this.#busy -= 1;
        else next();
      }
    } finally {
      this.#inFlight -= 1;
    }
  }

  getEntitiesByQualifiedNames(qualifiedNames: readonly string[], typeName: string): Promise<AtlasEntity[]> {
    return this.#call('read', this.model.readMs + this.model.readMsPerName * qualifiedNames.length, () => this.store.getEntitiesByQualifiedNames(qualifiedNames, typeName));
  }

  bulkWrite(request: { entities: AtlasEntity[] }): Promise<EntityMutationResponse> {
    return this.#call('write', this.model.writeMs + this.model.writeMsPerEntity * request.entities.length, () => this.store.bulkWrite(request));
  }

  deleteByQualifiedName(typeName: string, qualifiedName: string): Promise<EntityMutationResponse> {
    return this.#call('write', this.model.writeMs, () => this.store.deleteByQualifiedName(typeName, qualifiedName));
  }

  getEntityByQualifiedName(typeName: string, qualifiedName: string): Promise<AtlasEntityWithExtInfo | undefined> {
    return this.#call('read', this.model.readMs, () => this.store.getEntityByQualifiedName(typeName, qualifiedName));
  }

  createRelationship(relationship: AtlasRelationshipRequest): Promise<void> {
    return this.#call('write', this.model.writeMs, () => this.store.createRelationship(relationship));
  }
}

// ---- SQS and the event source mapping -----------------------------------------------------------------

export interface QueueModel {
  /** SendMessageBatch latency (the webhook answers after it). */
  sendMs: number;
  /** The event source mapping's MaximumBatchingWindowInSeconds, in ms. */
  batchWindowMs: number;
  /** Its BatchSize (records per invocation). */
  batchSize: number;
  /** Its ScalingConfig MaximumConcurrency: worker invocations at once. */
  workers: number;
}

/**
 * Messages wait in the queue; the event source mapping hands a worker a batch once the batching window has
 * passed since the oldest waiting message, or at once when a full batch waits, with at most `workers`
 * invocations at a time.
 */
export class SimQueue<T> {
  #waiting: { item: T; at: number }[] = [];
  #running = 0;
  #wake: number | undefined;
  invocations = 0;

  constructor(
    readonly clock: SimClock,
    readonly model: QueueModel,
    readonly worker: (batch: { item: T; at: number }[]) => Promise<void>,
  ) {}

  push(items: readonly T[]): void {
    for (const item of items) this.#waiting.push({ item, at: this.clock.now });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#running >= this.model.workers || this.#waiting.length === 0) return;
    const due = this.#waiting.length >= this.model.batchSize ? this.clock.now : this.#waiting[0]!.at + this.model.batchWindowMs;
    if (due <= this.clock.now) {
      this.#start();
      this.#schedule();
      return;
    }
    if (this.#wake !== undefined && this.#wake <= due) return;
    this.#wake = due;
    this.clock.at(due, () => {
      this.#wake = undefined;
      this.#schedule();
    });
  }

  #start(): void {
    const batch = this.#waiting.splice(0, this.model.batchSize);
    this.#running += 1;
    this.invocations += 1;
    void this.worker(batch).finally(() => {
      this.#running -= 1;
      this.#schedule();
    });
  }
}
