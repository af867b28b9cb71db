import base from './jest.config.base.js';

/** Unit suites: the libraries' and apps' *.spec.ts, and the architecture spec. No server needed. */
export default {
  ...base,
  roots: [
    '<rootDir>/libs/',
    '<rootDir>/apps/',
    '<rootDir>/test/architecture/',
    '<rootDir>/test/jest/',
  ],
  testRegex: '.*\\.spec\\.ts$',
};
