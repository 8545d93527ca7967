import { randomBytes, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { recordAdminChange } from '../../admin/audit';
import { type Actor, ROLES, type Role } from '../../domain';
import { Prisma } from '../../generated/prisma/client';
import type { AdminUser, AdminUserList, AdminUserWithPassword } from '../../contract/users';
import type { Sent } from '../../contract/api';
import { requiredText } from '../../text';
import { hashPassword } from '../auth/passwords';
import { forbidden } from '../authorization';
import { ProblemError } from '../problem';
import { type ApiDeps, endpoint, issuesTokens, parseBody } from './context';

/**
 * User administration: `GET/POST /api/admin/users`, `PATCH /api/admin/users/:id`,
 * `POST /api/admin/users/:id/reset-password`. Admin manages everyone; a coordinator manages the
 * emergency operators of their own Ambiti (every Ambito of the operator must be theirs). Every
 * change is recorded with `recordAdminChange` in its transaction (never a password or its hash);
 * a change of role, Comune, active flag or password revokes the user's tokens, a change of Ambiti
 * applies at their next request (see src/api/auth/revocation.ts).
 */

const USER_ID = /^[A-Za-z0-9._|-]{1,64}$/;
const istatCode = z.string().regex(/^\d{6}$/, 'codice ISTAT di 6 cifre');
const ambitoIds = z.array(z.string().min(1).max(64)).max(50).describe('Ambiti dei casi visibili');

export const createUserBody = z
  .object({
    username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'da 3 a 64 caratteri tra a-z 0-9 . _ -').describe('Nome utente'),
    displayName: requiredText(120).describe('Nome visualizzato'),
    role: z.enum(ROLES).describe('Ruolo'),
    comuneCode: istatCode.nullable().optional().describe('Comune (solo assistenti sociali)'),
    ambitoIds: ambitoIds.optional(),
  })
  .strict();

export const updateUserBody = z
  .object({
    displayName: requiredText(120).optional(),
    role: z.enum(ROLES).optional(),
    comuneCode: istatCode.nullable().optional(),
    ambitoIds: ambitoIds.optional(),
    active: z.boolean().optional().describe('false disattiva l’utente (e ne revoca le sessioni)'),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nessuna modifica indicata' });

const USER_INCLUDE = { ambiti: { select: { ambitoId: true }, orderBy: { ambitoId: 'asc' } } } satisfies Prisma.UserInclude;
type UserRow = Prisma.UserGetPayload<{ include: typeof USER_INCLUDE }>;

function view(u: UserRow): AdminUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role as Role,
    comuneCode: u.comuneCode,
    ambitoIds: u.ambiti.map((a) => a.ambitoId),
    active: u.active,
    createdAt: u.createdAt.toISOString(),
  };
}

function invalid(path: string, message: string): ProblemError {
  return new ProblemError(422, { title: 'Validation Failed', detail: 'Dati non validi', errors: [{ path, message }] });
}

function userNotFound(): ProblemError {
  return new ProblemError(404, { detail: 'Utente non trovato' });
}

/** 24 characters from 18 random bytes: shown once, never stored in clear. */
function temporaryPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** What a coordinator may manage: emergency operators all of whose (one or more) Ambiti are theirs. */
function coordinatorManages(actor: Actor, role: string, ambiti: readonly string[]): boolean {
  return role === 'emergency_operator' && ambiti.length > 0 && ambiti.every((a) => actor.ambitoIds.includes(a));
}

function requireManageable(actor: Actor, role: string, ambiti: readonly string[]): void {
  if (actor.role === 'admin') return;
  if (!coordinatorManages(actor, role, ambiti)) throw forbidden('Un coordinatore gestisce solo gli operatori dei propri Ambiti');
}

interface Target {
  role: Role;
  comuneCode: string | null;
  ambitoIds: string[];
}

