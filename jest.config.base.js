/**
 * What every Jest config here shares. Jest runs in ESM mode: Nest 12 is ESM-only and Jest's
 * CommonJS mode cannot load it on Node 20. The suite configs add `roots` and `testRegex`:
 * jest.config.js (everything, `npm test`), jest.unit.config.js, jest.e2e.config.js,
 * jest.contract.config.js. Every run gets a fresh, empty HOME (test/jest/isolated-home.global-setup.js):
 * no test reads the developer's `~/.vault-token`, and no bao dev server writes there.
 */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-vault-config$': '<rootDir>/libs/vault-config/src/index.ts',
    '^nestjs-vault-config/health$': '<rootDir>/libs/vault-config/src/health/index.ts',
    '^nestjs-vault-config/transit$': '<rootDir>/libs/vault-config/src/transit/index.ts',
    '^nestjs-vault-config/pg$': '<rootDir>/libs/vault-config/src/pg/index.ts',
    '^nestjs-vault-config-testing$': '<rootDir>/libs/vault-testing/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // The `nest new`-shaped apps run their own Jest / Vitest from the tarballs (test/apps/run.sh).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/apps/'],
  modulePathIgnorePatterns: ['<rootDir>/test/apps/'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/jest/isolated-home.global-setup.js',
  globalTeardown: '<rootDir>/test/jest/isolated-home.global-teardown.js',
};
