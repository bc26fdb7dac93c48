// The events store: each CloudEvent once by (source, id), read back for latest_of, explain and replay.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CloudEvent } from '../rules/cloud-event';

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
  payload: string;
}

/** How much of a rejected payload the dead-letter table keeps. */
export const DEAD_LETTER_PAYLOAD_LIMIT = 8_192;

@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores each event once, in one statement for the batch; returns the keys ("source\u0000id")
   * that were new. An event without `time` is stored at its arrival time.
   */
  async insertEvents(events: CloudEvent[], transport: Transport, manager?: EntityManager, receivedAt = new Date()): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const db = manager ?? this.dataSource.manager;
    const rows: Array<{ source: string; id: string }> = await db.query(
      `INSERT INTO events (source, id, type, subject, time, envelope, transport, received_at)
       SELECT e.source, e.id, e.type, e.subject, e.time, e.envelope, $7, $8
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
         AS e(source, id, type, subject, time, envelope)
       ON CONFLICT (source, id) DO NOTHING
       RETURNING source, id`,
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

  /** Per subject, the latest event of `type` whose time is not after `now`: one query, any number of subjects. */
  latestOfType(type: string, now: Date): Promise<StoredEvent[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (subject) * FROM events
       WHERE type = $1 AND time <= $2 AND subject IS NOT NULL
       ORDER BY subject, time DESC, received_at DESC`,
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
      ? this.dataSource.query(`SELECT * FROM events WHERE id = $1 AND source = $2`, [id, source])
      : this.dataSource.query(`SELECT * FROM events WHERE id = $1 ORDER BY received_at`, [id]);
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

  async recordDeadLetters(letters: DeadLetter[], manager?: EntityManager): Promise<void> {
    if (letters.length === 0) return;
    const db = manager ?? this.dataSource.manager;
    await db.query(
      `INSERT INTO dead_letter_events (transport, subject, reason, payload, payload_bytes)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])`,
      [
        letters.map((l) => l.transport),
        letters.map((l) => l.subject),
        letters.map((l) => l.reason),
        letters.map((l) => l.payload.slice(0, DEAD_LETTER_PAYLOAD_LIMIT)),
        letters.map((l) => Buffer.byteLength(l.payload)),
      ],
    );
  }

  /** Deletes events received before the cutoff; returns how many. */
  async pruneReceivedBefore(cutoff: Date): Promise<number> {
    const [, count] = (await this.dataSource.query(`DELETE FROM events WHERE received_at < $1`, [cutoff])) as [unknown, number];
    return count;
  }
}

export function eventKey(event: { source: string; id: string }): string {
  return `${event.source}\u0000${event.id}`;
}