/**
 * The rules of a user's role, Comune and Ambiti (422 naming the field): known Ambiti; at least one
 * for the roles scoped by Ambito; a social worker has a known Comune inside their Ambiti (their
 * Ambiti default to the Comune's); nobody else has a Comune.
 */
async function checkTarget(deps: ApiDeps, t: Target): Promise<Target> {
  const unique = [...new Set(t.ambitoIds)];
  const known = new Set((await deps.prisma.ambito.findMany({ where: { id: { in: unique } }, select: { id: true } })).map((a) => a.id));
  const unknown = unique.findIndex((a) => !known.has(a));
  if (unknown >= 0) throw invalid(`ambitoIds.${t.ambitoIds.indexOf(unique[unknown] as string)}`, 'Ambito sconosciuto');
  if (t.role === 'social_worker') {
    if (t.comuneCode === null) throw invalid('comuneCode', 'un assistente sociale lavora per un Comune: indicarlo');
    const comune = await deps.prisma.comune.findUnique({ where: { code: t.comuneCode }, select: { ambitoId: true } });
    if (comune === null) throw invalid('comuneCode', 'Comune sconosciuto');
    if (comune.ambitoId === null) throw invalid('comuneCode', 'Comune non servito da nessun Ambito');
    if (unique.length === 0) return { ...t, ambitoIds: [comune.ambitoId] };
    if (!unique.includes(comune.ambitoId)) throw invalid('comuneCode', 'Comune fuori dagli Ambiti dell’utente');
    return { ...t, ambitoIds: unique };
  }
  if (t.comuneCode !== null) throw invalid('comuneCode', 'il Comune si indica solo per gli assistenti sociali');
  if (t.role !== 'admin' && unique.length === 0) throw invalid('ambitoIds', 'indicare almeno un Ambito');
  return { ...t, ambitoIds: unique };
}

