import { csvLines, splitCsvLine } from '../../server/src/audience/csv-lines';

const read = async (chunks: string[], maxChars = 100) => {
  const lines = [];
  for await (const line of csvLines(
    (async function* () {
      yield* chunks;
    })(),
    maxChars,
  ))
    lines.push(line);
  return lines;
};

describe('reading a CSV one line per record', () => {
  it('splits quoted and plain values, with "" for a quote and spaces around quotes', () => {
    expect(splitCsvLine('a@b.io,"Smith, J","say ""hi""" , ,', 3)).toEqual({
      line: 3,
      fields: ['a@b.io', 'Smith, J', 'say "hi"', ' ', ''],
    });
  });

  it('refuses a quote left open, text after a closing quote, and a quote inside a plain value, each with where it is', () => {
    expect(splitCsvLine('a@b.io,"Cee,C', 4)).toEqual({
      line: 4,
      problem: expect.stringMatching(/^the quote at character 8 is not closed on this line/),
    });
    expect(splitCsvLine('a@b.io,"Smith"J,x', 5)).toEqual({
      line: 5,
      problem: expect.stringMatching(/^the quoted value ending at character 14 is followed by "J"/),
    });
    expect(splitCsvLine('a@b.io,Y",Y', 6)).toEqual({
      line: 6,
      problem: expect.stringMatching(/^the quote at character 9 is inside a value/),
    });
  });

  it('numbers lines across chunks and line ends (\\n, \\r\\n split between chunks, \\r), counting blank lines', async () => {
    const lines = await read(['email\r', '\na@b.io\n\n  \nc@d', '.io\rlast']);
    expect(lines).toEqual([
      { line: 1, fields: ['email'] },
      { line: 2, fields: ['a@b.io'] },
      { line: 5, fields: ['c@d.io'] },
      { line: 6, fields: ['last'] },
    ]);
  });

  it('refuses a line longer than the limit without keeping it, and reads the next line', async () => {
    const lines = await read(['email\nx@y.io,', 'z'.repeat(60), 'z'.repeat(60), '\nnext@y.io\n'], 100);
    expect(lines).toEqual([
      { line: 1, fields: ['email'] },
      { line: 2, problem: 'the line is longer than 100 characters' },
      { line: 3, fields: ['next@y.io'] },
    ]);
  });
});
