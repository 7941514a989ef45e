import * as assert from 'node:assert/strict';
import { Rng } from '../../src/sandbox/random';

describe('sandbox Rng', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const seqA = Array.from({ length: 20 }, () => a.int(0, 1000));
    const seqB = Array.from({ length: 20 }, () => b.int(0, 1000));
    assert.deepEqual(seqA, seqB);
    assert.notDeepEqual(seqA, Array.from({ length: 20 }, () => new Rng(43).int(0, 1000)));
  });

  it('keeps int() within its bounds', () => {
    const r = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      assert.ok(v >= 3 && v <= 5, `out of range: ${v}`);
    }
  });
});