export function adminUsersRouter(deps: ApiDeps): Router {
  const router = Router();
  const forget = (userId: string) => {
    if (issuesTokens(deps.auth)) deps.auth.forgetUser(userId);
  };

  router.get(
    '/',
    endpoint(deps, 'user.list', async (_req, ctx) => {
      const mine = ctx.actor.ambitoIds;
      const where: Prisma.UserWhereInput =
        ctx.actor.role === 'admin' ? {} : { role: 'emergency_operator', ambiti: { some: { ambitoId: { in: mine } }, every: { ambitoId: { in: mine } } } };
      const [users, ambiti] = await Promise.all([
        deps.prisma.user.findMany({ where, include: USER_INCLUDE, orderBy: [{ role: 'asc' }, { username: 'asc' }] }),
        deps.prisma.ambito.findMany({ where: ctx.actor.role === 'admin' ? {} : { id: { in: mine } }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
      ]);
      return { body: { items: users.map(view), ambiti } satisfies Sent<AdminUserList> };
    }),
  );

  router.post(
    '/',
    endpoint(deps, 'user.manage', async (req, ctx) => {
      const body = parseBody(createUserBody, req.body);
      requireManageable(ctx.actor, body.role, body.ambitoIds ?? []);
      const target = await checkTarget(deps, { role: body.role, comuneCode: body.comuneCode ?? null, ambitoIds: body.ambitoIds ?? [] });
      const password = temporaryPassword();
      const passwordHash = await hashPassword(password);
      const id = `u-${randomUUID()}`;
      try {
        const user = await deps.prisma.$transaction(async (tx) => {
          const created = await tx.user.create({
            data: {
              id,
              username: body.username,
              displayName: body.displayName,
              passwordHash,
              role: target.role,
              comuneCode: target.comuneCode,
              ambiti: { create: target.ambitoIds.map((ambitoId) => ({ ambitoId })) },
            },
            include: USER_INCLUDE,
          });
          await recordAdminChange(tx, { actorId: ctx.actor.userId, entity: 'user', entityId: id, before: null, after: view(created) });
          return created;
        });
        return { status: 201, headers: { 'Cache-Control': 'no-store', Location: `/api/admin/users/${id}` }, body: { user: view(user), temporaryPassword: password } satisfies Sent<AdminUserWithPassword> };
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') throw invalid('username', 'nome utente già in uso');
        throw err;
      }
    }),
  );

  async function manageable(actor: Actor, id: string): Promise<UserRow> {
    if (!USER_ID.test(id)) throw userNotFound();
    const user = await deps.prisma.user.findUnique({ where: { id }, include: USER_INCLUDE });
    if (user === null) throw userNotFound();
    requireManageable(actor, user.role, user.ambiti.map((a) => a.ambitoId));
    return user;
  }

  router.patch(
    '/:id',
    endpoint(deps, 'user.manage', async (req, ctx) => {
      const body = parseBody(updateUserBody, req.body);
      const before = await manageable(ctx.actor, String(req.params.id));
      const current = view(before);
      const role = body.role ?? current.role;
      // A social worker who becomes something else loses the Comune unless told otherwise.
      const comuneCode = body.comuneCode !== undefined ? body.comuneCode : role === 'social_worker' ? current.comuneCode : null;
      const wanted = body.ambitoIds ?? (role === 'social_worker' && comuneCode !== current.comuneCode ? [] : current.ambitoIds);
      requireManageable(ctx.actor, role, wanted);
      const target = await checkTarget(deps, { role, comuneCode, ambitoIds: wanted });
      if (body.active === false && before.id === ctx.actor.userId) throw invalid('active', 'non si può disattivare il proprio utente');
      if (body.role !== undefined && body.role !== current.role && before.id === ctx.actor.userId) throw invalid('role', 'non si può cambiare il proprio ruolo');
      const active = body.active ?? current.active;
      // Role, Comune and active flag are part of the token's meaning: tokens issued before stop working.
      const revoke = role !== current.role || target.comuneCode !== current.comuneCode || active !== current.active;
      const after = await deps.prisma.$transaction(async (tx) => {
        await tx.userAmbito.deleteMany({ where: { userId: before.id, ambitoId: { notIn: target.ambitoIds } } });
        await tx.userAmbito.createMany({ data: target.ambitoIds.map((ambitoId) => ({ userId: before.id, ambitoId })), skipDuplicates: true });
        const updated = await tx.user.update({
          where: { id: before.id },
          data: { displayName: body.displayName ?? current.displayName, role, comuneCode: target.comuneCode, active, ...(revoke && { tokenVersion: { increment: 1 } }) },
          include: USER_INCLUDE,
        });
        await recordAdminChange(tx, { actorId: ctx.actor.userId, entity: 'user', entityId: before.id, before: current, after: view(updated) });
        return updated;
      });
      forget(before.id);
      return { body: view(after) satisfies Sent<AdminUser> };
    }),
  );

  router.post(
    '/:id/reset-password',
    endpoint(deps, 'user.manage', async (req, ctx) => {
      if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body) || Object.keys(req.body as object).length > 0)) {
        throw new ProblemError(400, { detail: 'Il ripristino della password non ha corpo (o un oggetto vuoto)' });
      }
      const before = await manageable(ctx.actor, String(req.params.id));
      const password = temporaryPassword();
      const passwordHash = await hashPassword(password);
      const after = await deps.prisma.$transaction(async (tx) => {
        // The new password revokes every session of the user (token version).
        const updated = await tx.user.update({ where: { id: before.id }, data: { passwordHash, tokenVersion: { increment: 1 } }, include: USER_INCLUDE });
        await recordAdminChange(tx, { actorId: ctx.actor.userId, entity: 'user', entityId: before.id, before: view(before), after: { ...view(updated), passwordReset: true } });
        return updated;
      });
      forget(before.id);
      return { headers: { 'Cache-Control': 'no-store' }, body: { user: view(after), temporaryPassword: password } satisfies Sent<AdminUserWithPassword> };
    }),
  );

  return router;
}
