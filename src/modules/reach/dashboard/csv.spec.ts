import { csvCell, csvLine } from './csv';

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, and keeps Khmer as it is', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'ភូមិ', 3, null])).toBe('"a,b","say ""hi""","two\nlines",ភូមិ,3,\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
  });
});
