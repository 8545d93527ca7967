import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client';
import type { Sent } from '../../contract/api';
import type { EarlierCase, PersonLinkItem, PersonSearchHit } from '../../contract/reports';
import { text } from '../../text';
import { canSeeCase, caseScope } from '../authorization';
import { ProblemError } from '../problem';
import { type ApiDeps, endpoint, parseBody } from './context';
import { visibleCase } from './cases';

/**
 * Person history. A search looks people up across the cases the actor may see (`caseScope`),
 * needs a name or both birth year and nationality, returns at most SEARCH_LIMIT people and leaves
 * a PersonSearchAudit row (who, when, criteria, how many matched; never who matched). Linking a
 * person of a case to the same person in an earlier case is the operator's explicit act, never
 * the system's guess; a case page then lists that person's earlier cases, within the reader's scope.
 */

export const SEARCH_LIMIT = 50;
const PERSON_ID = /^[0-9A-Za-z._:-]{1,100}$/;
const LINK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const personSearchQuery = z
  .object({
    name: text({ max: 100, min: 2, minMessage: 'almeno 2 caratteri' }).optional().describe('Nome e/o cognome (anche in parte)'),
    birthYear: z.coerce.number().int().min(1900).max(2100).optional().describe('Anno di nascita'),
    nationality: text({ max: 100, min: 2, minMessage: 'almeno 2 caratteri' }).optional().describe('Nazionalità'),
  })
  .strict();

export const personLinkBody = z.object({ earlierPersonId: z.string().regex(PERSON_ID, 'identificativo di persona').describe('Persona di un caso precedente') }).strict();

function validation(errors: Array<{ path: string; message: string }>): ProblemError {
  return new ProblemError(422, { title: 'Validation Failed', detail: 'Dati non validi', errors });
}

function earlierCaseOf(c: { id: string; reference: string; reportedAt: Date; closedAt: Date | null; categories: string[]; outcomeCode: string | null }): Sent<EarlierCase> {
  return { caseId: c.id, reference: c.reference, reportedAt: c.reportedAt, closedAt: c.closedAt, categories: c.categories, outcomeCode: c.outcomeCode };
}

const CASE_SUMMARY = { id: true, ambitoId: true, reference: true, reportedAt: true, closedAt: true, categories: true, outcomeCode: true, competentComuneCode: true, eventComuneCode: true } satisfies Prisma.CaseSelect;

export function peopleRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get(
    '/search',
    endpoint(deps, 'person.search', async (req, ctx) => {
      const parsed = personSearchQuery.safeParse(req.query ?? {});
      if (!parsed.success) throw validation(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(query)', message: i.message })));
      const q = parsed.data;
      if (q.name === undefined && (q.birthYear === undefined || q.nationality === undefined)) {
        throw validation([{ path: 'name', message: 'indicare il nome, oppure anno di nascita e nazionalità insieme' }]);
      }
      const and: Prisma.PersonWhereInput[] = [{ case: caseScope(ctx.actor) }];
      for (const token of (q.name ?? '').split(/\s+/).filter((t) => t !== '').slice(0, 4)) {
        and.push({ OR: [{ firstName: { contains: token, mode: 'insensitive' } }, { lastName: { contains: token, mode: 'insensitive' } }] });
      }
      if (q.birthYear !== undefined) and.push({ birthYear: q.birthYear });
      if (q.nationality !== undefined) and.push({ nationality: { equals: q.nationality, mode: 'insensitive' } });
      const where = { AND: and };
      const [people, total] = await Promise.all([
        deps.prisma.person.findMany({
          where,
          select: { id: true, role: true, firstName: true, lastName: true, birthYear: true, nationality: true, case: { select: { id: true, reference: true, reportedAt: true } } },
          orderBy: [{ case: { reportedAt: 'desc' } }, { id: 'asc' }],
          take: SEARCH_LIMIT,
        }),
        deps.prisma.person.count({ where }),
      ]);
      await deps.prisma.personSearchAudit.create({ data: { userId: ctx.actor.userId, role: ctx.actor.role, criteria: q, resultCount: total } });
      const items = people.map(
        (p) =>
          ({
            personId: p.id,
            caseId: p.case.id,
            caseReference: p.case.reference,
            reportedAt: p.case.reportedAt,
            firstName: p.firstName,
            lastName: p.lastName,
            birthYear: p.birthYear,
            nationality: p.nationality,
            role: p.role,
          }) satisfies Sent<PersonSearchHit>,
      );
      return { body: { items, total, limit: SEARCH_LIMIT } };
    }),
  );
  return router;
}

