import PDFDocument from 'pdfkit';

/** One official document's content: who it goes to, what it is about, and its sections. */
export interface DocumentContent {
  title: string;
  /** "Alla Procura della Repubblica presso il Tribunale per i minorenni", … */
  recipient: string;
  subject: string;
  reference: string;
  generatedAt: string;
  sections: Array<{ heading: string; rows?: Array<[string, string]>; paragraphs?: string[] }>;
  closing: string;
}

const MARGIN = 56;

/** Renders an A4 PDF (Helvetica, WinAnsi: Italian accents print as they are). */
export function renderPdf(content: DocumentContent, creationDate: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      info: { Title: content.title, Author: 'Pronto Intervento Sociale', Subject: content.subject, CreationDate: creationDate, ModDate: creationDate },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const width = doc.page.width - 2 * MARGIN;

    doc.font('Helvetica-Bold').fontSize(10).fillColor('#06c').text('SERVIZIO DI PRONTO INTERVENTO SOCIALE', { width });
    doc.font('Helvetica').fontSize(9).fillColor('#444').text(`Riferimento caso: ${content.reference}  ·  Documento generato il ${content.generatedAt}`, { width });
    doc.moveDown(1.2);
    doc.font('Helvetica').fontSize(10).fillColor('#000').text(content.recipient, { width, align: 'right' });
    doc.moveDown(1.2);
    doc.font('Helvetica-Bold').fontSize(14).text(content.title, { width });
    doc.moveDown(0.3);
    doc.font('Helvetica-Bold').fontSize(10).text('Oggetto: ', { continued: true, width }).font('Helvetica').text(content.subject);
    for (const s of content.sections) {
      doc.moveDown(0.9);
      doc.font('Helvetica-Bold').fontSize(11).fillColor('#06c').text(s.heading, { width });
      doc.fillColor('#000').moveDown(0.2);
      for (const [label, value] of s.rows ?? []) {
        doc.font('Helvetica-Bold').fontSize(10).text(`${label}: `, { continued: true, width }).font('Helvetica').text(value);
      }
      for (const p of s.paragraphs ?? []) doc.font('Helvetica').fontSize(10).text(p, { width, align: 'left' }).moveDown(0.3);
    }
    doc.moveDown(1.5);
    doc.font('Helvetica').fontSize(10).text(content.closing, { width });
    doc.end();
  });
}
