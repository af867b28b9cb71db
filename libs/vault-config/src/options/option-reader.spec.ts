import { describe, expect, it, jest } from '@jest/globals';
import {
  envValue,
  nonEmpty,
  optionalBoolean,
  optionalInt,
  own,
  stringList,
  type Report,
} from './option-reader.js';

describe('option readers', () => {
  it('own reads only own properties, so a polluted prototype supplies nothing', () => {
    const inherited = Object.create({ address: 'http://evil' }) as Record<string, unknown>;
    expect(own(inherited, 'address')).toBeUndefined();
    expect(own({ address: 'http://ok' }, 'address')).toBe('http://ok');
  });

  it('nonEmpty accepts only strings with something besides whitespace', () => {
    expect([nonEmpty('x'), nonEmpty(' x '), nonEmpty(''), nonEmpty('  '), nonEmpty(5)]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('envValue trims and treats a blank variable as unset', () => {
    const env = { A: ' value ', B: '   ', C: '' };
    expect([
      envValue(env, 'A'),
      envValue(env, 'B'),
      envValue(env, 'C'),
      envValue(env, 'D'),
    ]).toEqual(['value', undefined, undefined, undefined]);
  });

  it('optionalBoolean reports a non-boolean under the key or the given path', () => {
    const report = jest.fn<Report>();
    expect(optionalBoolean({}, 'enabled', report)).toBeUndefined();
    expect(optionalBoolean({ enabled: false }, 'enabled', report)).toBe(false);
    expect(optionalBoolean({ enabled: 'yes' }, 'enabled', report)).toBeUndefined();
    expect(optionalBoolean({ on: 1 }, 'on', report, 'tls.on')).toBeUndefined();
    expect(report.mock.calls).toEqual([
      ['enabled', 'must be a boolean'],
      ['tls.on', 'must be a boolean'],
    ]);
  });

  it('optionalInt accepts integers within inclusive bounds and reports the rest', () => {
    const report = jest.fn<Report>();
    const read = (n: unknown) => optionalInt({ n }, 'n', 1, 10, report, 'group.n');
    expect([read(undefined), read(1), read(10)]).toEqual([undefined, 1, 10]);
    expect([read(0), read(11), read(1.5), read('5'), read(Number.NaN)]).toEqual(
      Array(5).fill(undefined),
    );
    expect(report.mock.calls).toEqual(
      Array(5).fill(['group.n', 'must be an integer from 1 to 10']),
    );
    expect(optionalInt({ t: 0 }, 't', 1, 2, report)).toBeUndefined();
    expect(report).toHaveBeenLastCalledWith('t', 'must be an integer from 1 to 2');
  });

  it('stringList keeps the good items and reports each bad one by its index', () => {
    const report = jest.fn<Report>();
    expect(stringList(undefined, 'required', report)).toBeUndefined();
    expect(stringList('A', 'required', report)).toBeUndefined();
    expect(stringList(['A', '', 'B', 3], 'required', report)).toEqual(['A', 'B']);
    expect(report.mock.calls).toEqual([
      ['required', 'must be an array of non-empty strings'],
      ['required[1]', 'must be a non-empty string'],
      ['required[3]', 'must be a non-empty string'],
    ]);
  });
});
