// The events store: each CloudEvent once by (source, id), read back for latest_of, explain and replay.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { inKeyOrder } from '../common/key-order';
import { toStorableText } from '../common/storable-text';
import type { CloudEvent } from './cloud-event';

export type Transport = 'http' | 'nats' | 'test';

export interface StoredEvent {
  source: string;
  id: string;
  type: string;
  subject: string | null;
  time: Date;
  envelope: CloudEvent;
  transport: Transport;
  received_at: Date;
}

export interface DeadLetter {
  transport: Transport;
  subject: string | null;
  reason: string;
  /** The bytes as they arrived (any bytes: stored as bytea). */
  payload: Uint8Array | string;
}

const COLUMNS = 'source, id, type, subject, time, envelope, transport, received_at';
/** The order that makes one event the latest of its subject: time, then arrival, then identity. */
const LATEST_FIRST = (table: string) => `${table}.time DESC, ${table}.received_at DESC, ${table}.source DESC, ${table}.id DESC`;

/** How much of a rejected payload the dead-letter table keeps. */
export const DEAD_LETTER_PAYLOAD_LIMIT = 8_192;

@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores each event once, in one statement for the batch; returns the keys ("source\u0000id")
   * that were new. An event without `time` is stored at its arrival time. `event_keys` recognises
   * (source, id) across every partition (a concurrent insert of the same key waits for the first and
   * then finds it); `latest_events` keeps, per (type, subject), the latest event for latest_of.
   */
  async insertEvents(events: CloudEvent[], transport: Transport, manager?: EntityManager, receivedAt = new Date()): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const db = manager ?? this.dataSource.manager;
    // The same (source, id) twice in one batch: the first is the one stored (deduplicated here, so
    // the statement sorts nothing that carries an envelope). Rows go in in key order, and the latest
    // events in (type, subject) order, so two replicas' batches lock shared keys in one order and
    // never deadlock.
    events = inKeyOrder(firstOfEachKey(events));
    const rows: Array<{ source: string; id: string }> = await db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
           AS e(source, id, type, subject, time, envelope)
       ), fresh AS (
         INSERT INTO event_keys (id, source, received_at) SELECT id, source, $8 FROM input
         ON CONFLICT (id, source) DO NOTHING RETURNING source, id
       ), stored AS (
         INSERT INTO events (source, id, type, subject, time, envelope, transport, received_at)
         SELECT i.source, i.id, i.type, i.subject, i.time, i.envelope, $7, $8 FROM input i JOIN fresh USING (source, id)
       ), latest AS (
         INSERT INTO latest_events (type, subject, source, id, time, envelope, transport, received_at)
         SELECT i.type, i.subject, i.source, i.id, i.time, i.envelope, $7::text, $8::timestamptz
         FROM (
           -- The newest per (type, subject), chosen over narrow rows; its envelope is joined after.
           SELECT DISTINCT ON (i.type, i.subject) i.source, i.id
           FROM input i JOIN fresh USING (source, id) WHERE i.subject IS NOT NULL
           ORDER BY i.type, i.subject, i.time DESC, i.source DESC, i.id DESC -- one received_at per batch
         ) AS newest JOIN input i USING (source, id)
         ORDER BY i.type, i.subject
         ON CONFLICT (type, subject) DO UPDATE SET source = excluded.source, id = excluded.id, time = excluded.time,
           envelope = excluded.envelope, transport = excluded.transport, received_at = excluded.received_at
         WHERE (excluded.time, excluded.received_at, excluded.source, excluded.id)
             > (latest_events.time, latest_events.received_at, latest_events.source, latest_events.id)
       )
       SELECT source, id FROM fresh`,
      [
        events.map((e) => e.source),
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => e.subject ?? null),
        events.map((e) => e.time ?? receivedAt.toISOString()),
        events.map((e) => JSON.stringify(e)),
        transport,
        receivedAt,
      ],
    );
    return new Set(rows.map((row) => eventKey(row)));
  }

  /**
   * Per subject, the latest event of `type` whose time is not after `now` (latest by time, then
   * received_at, then source and id). One row per subject from `latest_events`; only a subject whose
   * latest event is after `now` (a tick replayed in the past) is looked up in `events`.
   */
  latestOfType(type: string, now: Date): Promise<StoredEvent[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM latest_events WHERE type = $1 AND time <= $2
       UNION ALL
       SELECT e.* FROM latest_events l CROSS JOIN LATERAL (
         SELECT ${COLUMNS} FROM events
         WHERE type = l.type AND subject = l.subject AND time <= $2
         ORDER BY ${LATEST_FIRST('events')} LIMIT 1
       ) e
       WHERE l.type = $1 AND l.time > $2
       ORDER BY subject`,
      [type, now],
    );
  }

  /** The event a tick at `now` reads for this subject (what latestOfType picks for it). */
  async latestOfSubject(type: string, subject: string, now: Date): Promise<StoredEvent | null> {
    const rows: StoredEvent[] = await this.dataSource.query(
      `SELECT * FROM events WHERE type = $1 AND subject = $2 AND time <= $3 ORDER BY time DESC, received_at DESC LIMIT 1`,
      [type, subject, now],
    );
    return rows[0] ?? null;
  }

  async findById(id: string, source?: string): Promise<StoredEvent[]> {
    return source
      ? this.dataSource.query(`SELECT e.* FROM event_keys k JOIN events e USING (received_at, source, id) WHERE k.id = $1 AND k.source = $2`, [id, source])
      : this.dataSource.query(`SELECT e.* FROM event_keys k JOIN events e USING (received_at, source, id) WHERE k.id = $1 ORDER BY e.received_at`, [id]);
  }

  /** Stored events received since `since`, oldest first, in pages (for replay). */
  receivedSince(since: Date, after: { receivedAt: Date; source: string; id: string } | null, limit: number): Promise<StoredEvent[]> {
    return after
      ? this.dataSource.query(
          `SELECT * FROM events WHERE received_at >= $1 AND (received_at, source, id) > ($2, $3, $4)
           ORDER BY received_at, source, id LIMIT $5`,
          [since, after.receivedAt, after.source, after.id, limit],
        )
      : this.dataSource.query(`SELECT * FROM events WHERE received_at >= $1 ORDER BY received_at, source, id LIMIT $2`, [since, limit]);
  }

  /** Never fails on what a letter holds: the payload is kept as bytes, the texts made storable. */
  async recordDeadLetters(letters: DeadLetter[], manager?: EntityManager): Promise<void> {
    if (letters.length === 0) return;
    const db = manager ?? this.dataSource.manager;
    const bytes = letters.map((l) =>
      typeof l.payload === 'string' ? Buffer.from(l.payload, 'utf8') : Buffer.from(l.payload.buffer, l.payload.byteOffset, l.payload.byteLength),
    );
    await db.query(
      `INSERT INTO dead_letter_events (transport, subject, reason, payload, payload_bytes)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::int[])`,
      [
        letters.map((l) => l.transport),
        letters.map((l) => (l.subject === null ? null : toStorableText(l.subject))),
        letters.map((l) => toStorableText(l.reason)),
        bytes.map((b) => b.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT)),
        bytes.map((b) => b.byteLength),
      ],
    );
  }

  /**
   * Forgets the latest event of (type, subject) pairs received before the cutoff, except for the
   * types a scoped schedule rule reads: their latest events outlive retention, or the stalest
   * subjects would vanish from latest_of.
   */
  async pruneLatestBefore(cutoff: Date, keptTypes: string[]): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(`DELETE FROM latest_events WHERE received_at < $1 AND NOT (type = ANY($2::text[]))`, [
      cutoff,
      keptTypes,
    ]);
    return count;
  }
}

/** The first event of each (source, id), by key, in the order they came. */
export function firstOfEachKey(events: CloudEvent[]): Map<string, CloudEvent> {
  const firstOf = new Map<string, CloudEvent>();
  for (const event of events) if (!firstOf.has(eventKey(event))) firstOf.set(eventKey(event), event);
  return firstOf;
}

export function eventKey(event: { source: string; id: string }): string {
  return `${event.source}\u0000${event.id}`;
}
