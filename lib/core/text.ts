/** Byte and text facts shared by discovery and both parsers. */

export type TextEncoding = 'utf8' | 'latin1';

/**
 * Bytes as both servers read them, as text: UTF-8 when the bytes are valid UTF-8 (a BOM kept as
 * U+FEFF, since neither server skips it), otherwise latin1 (one character per byte), so that every
 * byte survives a round trip through `encodeText`.
 */
export function decodeBytes(bytes: Buffer): { text: string; encoding: TextEncoding } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: bytes.toString('latin1'), encoding: 'latin1' };
  }
}

/** The bytes `decodeBytes` read the text from. */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  return Buffer.from(text, encoding);
}

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
