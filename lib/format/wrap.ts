/**
 * Word wrapping for the human format. Messages quote config in backquoted code spans
 * (`` `SetEnv proxy-sendcl 1` ``); a span is kept on one line whenever it fits, so a directive is
 * never cut in two where it could be read whole. A span longer than the width is broken at its
 * spaces, and a single word longer than the width stands alone on its line, uncut (a path or URL
 * split by a newline can no longer be copied).
 */

/** Words of `text`: runs between spaces, where spaces inside a code span do not separate. */
export function wrapWords(text: string): string[] {
  // spans are matched in pairs; an unpaired backquote is an ordinary character
  const protectedSpace = new Set<number>();
  for (const m of text.matchAll(/`[^`]*`/g)) {
    for (let i = m.index!; i < m.index! + m[0].length; i++) if (text[i] === ' ') protectedSpace.add(i);
  }
  const words: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || (text[i] === ' ' && !protectedSpace.has(i))) {
      if (i > start) words.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return words;
}

/** Lines of at most `width` characters (where the words allow), filled greedily. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const place = (word: string) => {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  };
  for (const word of wrapWords(text)) {
    // a code span wider than a whole line cannot stay whole: its own words are wrapped instead
    if (word.length > width && word.includes(' ')) for (const part of word.split(' ').filter(Boolean)) place(part);
    else place(word);
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
