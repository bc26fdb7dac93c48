import {
  deriveIdempotencyKey,
  deriveRowWorkflowId,
  deriveWorkflowId,
  encodeSpawnId,
  isValidHeaderValue,
  isValidWorkflowId,
  MAX_ID_BYTES,
  toWorkflowId,
} from '../../src/rules/workflow-id';

const TICK = 'schedule:weekly:2026-11-30T06:00:00.000Z';

describe('workflow ids and Idempotency-Keys', () => {
  it('keeps the readable id where it is valid for Temporal and HTTP (rows recorded before keep their key)', () => {
    const sut = deriveWorkflowId('flag-stale-sbom', `${TICK}:acme-api`);
    expect(sut).toBe(`spawn/flag-stale-sbom/${TICK}:acme-api`);
    expect(deriveIdempotencyKey(sut)).toBe(sut);
    expect(deriveIdempotencyKey('spawn/flag-stale-sbom/evt-9')).toBe('spawn/flag-stale-sbom/evt-9');
  });

  it.each([
    ['keys differing only in non-ASCII characters', `${TICK}:日本/api`, `${TICK}:中国/api`],
    ['accents', 'évt-1', 'èvt-1'],
    ['an emoji against another', 'repo-😀', 'repo-😁'],
  ])('gives distinct, visible-ASCII keys for %s', (_what, a, b) => {
    const [idA, idB] = [deriveWorkflowId('weekly', a), deriveWorkflowId('weekly', b)];
    expect(idA).not.toBe(idB);
    const [keyA, keyB] = [deriveIdempotencyKey(idA), deriveIdempotencyKey(idB)];
    expect(keyA).not.toBe(keyB);
    expect(keyA).toMatch(/^spawn-sha256\/[0-9a-f]{64}$/);
    expect(isValidHeaderValue(keyA) && isValidHeaderValue(keyB)).toBe(true);
    // Temporal takes UTF-8: the workflow id stays readable.
    expect(idA).toBe(`spawn/weekly/${a}`);
  });

  it('encodes an id over the length limit, distinctly, as a valid workflow id and header value', () => {
    const long = 'x'.repeat(5_000);
    const sut = deriveWorkflowId('weekly', long);
    expect(sut).toBe(encodeSpawnId(`spawn/weekly/${long}`));
    expect(sut.length).toBeLessThanOrEqual(MAX_ID_BYTES);
    expect(deriveWorkflowId('weekly', `${long}y`)).not.toBe(sut);
    expect(deriveIdempotencyKey(sut)).toBe(sut);
    expect(isValidWorkflowId(sut)).toBe(true);
  });

  it('counts bytes, not characters: 100 three-byte characters are over 255 bytes', () => {
    expect(deriveWorkflowId('r', '日'.repeat(100))).toMatch(/^spawn-sha256\//);
    expect(deriveWorkflowId('r', '日'.repeat(70))).toBe(`spawn/r/${'日'.repeat(70)}`);
  });

  it.each([
    ['a control character', 'a\u0001b'],
    ['a newline', 'a\nb'],
    ['a lone surrogate', 'a\ud800b'],
  ])('encodes an id with %s', (_what, key) => {
    expect(deriveWorkflowId('r', key)).toBe(encodeSpawnId(`spawn/r/${key}`));
  });

  it('never lets a readable id pose as an encoded one', () => {
    const encoded = deriveWorkflowId('r', 'x'.repeat(300));
    // An event id chosen to look like the encoding of another decision's id.
    const impostor = deriveWorkflowId('r', encoded.slice('spawn/r/'.length));
    expect(impostor).not.toBe(encoded);
    expect(toWorkflowId(encoded)).toBe(encoded);
    expect(toWorkflowId(`spawn-sha256/${'0'.repeat(64)}x`)).toMatch(/^spawn-sha256\/[0-9a-f]{64}$/);
  });

  it('is deterministic, and idempotent over ids already derived', () => {
    const ids = ['évt', 'x'.repeat(400), 'plain'].map((key) => deriveWorkflowId('r', key));
    expect(ids.map(toWorkflowId)).toEqual(ids);
    expect(ids.map((id) => deriveIdempotencyKey(id))).toEqual(ids.map((id) => deriveIdempotencyKey(id)));
  });

  it('gives a row an id of its own, stable and distinct from any derived id', () => {
    const sut = deriveRowWorkflowId('spawn/r/evt-1', '6b1f3d2e-0000-4000-8000-000000000001');
    expect(sut).toBe(deriveRowWorkflowId('spawn/r/evt-1', '6b1f3d2e-0000-4000-8000-000000000001'));
    expect(sut).not.toBe(deriveRowWorkflowId('spawn/r/evt-1', '6b1f3d2e-0000-4000-8000-000000000002'));
    expect(sut).not.toBe(encodeSpawnId('spawn/r/evt-1'));
  });
});

describe('what Temporal and HTTP take as they are', () => {
  it.each([
    ['a readable id', true, true, 'spawn/r/evt-1'],
    ['255 ASCII bytes', true, true, `spawn/r/${'x'.repeat(247)}`],
    ['256 ASCII bytes', false, false, `spawn/r/${'x'.repeat(248)}`],
    ['85 three-byte characters (255 bytes)', true, false, '日'.repeat(85)],
    ['86 three-byte characters (258 bytes)', false, false, '日'.repeat(86)],
    ['an astral pair', true, false, 'spawn/r/😀'],
    ['a space', true, false, 'spawn/r/a b'],
    ['a tab', false, false, 'spawn/r/a\tb'],
    ['DEL', false, false, 'spawn/r/a\u007fb'],
    ['a C1 control', false, false, 'spawn/r/a\u0085b'],
    ['a lone high surrogate', false, false, 'spawn/r/\ud800'],
    ['a lone low surrogate', false, false, 'spawn/r/\udc00'],
    ['nothing', false, false, ''],
  ])('%s: valid workflow id %s, valid header value %s', (_what, workflowId, header, id) => {
    expect(isValidWorkflowId(id)).toBe(workflowId);
    expect(isValidHeaderValue(id)).toBe(header);
  });
});
