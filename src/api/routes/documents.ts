import { Router } from 'express';
import { z } from 'zod';
import { DOCUMENT_KINDS, type DocumentKind } from '../../contract/milestones';
import { DOCUMENT_ROLES, DocumentUnavailable, generateDocument, RecipientRequired } from '../../documents';
import { forbidden } from '../authorization';
import { ProblemError } from '../problem';
import { type ApiDeps, endpoint, parseQuery } from './context';
import { visibleCase } from './cases';

export const documentQuery = z.object({ recipient: z.string().max(40).optional().describe('Destinatario (segnalazione MSNA)') }).strict();

/**
 * `GET /api/cases/:id/documents/:kind`: an official PDF of the case for the roles of
 * DOCUMENT_ROLES (403 otherwise, audited like every request). Every generation is recorded with
 * the sha256 of the bytes sent.
 */
export function documentsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get(
    '/:id/documents/:kind',
    endpoint(deps, 'document.generate', async (req, ctx) => {
      const c = await visibleCase(deps, ctx, req.params.id as string);
      const kind = req.params.kind as DocumentKind;
      if (!DOCUMENT_KINDS.includes(kind)) throw new ProblemError(404, { detail: 'Documento sconosciuto' });
      if (!DOCUMENT_ROLES[kind].includes(ctx.actor.role)) throw forbidden('Documento non disponibile per il tuo ruolo');
      const q = parseQuery(documentQuery, req.query);
      let doc;
      try {
        doc = await generateDocument(deps.prisma, c, kind, q.recipient);
      } catch (err) {
        if (err instanceof DocumentUnavailable) throw new ProblemError(409, { detail: `Documento non disponibile: ${err.message}`, extensions: { code: 'DOCUMENT_NOT_AVAILABLE' } });
        if (err instanceof RecipientRequired) {
          throw new ProblemError(422, { title: 'Validation Failed', detail: 'Destinatario mancante o non valido', errors: [{ path: 'recipient', message: `uno tra ${err.allowed.join(', ')}` }] });
        }
        throw err;
      }
      await deps.prisma.documentGeneration.create({
        data: { caseId: c.id, kind, recipient: doc.recipient, userId: ctx.actor.userId, role: ctx.actor.role, sha256: doc.sha256, bytes: doc.pdf.length },
      });
      return {
        body: null,
        raw: { contentType: 'application/pdf', data: doc.pdf },
        headers: { 'Content-Disposition': `inline; filename="${doc.fileName}"`, 'X-Document-Sha256': doc.sha256 },
      };
    }),
  );
  return router;
}
