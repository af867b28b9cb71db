import base from './jest.config.base.js';

/** Every suite: unit (*.spec.ts), e2e (*.e2e-spec.ts) and contract (*.contract-spec.ts). */
export default {
  ...base,
  roots: ['<rootDir>/libs/', '<rootDir>/apps/', '<rootDir>/test/'],
  testRegex: '.*\\.(spec|e2e-spec|contract-spec)\\.ts$',
};
