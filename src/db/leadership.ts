import pg from "pg";
import type { Logger } from "../logger.ts";
import type { Db } from "./database.ts";

/** An arbitrary constant: the session advisory lock held by the instance that runs background work. */
const LEADER_LOCK = 0x6d716c64;

export interface LeadershipOptions {
  /** How often a follower tries to take the lock, and the leader checks that its connection still holds it. */
  intervalMs: number;
  /** PostgreSQL channel on which instances announce committed audits (`notify`), for prompt evaluation. */
  channel?: string;
}

/**
 * Which instance runs the background work that must run once (alert evaluation, webhook delivery) when
 * several modqc instances share one PostgreSQL database.
 *
 * The leader holds a session-level advisory lock on a connection of its own. PostgreSQL releases the lock
 * when that connection ends, so when the leader dies (even by SIGKILL: the kernel closes its socket) another
 * instance's next attempt, at most `intervalMs` later, takes it over. The leader re-checks its connection every
 * `intervalMs` and steps down at the first failure, so an instance cut off from the database stops working as
 * leader within an interval. On SQLite there is one instance per database file: it always leads.
 *
 * The same connection LISTENs on `channel`: an instance that commits audits calls `notify`, and the leader's
 * `onNotice` callback runs (the engine evaluates ingest-triggered rules, debounced), whichever instance took the
 * upload.
 */
export class Leadership {
  private client: pg.Client | undefined;
  private leading: boolean;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly listeners: {
    gained: (() => void)[];
    lost: (() => void)[];
    notice: ((payload: string) => void)[];
  } = {
    gained: [],
    lost: [],
    notice: [],
  };

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: LeadershipOptions,
  ) {
    this.leading = db.dialect === "sqlite";
  }

  /** Whether this instance runs the background work now. */
  get isLeader(): boolean {
    return this.leading;
  }

  onGained(listener: () => void): void {
    this.listeners.gained.push(listener);
  }

  onLost(listener: () => void): void {
    this.listeners.lost.push(listener);
  }

  /** Called on the leader with the payload of every `notify` (from any instance). */
  onNotice(listener: (payload: string) => void): void {
    this.listeners.notice.push(listener);
  }

  /** Starts trying for the lock (PostgreSQL); on SQLite this instance leads from the start. */
  start(): void {
    if (this.db.dialect === "sqlite") return;
    void this.attempt();
  }

  /** Sends `payload` to the leader (whichever instance it is) on the channel. No-op on SQLite. */
  async notify(payload: string): Promise<void> {
    if (this.db.dialect !== "postgres" || !this.options.channel) return;
    await this.db.get("SELECT pg_notify(?, ?)", [this.options.channel, payload]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.leading && this.db.dialect === "postgres") this.step(false);
    const client = this.client;
    this.client = undefined;
    // Ending the connection releases the lock at once: a follower takes over on its next attempt.
    await client?.end().catch(() => {});
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.leading) {
        // Still connected, so still holding the lock (it is released only when the session ends).
        await this.client!.query("SELECT 1");
      } else {
        this.client ??= await this.connect();
        // Keyed by schema too: databases in other schemas of one PostgreSQL database have leaders of their own.
        const { rows } = await this.client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked",
          [LEADER_LOCK],
        );
        if (rows[0].locked) {
          if (this.options.channel)
            await this.client.query(`LISTEN ${pg.escapeIdentifier(this.options.channel)}`);
          this.step(true);
        }
      }
    } catch (error) {
      this.drop(error);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.attempt(), this.options.intervalMs);
    this.timer?.unref();
  }

  private async connect(): Promise<pg.Client> {
    const location = this.db.location;
    if (location.dialect !== "postgres") throw new Error("leadership needs PostgreSQL");
    const client = new pg.Client({ connectionString: location.url, keepAlive: true });
    // Only the connection in use counts: a late error from one already dropped must not drop its successor.
    client.on("error", (error) => {
      if (this.client === client) this.drop(error);
    });
    client.on("notification", (message) => {
      if (!this.leading) return;
      for (const listener of this.listeners.notice) listener(message.payload ?? "");
    });
    await client.connect();
    return client;
  }

  /** The connection failed: whatever it held is gone (PostgreSQL releases the lock when the session ends). */
  private drop(error: unknown): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => {});
    if (this.leading) {
      this.logger.error("lost the database connection that held leadership; stepping down", {
        error: error instanceof Error ? error.message : String(error),
      });
      this.step(false);
    }
  }

  private step(leading: boolean): void {
    if (this.leading === leading) return;
    this.leading = leading;
    if (leading)
      this.logger.info("this instance now leads background work (alert evaluation, webhook delivery)");
    for (const listener of leading ? this.listeners.gained : this.listeners.lost) listener();
  }
}
