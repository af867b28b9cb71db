import { jest } from '@jest/globals';

/** Date stands still until moved (`moveDate`); timers and I/O stay real. */
export const freezeDate = (): void => {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
};

/** Moves the frozen date on by `ms`. */
export const moveDate = (ms: number): void => jest.setSystemTime(Date.now() + ms);
