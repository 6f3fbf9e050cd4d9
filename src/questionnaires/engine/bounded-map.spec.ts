import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('keeps at most its limit, dropping the oldest inserted first; replacing a key drops nothing', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2);
    m.set('a', 3);
    expect([...m.entries()]).toEqual([['a', 3], ['b', 2]]);
    m.set('c', 4);
    expect([...m.keys()]).toEqual(['b', 'c']);
  });

  it('drops the oldest entries past a smaller limit at the next new key', () => {
    const m = new BoundedMap<number, number>(4);
    for (let i = 0; i < 4; i++) m.set(i, i);
    m.resize(2);
    m.set(9, 9);
    expect([...m.keys()]).toEqual([3, 9]);
  });
});
