import fc from 'fast-check';
import { FIELD_MAPS, toV1Data, toV2Data } from './field-maps';
import { RESOURCES, normaliseLossy, v1Record, v2Record } from '../test/record-arbitraries';

/**
 * P1 and P2 (Kubernetes round-trip tests): every field map is its own inverse, except for the rules listed as lossy,
 * whose normalisation says exactly what survives.
 */
describe.each(RESOURCES)('field map %s', (resource) => {
  it('P1: a v1 record survives v1 → v2 → v1', () => {
    fc.assert(fc.property(v1Record(resource), (r) => {
      expect(toV1Data(resource, toV2Data(resource, r))).toStrictEqual(r);
    }));
  });

  it('P1: a partial v1 record survives v1 → v2 → v1', () => {
    fc.assert(fc.property(v1Record(resource, true), (r) => {
      expect(toV1Data(resource, toV2Data(resource, r))).toStrictEqual(r);
    }));
  });

  it('P2: a v2 record survives v2 → v1 → v2, lossy members normalised', () => {
    fc.assert(fc.property(v2Record(resource), (s) => {
      expect(toV2Data(resource, toV1Data(resource, s))).toStrictEqual(normaliseLossy(FIELD_MAPS[resource], s));
    }));
  });

  it('P2: a partial v2 record survives v2 → v1 → v2, lossy members normalised', () => {
    fc.assert(fc.property(v2Record(resource, true), (s) => {
      expect(toV2Data(resource, toV1Data(resource, s))).toStrictEqual(normaliseLossy(FIELD_MAPS[resource], s));
    }));
  });

  it('maps lists element-wise and passes non-records through', () => {
    fc.assert(fc.property(fc.array(v2Record(resource), { maxLength: 3 }), (list) => {
      expect(toV1Data(resource, list)).toStrictEqual(list.map((s) => toV1Data(resource, s)));
    }), { numRuns: 20 });
    for (const value of [null, 'https://example.test/login', 42, true]) {
      expect(toV1Data(resource, value)).toBe(value);
      expect(toV2Data(resource, value)).toBe(value);
    }
  });
});
