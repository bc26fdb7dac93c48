import { classifyHttpFailure, parseRetryAfter, RETRY_INTERVAL_MAX_MS, SinkRejectedError, SinkRetryableError } from '../../src/emission/sink.errors';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const answer = (status: number, retryAfter?: string) => classifyHttpFailure({ what: 'r/evt-1', status, body: { detail: 'x' }, retryAfter }, NOW);

describe('sink error classification', () => {
  it.each([
    [401, 'ISSUE_CORE_CREDENTIALS_REFUSED'],
    [403, 'ISSUE_CORE_CREDENTIALS_REFUSED'],
    [404, 'ISSUE_CORE_NOT_FOUND'],
    [408, 'ISSUE_CORE_THROTTLED'],
    [409, 'ISSUE_CORE_IN_FLIGHT'],
    [429, 'ISSUE_CORE_THROTTLED'],
    [500, 'ISSUE_CORE_UNAVAILABLE'],
    [503, 'ISSUE_CORE_UNAVAILABLE'],
  ])('holds %d for a retry (%s)', (status, code) => {
    const sut = answer(status);
    expect(sut).toBeInstanceOf(SinkRetryableError);
    expect(sut.code).toBe(code);
  });

  it.each([400, 405, 410, 413, 415, 422])('fails %d for good: the payload is refused', (status) => {
    const sut = answer(status);
    expect(sut).toBeInstanceOf(SinkRejectedError);
    expect(sut.message).toBe(`issue-core answered ${status} for r/evt-1: {"detail":"x"}`);
  });

  it.each([
    ['0 seconds', '0', 1_000],
    ['7 seconds', '7', 7_000],
    ['a day', '86400', RETRY_INTERVAL_MAX_MS],
    ['a past date', 'Sat, 28 Nov 2026 11:00:00 GMT', 1_000],
    ['a date 30 s ahead', 'Sat, 28 Nov 2026 12:00:30 GMT', 30_000],
    ['a far-future date', 'Fri, 01 Jan 2100 00:00:00 GMT', RETRY_INTERVAL_MAX_MS],
    ['seconds with spaces around', ' 7 ', 7_000],
    ['300 seconds, the cap itself', '300', RETRY_INTERVAL_MAX_MS],
    ['a date that is now', 'Sat, 28 Nov 2026 12:00:00 GMT', 1_000],
    ['a date 2 minutes ahead', 'Sat, 28 Nov 2026 12:02:00 GMT', 120_000],
  ])('clamps Retry-After of %s to [1 s, the retry cap]', (_what, header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
    expect(answer(503, header).retryAfterMs).toBe(expected);
  });

  it.each([['soon'], ['-5'], ['1.5'], [''], ['   '], [undefined]])('ignores a Retry-After it cannot read: %j', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });
});
