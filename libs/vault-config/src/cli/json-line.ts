// DEL, C1 controls (CSI U+009B, OSC U+009D, ...), line/paragraph separators and bidi controls:
// JSON.stringify leaves them raw, and a terminal may act on them.
const TERMINAL_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of JSON for stdout: `JSON.stringify(value)` with every character a terminal could act
 * on written as a `\uXXXX` escape (C0 controls already are), so a key name or message from Vault
 * cannot drive the terminal when the JSON is shown, and parses back to the same value.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(
    TERMINAL_UNSAFE,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}\n`;
}
