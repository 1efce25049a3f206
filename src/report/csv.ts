/** CSV as spreadsheets read it (RFC 4180): a cell with a comma, quote or newline is quoted, its quotes doubled. */

export type CsvValue = string | number | boolean | null | undefined;

/** One cell; null and undefined are empty. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, newline-terminated. */
export function csvLines(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
