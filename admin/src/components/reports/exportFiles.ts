// Saving a report as a file in the browser: CSV text, or a PNG of the chart's canvas (on the page's background) or of
// a table drawn onto a canvas for the table and KPI views.
import { downloadBlob } from '../../utils/download';

export const downloadText = (text: string, filename: string, type = 'text/csv;charset=utf-8') =>
  // A byte order mark so spreadsheets read the file as UTF-8.
  downloadBlob(new Blob(['\ufeff', text], { type }), filename);

/** The chart's canvas as a PNG data URL, painted over `background` (a chart's own canvas is transparent). */
export const chartPng = (canvas: HTMLCanvasElement, background: string) => {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return out.toDataURL('image/png');
};

export interface TableImageColours {
  background: string;
  text: string;
  muted: string;
  rule: string;
}

/** A title, a header line and rows drawn as a plain table onto a canvas, as a PNG data URL. */
export const tablePng = (title: string, header: string[], rows: string[][], colours: TableImageColours) => {
  const scale = 2;
  const font = '13px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';
  const measure = document.createElement('canvas').getContext('2d')!;
  measure.font = `bold ${font}`;
  const widths = header.map((cell, i) =>
    Math.min(
      320,
      Math.max(measure.measureText(cell).width, ...rows.map((row) => measure.measureText(row[i] ?? '').width)) + 24,
    ),
  );
  const rowHeight = 28;
  const width = Math.max(320, widths.reduce((sum, w) => sum + w, 0) + 32);
  const height = 56 + rowHeight * (rows.length + 1) + 16;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = colours.text;
  ctx.font = `bold 16px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif`;
  ctx.fillText(title, 16, 30);
  const drawRow = (cells: string[], y: number, bold: boolean) => {
    ctx.font = bold ? `bold ${font}` : font;
    ctx.fillStyle = bold ? colours.muted : colours.text;
    let x = 16;
    cells.forEach((cell, i) => {
      let text = cell;
      while (text.length > 1 && ctx.measureText(text).width > widths[i] - 16) text = `${text.slice(0, -2)}…`;
      ctx.fillText(text, x, y + 18);
      x += widths[i];
    });
    ctx.strokeStyle = colours.rule;
    ctx.beginPath();
    ctx.moveTo(16, y + rowHeight - 0.5);
    ctx.lineTo(width - 16, y + rowHeight - 0.5);
    ctx.stroke();
  };
  drawRow(header, 48, true);
  rows.forEach((row, i) => drawRow(row, 48 + rowHeight * (i + 1), false));
  return canvas.toDataURL('image/png');
};
