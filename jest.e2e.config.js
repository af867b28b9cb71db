import base from './jest.config.base.js';

/** End-to-end suites (test/e2e/*.e2e-spec.ts), against the targets in VAULT_TEST_TARGETS. */
export default {
  ...base,
  roots: ['<rootDir>/test/e2e/'],
  testRegex: '.*\\.e2e-spec\\.ts$',
};
