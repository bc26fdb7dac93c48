import { mapBounded } from '../../src/spawn/spawn.service';

describe('mapBounded', () => {
  it('settles every item in order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const sut = await mapBounded(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        if (i % 10 === 3) throw new Error(`no ${i}`);
        return i * 2;
      },
    );
    expect(most).toBe(4);
    expect(sut).toHaveLength(50);
    expect(sut[2]).toEqual({ status: 'fulfilled', value: 4 });
    expect(sut[13]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'no 13' }) });
    expect(sut.filter((r) => r.status === 'rejected')).toHaveLength(5);
  });

  it('does nothing for no items', async () => {
    expect(await mapBounded([], 8, async () => 1)).toEqual([]);
  });
});
