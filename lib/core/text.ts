/** Byte and text facts shared by discovery and both parsers. */

/**
 * Binary data rather than a config: a NUL byte in the first 8 KiB, or more than a tenth of it control
 * bytes or bytes that are not UTF-8 (decoded as U+FFFD). uWSGI reads lines as C strings, so for it a
 * NUL alone is enough; httpd reads a file with a few NULs (it cuts each line there), so the Apache
 * reader passes `nulIsBinary: false` and goes by the proportion only.
 */
export function looksBinary(text: string, options: { nulIsBinary?: boolean; minLength?: number } = {}): boolean {
  const nulIsBinary = options.nulIsBinary ?? true;
  const n = Math.min(text.length, 8192);
  if (n < (options.minLength ?? 1)) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 && nulIsBinary) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  return control / n > 0.1;
}
