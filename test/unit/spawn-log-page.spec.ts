// GET /spawn-log's statement, built from its filters: every value a bound parameter, newest first,
// one row past the limit, and the keyset cursor that continues after the last item.
import { encodeCursor, InvalidCursorError } from '../../src/spawn-log/cursor';
import { pageStatement, SpawnLogQuery, toPage } from '../../src/spawn-log/spawn-log-page';
import type { TaskSpawnLog } from '../../src/spawn-log/task-spawn-log.entity';

const ORDER = 'ORDER BY created_at DESC, id DESC';
const AT = new Date('2026-11-27T10:00:00.123Z');
const ID = '0b6f1c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e';

describe('the spawn-log page statement', () => {
  it.each<[string, SpawnLogQuery, string, unknown[]]>([
    ['no filter', { limit: 50 }, `SELECT * FROM task_spawn_log ${ORDER} LIMIT $1`, [51]],
    ['source_id', { limit: 10, source_id: 'rule-7' }, `SELECT * FROM task_spawn_log WHERE source_id = $1 ${ORDER} LIMIT $2`, ['rule-7', 11]],
    [
      'triggering_event_id',
      { limit: 10, triggering_event_id: 'e-1' },
      `SELECT * FROM task_spawn_log WHERE triggering_event_id = $1 ${ORDER} LIMIT $2`,
      ['e-1', 11],
    ],
    [
      'status and mode',
      { limit: 10, status: 'failed', sink_type: 'rest' },
      `SELECT * FROM task_spawn_log WHERE status = $1 AND sink_type = $2 ${ORDER} LIMIT $3`,
      ['failed', 'rest', 11],
    ],
    ['since', { limit: 10, since: AT }, `SELECT * FROM task_spawn_log WHERE created_at >= $1 ${ORDER} LIMIT $2`, [AT, 11]],
    [
      'every filter and a cursor',
      {
        limit: 2,
        source_id: "r'; DROP TABLE x; --",
        triggering_event_id: 'e',
        status: 'pending',
        sink_type: 'null',
        since: AT,
        cursor: encodeCursor({ createdAt: AT, id: ID }),
      },
      `SELECT * FROM task_spawn_log WHERE source_id = $1 AND triggering_event_id = $2 AND status = $3 AND sink_type = $4 AND created_at >= $5 AND (created_at, id) < ($6, $7) ${ORDER} LIMIT $8`,
      ["r'; DROP TABLE x; --", 'e', 'pending', 'null', AT, AT, ID, 3],
    ],
  ])('%s', (_name, query, sql, params) => {
    expect(pageStatement(query)).toEqual({ sql, params });
  });

  it('refuses a cursor it did not hand out', () => {
    expect(() => pageStatement({ limit: 10, cursor: 'not-a-cursor' })).toThrow(InvalidCursorError);
  });
});

describe('a page of the rows', () => {
  const row = (n: number) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, created_at: new Date(AT.getTime() - n * 1000) }) as TaskSpawnLog;

  it('keeps the limit and points the cursor after the last item when more rows follow', () => {
    const sut = toPage([row(1), row(2), row(3)], 2);
    expect(sut.items).toEqual([row(1), row(2)]);
    expect(sut.next_cursor).toBe(encodeCursor({ createdAt: row(2).created_at, id: row(2).id }));
  });

  it.each([
    ['exactly the limit', [row(1), row(2)]],
    ['fewer rows', [row(1)]],
    ['none', []],
  ])('has no next cursor with %s', (_name, rows) => {
    const sut = toPage(rows, 2);
    expect(sut.items).toEqual(rows);
    expect(sut.next_cursor).toBeNull();
  });
});
