import base from './jest.config.base.js';

/** Contract suites (test/contract/*.contract-spec.ts): one set of assertions for every target. */
export default {
  ...base,
  roots: ['<rootDir>/test/contract/'],
  testRegex: '.*\\.contract-spec\\.ts$',
};
