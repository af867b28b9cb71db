/** Jest in ESM mode: Nest 12 is ESM-only and Jest's CommonJS mode cannot load it on Node 20. */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/libs/', '<rootDir>/apps/', '<rootDir>/test/'],
  testRegex: '.*\\.(spec|e2e-spec|contract-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-vault-config$': '<rootDir>/libs/vault-config/src/index.ts',
    '^nestjs-vault-config/health$': '<rootDir>/libs/vault-config/src/health/index.ts',
    '^nestjs-vault-config-testing$': '<rootDir>/libs/vault-testing/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
};
