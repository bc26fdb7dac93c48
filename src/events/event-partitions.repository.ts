// The daily partitions of `events` by `received_at` (UTC days): their names and bounds (pure), and
// the job's work on them: create the days ahead, drop the days past retention, both in O(partitions).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Days of partitions kept ready ahead of today, so intake never waits on the job. */
export const PARTITIONS_AHEAD_DAYS = 7;
/** Partition changes wait at most this long for intake's locks, then give way (the job retries). */
const LOCK_TIMEOUT = '5s';
/** Expired keys are deleted in short transactions of this many rows. */
const KEY_DELETE_CHUNK = 20_000;
const DAY_MS = 86_400_000;
const NAME = /^events_p(\d{4})(\d{2})(\d{2})$/;

export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function partitionName(day: Date): string {
  return `events_p${startOfUtcDay(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The day a partition holds, from its name; null for a table that is not a daily partition. */
export function partitionDay(name: string): Date | null {
  const match = NAME.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

function bounds(day: Date): { from: string; to: string } {
  const from = startOfUtcDay(day);
  return { from: from.toISOString(), to: new Date(from.getTime() + DAY_MS).toISOString() };
}

/** Creates one day's partition while the default partition holds none of its rows (the migration's case). */
export function createPartitionSql(day: Date): string[] {
  const { from, to } = bounds(day);
  return [`CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF events FOR VALUES FROM ('${from}') TO ('${to}')`];
}

export interface PartitionPrune {
  /** Partitions dropped whole. */
  dropped: string[];
  /** Rows deleted one by one: only those that had landed in the default partition. */
  deletedRows: number;
  /** Dedupe keys of the dropped days, deleted in short chunks. */
  deletedKeys: number;
}

@Injectable()
export class EventPartitionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'events'::regclass ORDER BY 1`,
    );
    return rows.map((row) => row.name).filter((name) => NAME.test(name));
  }

  /** Creates the partitions of `from`'s day and the days ahead that do not exist yet; returns their names. */
  async ensureAhead(from: Date, days = PARTITIONS_AHEAD_DAYS): Promise<string[]> {
    const existing = new Set(await this.list());
    const created: string[] = [];
    for (let n = 0; n <= days; n++) {
      const day = new Date(startOfUtcDay(from).getTime() + n * DAY_MS);
      if (existing.has(partitionName(day))) continue;
      await this.createPartition(day);
      created.push(partitionName(day));
    }
    return created;
  }

  /**
   * Drops every partition whose whole day is before `cutoff`, then deletes what remains older than
   * `cutoff` in the default partition and the dropped days' dedupe keys.
   */
  async dropBefore(cutoff: Date): Promise<PartitionPrune> {
    const dropped = await this.dropPartitionsBefore(cutoff);
    const [, deletedRows] = await this.dataSource.query<[unknown, number]>(`DELETE FROM events_default WHERE received_at < $1`, [cutoff]);
    return { dropped, deletedRows, deletedKeys: await this.deleteKeysBefore(startOfUtcDay(cutoff)) };
  }

  /** Drops whole the partitions whose day ends by `cutoff`; returns their names. */
  async dropPartitionsBefore(cutoff: Date): Promise<string[]> {
    const dropped: string[] = [];
    for (const name of await this.list()) {
      const day = partitionDay(name) as Date;
      if (day.getTime() + DAY_MS > cutoff.getTime()) continue;
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
        await manager.query(`DROP TABLE IF EXISTS ${name}`);
      });
      dropped.push(name);
    }
    return dropped;
  }

  /**
   * Deletes the dedupe keys received before `before` (a day boundary: an event still stored keeps
   * its key), in short transactions that never hold intake up for long.
   */
  async deleteKeysBefore(before: Date): Promise<number> {
    let deleted = 0;
    // Keyset over received_at: each chunk starts where the last ended, so no chunk walks the index
    // entries of the rows already deleted.
    let from: Date | null = null;
    for (;;) {
      const [{ n, last }]: Array<{ n: number; last: Date | null }> = await this.dataSource.query(
        `WITH gone AS (
           DELETE FROM event_keys WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM event_keys WHERE received_at < $1 AND received_at >= $2
             ORDER BY received_at LIMIT ${KEY_DELETE_CHUNK}
           )) RETURNING received_at
         )
         SELECT count(*)::int AS n, max(received_at) AS last FROM gone`,
        [before, from ?? '-infinity'],
      );
      deleted += n;
      if (n < KEY_DELETE_CHUNK) return deleted;
      from = last;
    }
  }

  /** Creates one day's partition, first moving into it any of its rows the default partition caught. */
  private async createPartition(day: Date): Promise<void> {
    const name = partitionName(day);
    const { from, to } = bounds(day);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await manager.query(`CREATE TABLE ${name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await manager.query(
        `WITH moved AS (DELETE FROM events_default WHERE received_at >= $1 AND received_at < $2 RETURNING *)
         INSERT INTO ${name} SELECT * FROM moved`,
        [from, to],
      );
      // ATTACH takes a lighter lock on `events` than CREATE ... PARTITION OF, so intake goes on meanwhile.
      await manager.query(`ALTER TABLE events ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
    });
  }
}
