import { chartBars } from '../../src/console/chart';
import { ruleMode } from '../../src/console/console.service';
import { deadLetterReason } from '../../src/intake/dead-letter.metrics';
import { parseEventMessage } from '../../src/intake/event-parsing';
import { longestGapSeconds } from '../../src/rules/schedule-status.service';
import { chartStart } from '../../src/spawn-log/spawn-log-stats.repository';
import { testConfig } from '../factories/config';

const NOW = new Date('2026-11-28T14:35:00Z');

describe('chart buckets', () => {
  it.each([
    ['24h', '2026-11-27T15:00:00.000Z'],
    ['7d', '2026-11-22T00:00:00.000Z'],
  ] as const)('%s starts at %s', (range, start) => {
    expect(chartStart(range, NOW).toISOString()).toBe(start);
  });

  it('24 hourly bars, dry-run and live apart, statuses summed across modes, rows outside dropped', () => {
    const bars = chartBars(
      [
        { bucket: new Date('2026-11-28T14:00:00Z'), sink_type: 'rest', status: 'emitted', count: 3 },
        { bucket: new Date('2026-11-28T14:00:00Z'), sink_type: 'null', status: 'emitted', count: 2 },
        { bucket: new Date('2026-11-28T14:00:00Z'), sink_type: 'rest', status: 'failed', count: 1 },
        { bucket: new Date('2026-11-27T15:00:00Z'), sink_type: 'null', status: 'suppressed', count: 4 },
        { bucket: new Date('2026-11-27T14:00:00Z'), sink_type: 'null', status: 'emitted', count: 9 },
      ],
      '24h',
      NOW,
    );
    expect(bars).toHaveLength(24);
    expect(bars[23]).toEqual({ start: '2026-11-28T14:00:00.000Z', dry_run: 2, live: 4, by_status: { emitted: 5, failed: 1 } });
    expect(bars[0]).toEqual({ start: '2026-11-27T15:00:00.000Z', dry_run: 4, live: 0, by_status: { suppressed: 4 } });
    expect(bars.reduce((n, b) => n + b.dry_run + b.live, 0)).toBe(10);
  });

  it('7 daily bars', () => {
    expect(chartBars([], '7d', NOW).map((b) => b.start.slice(0, 10))).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
    ]);
  });
});

describe('a rule’s mode', () => {
  it.each([
    [{ type: 'null', liveRules: [] }, 'a', 'dry-run'],
    [{ type: 'null', liveRules: ['a'] }, 'a', 'dry-run'],
    [{ type: 'rest', liveRules: [] }, 'a', 'live'],
    [{ type: 'rest', liveRules: ['a'] }, 'a', 'canary'],
    [{ type: 'rest', liveRules: ['a'] }, 'b', 'dry-run'],
  ] as const)('%j, rule %s: %s', (sink, key, mode) => {
    expect(ruleMode({ type: sink.type, liveRules: [...sink.liveRules] }, key)).toBe(mode);
  });
});

describe('dead-letter reason codes (bounded labels)', () => {
  const reasonOf = (payload: string, max = 1024) => {
    const parsed = parseEventMessage(Buffer.from(payload), max);
    if (parsed.ok) throw new Error('expected a dead letter');
    return deadLetterReason(parsed.reason);
  };
  it.each([
    ['{not json', 'not_json'],
    ['{"specversion":"1.0"}', 'invalid_cloudevent'],
    ['x'.repeat(2000), 'too_large'],
  ])('%s → %s', (payload, code) => {
    expect(reasonOf(payload)).toBe(code);
  });
  it('anything else is "other"', () => {
    expect(deadLetterReason('something new')).toBe('other');
  });
});

describe('schedule interval', () => {
  it.each([
    [[], null],
    [['2026-11-30T06:00:00Z'], null],
    [['2026-11-30T06:00:00Z', '2026-12-07T06:00:00Z', '2026-12-14T06:00:00Z'], 604_800],
    [['2026-11-30T06:00:00Z', '2026-11-30T07:00:00Z', '2026-12-01T06:00:00Z'], 82_800],
  ])('%j → %s', (ticks, seconds) => {
    expect(longestGapSeconds(ticks.map((t) => new Date(t)))).toBe(seconds);
  });
});

describe('TEMPORAL_UI_URL', () => {
  it('is optional, and kept without a trailing slash', () => {
    expect(testConfig().temporal.uiUrl).toBeUndefined();
    expect(testConfig({ TEMPORAL_UI_URL: 'http://localhost:8233/' }).temporal.uiUrl).toBe('http://localhost:8233');
  });
  it.each(['ftp://x', 'not a url', 'http://user:secret@temporal.example'])('refuses %s without echoing it', (value) => {
    expect(() => testConfig({ TEMPORAL_UI_URL: value })).toThrow('TEMPORAL_UI_URL must be an http(s) URL without credentials');
    try {
      testConfig({ TEMPORAL_UI_URL: value });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });
});
