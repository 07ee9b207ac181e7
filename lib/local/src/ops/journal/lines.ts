/**
 * Lines of a readable stream, pulled: the next chunk is read only once the lines of the last
 * one were taken, so a slow consumer holds back the file (readline's interface pushes instead).
 */
import type { Readable } from 'node:stream';

export async function* readLines(input: Readable): AsyncGenerator<string> {
  let carry = '';
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    const text = carry + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end).replace(/\r$/, '');
      start = end + 1;
      if (line !== '') yield line;
    }
    carry = text.slice(start);
  }
  if (carry.trim() !== '') yield carry;
}