/** Links of the people of one case (under /api/cases). */
export function personLinksRouter(deps: ApiDeps): Router {
  const router = Router();

  const personOfCase = async (caseId: string, personId: string) => {
    const person = PERSON_ID.test(personId) ? await deps.prisma.person.findUnique({ where: { id: personId } }) : null;
    if (person === null || person.caseId !== caseId) throw new ProblemError(404, { detail: 'Persona non trovata in questo caso' });
    return person;
  };

  router.get(
    '/:id/people/links',
    endpoint(deps, 'case.read', async (req, ctx) => {
      const c = await visibleCase(deps, ctx, String(req.params.id));
      const links = await deps.prisma.personLink.findMany({ where: { caseId: c.id }, orderBy: { linkedAt: 'asc' } });
      const earlier = await deps.prisma.case.findMany({ where: { id: { in: links.map((l) => l.earlierCaseId) } }, select: CASE_SUMMARY });
      const byId = new Map(earlier.map((e) => [e.id, e]));
      const items = links.map((l) => {
        const e = byId.get(l.earlierCaseId);
        return {
          id: l.id,
          personId: l.personId,
          earlierPersonId: l.earlierPersonId,
          linkedById: l.linkedById,
          linkedAt: l.linkedAt,
          earlierCase: e !== undefined && canSeeCase(ctx.actor, e) ? earlierCaseOf(e) : null,
        } satisfies Sent<PersonLinkItem>;
      });
      return { body: { items } };
    }),
  );

  router.post(
    '/:id/people/:personId/links',
    endpoint(deps, 'person.link', async (req, ctx) => {
      const { earlierPersonId } = parseBody(personLinkBody, req.body);
      const c = await visibleCase(deps, ctx, String(req.params.id));
      const person = await personOfCase(c.id, String(req.params.personId));
      const earlier = await deps.prisma.person.findUnique({ where: { id: earlierPersonId }, include: { case: { select: CASE_SUMMARY } } });
      // Unknown and out of scope answer alike: the reply must not tell what exists elsewhere.
      if (earlier === null || !canSeeCase(ctx.actor, earlier.case)) throw validation([{ path: 'earlierPersonId', message: 'persona non trovata' }]);
      if (earlier.caseId === c.id) throw validation([{ path: 'earlierPersonId', message: 'la persona è dello stesso caso' }]);
      if (earlier.case.reportedAt >= c.reportedAt) throw validation([{ path: 'earlierPersonId', message: 'il caso della persona non è precedente a questo' }]);
      const existing = await deps.prisma.personLink.findUnique({ where: { personId_earlierPersonId: { personId: person.id, earlierPersonId } } });
      const link =
        existing ??
        (await deps.prisma.personLink.create({
          data: { id: randomUUID(), caseId: c.id, personId: person.id, earlierPersonId, earlierCaseId: earlier.caseId, linkedById: ctx.actor.userId },
        }));
      const body = {
        id: link.id,
        personId: link.personId,
        earlierPersonId: link.earlierPersonId,
        linkedById: link.linkedById,
        linkedAt: link.linkedAt,
        earlierCase: earlierCaseOf(earlier.case),
      } satisfies Sent<PersonLinkItem>;
      return { status: existing === null ? 201 : 200, body };
    }),
  );

  router.delete(
    '/:id/people/:personId/links/:linkId',
    endpoint(deps, 'person.unlink', async (req, ctx) => {
      const c = await visibleCase(deps, ctx, String(req.params.id));
      const person = await personOfCase(c.id, String(req.params.personId));
      const linkId = String(req.params.linkId);
      const deleted = LINK_ID.test(linkId) ? await deps.prisma.personLink.deleteMany({ where: { id: linkId, personId: person.id, caseId: c.id } }) : { count: 0 };
      if (deleted.count === 0) throw new ProblemError(404, { detail: 'Collegamento non trovato' });
      return { body: { deleted: true } };
    }),
  );
  return router;
}
