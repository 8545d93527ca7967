import ExcelJS from 'exceljs';
import {
  MONITORING_DIMENSION_LABELS,
  RESPONSE_TIMES,
  RESPONSE_TIME_LABELS,
  type MonitoringReport,
  type MonitoringRow,
} from '../contract/reports';

/**
 * The monitoring table as a spreadsheet: one header row, one row per group, a last "Totale" row;
 * the same cells as the JSON answer ("<3" and "n.d." included), response times in minutes.
 */

type Cell = string | number;

export function reportTable(report: MonitoringReport): Cell[][] {
  // Without groupings the table is its totals row, still labelled in the first column.
  const groupHeader: Cell[] = report.groupBy.length > 0 ? report.groupBy.map((d) => MONITORING_DIMENSION_LABELS[d]) : [''];
  const header: Cell[] = [
    ...groupHeader,
    ...report.columns.map((c) => c.label),
    ...RESPONSE_TIMES.flatMap((t) => [`${RESPONSE_TIME_LABELS[t]}: mediana (min)`, `${RESPONSE_TIME_LABELS[t]}: 90° percentile (min)`]),
  ];
  const line = (group: Cell[], row: Omit<MonitoringRow, 'group'>): Cell[] => [
    ...group,
    ...report.columns.map((c) => row.counts[c.key] ?? ''),
    ...RESPONSE_TIMES.flatMap((t) => [row.times[t].median ?? '<3', row.times[t].p90 ?? '<3']),
  ];
  const rows = report.rows.map((r) => line(report.groupBy.map((d) => r.group[d]?.label ?? ''), r));
  const totals = line(groupHeader.map((_, i) => (i === 0 ? 'Totale' : '')), report.totals);
  return [header, ...(report.groupBy.length > 0 ? rows : []), totals];
}

/** A text cell a spreadsheet would run as a formula is quoted (CSV injection). */
function safeText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function csvField(v: Cell): string {
  if (typeof v === 'number') return String(v).replace('.', ',');
  const s = safeText(v);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Semicolon-separated, CRLF, with a UTF-8 byte-order mark (what Excel set to Italian expects). */
export function reportCsv(report: MonitoringReport): Buffer {
  const text = reportTable(report).map((r) => r.map(csvField).join(';')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function reportXlsx(report: MonitoringReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'PIS';
  const sheet = book.addWorksheet('Monitoraggio');
  for (const row of reportTable(report)) sheet.addRow(row.map((v) => (typeof v === 'string' ? safeText(v) : v)));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(sheet.rowCount).font = { bold: true };
  const notes = book.addWorksheet('Note');
  notes.addRow(['Periodo', `${report.from} – ${report.to}`]);
  notes.addRow(['Ambito', report.ambito ?? 'tutti']);
  notes.addRow(['Generato', report.generatedAt]);
  notes.addRow(['<3', 'da 1 a 2 casi (dato non pubblicato)']);
  notes.addRow(['n.d.', 'dato non pubblicato perché con i totali permetterebbe di ricalcolare una cella "<3"']);
  for (const n of report.notes) notes.addRow(['Nota', n]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
