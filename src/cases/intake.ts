import { randomUUID } from 'node:crypto';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { PrismaClient } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import {
  type Actor,
  CASE_WORKFLOW_TYPE,
  type CaseWorkflowInput,
  caseWorkflowId,
} from '../workflows/definitions';
import { SA_CATEGORIES, SA_COMUNE, SA_STATUS, SA_STEP } from '../workflows/search-attributes';
import type { IntakeData } from './intake-schema';
import { loadProtocolSettings } from './protocol-settings';
import type { ProtocolSettings } from '../workflows/model';

export interface IntakeDeps {
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
}

export interface IntakeResult {
  caseId: string;
  reference: string;
  workflowId: string;
  /** false when the same report (or idempotency key) was already received. */
  created: boolean;
  /**
   * false when Temporal could not be reached: the case is stored with its outbox row
   * (CaseWorkflowStart) and the worker's reconciler starts the workflow.
   */
  workflowStarted: boolean;
}

export class IntakeError extends Error {
  constructor(
    readonly code: 'UNKNOWN_COMUNE' | 'OUTSIDE_AMBITO' | 'IDEMPOTENCY_CONFLICT',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'IntakeError';
  }
}

/**
 * Receives a police report: writes the case file (personal data stays in PostgreSQL), then starts
 * the case workflow with only references and codes. Idempotent on (reporting force, report
 * number) and on an optional idempotency key: a repeated report returns the existing case, and a
 * crash between the two writes is repaired by the retry (the workflow start is idempotent too).
 */
export async function receiveReport(
  deps: IntakeDeps,
  data: IntakeData,
  actor: Actor,
  options: {
    idempotencyKey?: string;
    protocolOverrides?: Partial<ProtocolSettings>;
    /** Runs in the transaction that stores a new case (e.g. its audit row), so both commit or neither. */
    onCreate?: (tx: Prisma.TransactionClient, caseId: string) => Promise<unknown>;
    /** Deadline of the workflow start, ms; past it the case is answered as stored, start pending. */
    startTimeoutMs?: number;
    onStartFailed?: (error: unknown) => void;
    /** Whether the reporter works for this Ambito (the event Comune's); refused with OUTSIDE_AMBITO otherwise. */
    acceptsAmbito?: (ambitoId: string) => boolean;
  } = {},
): Promise<IntakeResult> {
  const { prisma } = deps;
  const eventComune = await prisma.comune.findUnique({ where: { code: data.eventComuneCode } });
  if (!eventComune?.ambitoId) {
    throw new IntakeError('UNKNOWN_COMUNE', 'Comune dell’evento non servito da nessun Ambito configurato', 'eventComuneCode');
  }
  // The case belongs to the Ambito of the event Comune: routing needs no code per Ambito.
  if (options.acceptsAmbito && !options.acceptsAmbito(eventComune.ambitoId)) {
    throw new IntakeError('OUTSIDE_AMBITO', 'Comune dell’evento fuori dagli Ambiti in cui operi', 'eventComuneCode');
  }

  let existing = await findExisting(prisma, data, options.idempotencyKey);
  let created = false;
  if (!existing) {
    const caseId = randomUUID();
    try {
      existing = await prisma.$transaction(async (tx) => {
        const seqRow = await tx.$queryRaw<Array<{ n: bigint }>>`SELECT nextval('case_reference_seq') AS n`;
        const n = Number(seqRow[0]?.n ?? 0);
        const reference = `PIS-${data.reportedAt.slice(0, 4)}-${String(n).padStart(6, '0')}`;
        const row = await tx.case.create({
          data: {
            id: caseId,
            reference,
            workflowId: caseWorkflowId(caseId),
            reportingForce: data.reportingForce,
            reportNumber: data.reportNumber,
            idempotencyKey: options.idempotencyKey,
            ambitoId: eventComune.ambitoId as string,
            eventComuneCode: data.eventComuneCode,
            residenceComuneCode: data.residenceComuneCode,
            categories: data.categories,
            minorsInvolved: data.people.some((p) => p.isMinor),
            status: 'intake',
            step: 'intake',
            flags: [],
            openTaskRoles: [],
            reportedAt: new Date(data.reportedAt),
            lastProgressAt: new Date(),
            createdById: actor.userId,
            report: {
              create: {
                officerName: data.officerName,
                callbackNumber: data.callbackNumber,
                eventAddress: data.eventAddress,
                reportedAt: new Date(data.reportedAt),
                immediateDangers: data.immediateDangers,
                narrative: data.narrative,
              },
            },
            people: {
              create: data.people.map((p, i) => ({ id: `${caseId}-p${i + 1}`, ...p })),
            },
          },
        });
        // The outbox row commits with the case: no case can be left without its workflow.
        await tx.caseWorkflowStart.create({ data: { caseId } });
        await options.onCreate?.(tx, caseId);
        return row;
      });
      created = true;
    } catch (error) {
      // Two identical reports at the same moment: the unique constraints pick one winner.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        existing = await findExisting(prisma, data, options.idempotencyKey);
        if (!existing) throw error;
      } else {
        throw error;
      }
    }
  }
  if (!existing) throw new Error('case not created');
  if (!created && options.idempotencyKey && existing.idempotencyKey === options.idempotencyKey) {
    if (existing.reportingForce !== data.reportingForce || existing.reportNumber !== data.reportNumber) {
      throw new IntakeError('IDEMPOTENCY_CONFLICT', 'Chiave di idempotenza già usata per un’altra segnalazione');
    }
  }

  let workflowStarted = true;
  try {
    const start = () => startCaseWorkflow(deps, existing, actor.role, options.protocolOverrides);
    await (options.startTimeoutMs === undefined ? start() : deps.client.connection.withDeadline(Date.now() + options.startTimeoutMs, start));
  } catch (error) {
    // The case is durable and its outbox row stays: the reconciler will start it.
    workflowStarted = false;
    options.onStartFailed?.(error);
  }
  return { caseId: existing.id, reference: existing.reference, workflowId: existing.workflowId, created, workflowStarted };
}

type CaseRow = NonNullable<Awaited<ReturnType<PrismaClient['case']['findUnique']>>>;

/**
 * Starts the workflow of a stored case (idempotent: an existing run is reused, a finished one is
 * left alone), then removes the case's outbox row. Used by intake and by the reconciler.
 */
export async function startCaseWorkflow(
  deps: IntakeDeps,
  existing: CaseRow,
  creatorRole: Actor['role'],
  protocolOverrides?: Partial<ProtocolSettings>,
): Promise<void> {
  const { prisma } = deps;
  // The version in force when the case was created, even when its workflow starts later (reconciler).
  const protocol = { ...(await loadProtocolSettings(prisma, existing.ambitoId, existing.createdAt)), ...protocolOverrides };
  const input: CaseWorkflowInput = {
    caseId: existing.id,
    reference: existing.reference,
    ambitoId: existing.ambitoId,
    eventComuneCode: existing.eventComuneCode,
    residenceComuneCode: existing.residenceComuneCode ?? undefined,
    reportingForce: existing.reportingForce as CaseWorkflowInput['reportingForce'],
    categories: existing.categories as CaseWorkflowInput['categories'],
    minorsInvolved: existing.minorsInvolved,
    reportedAt: existing.reportedAt.toISOString(),
    createdBy: { userId: existing.createdById, role: creatorRole },
    protocol,
  };
  await deps.client.workflow.start(CASE_WORKFLOW_TYPE, {
    workflowId: existing.workflowId,
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: SA_STATUS, value: 'intake' },
      { key: SA_STEP, value: 'intake' },
      { key: SA_COMUNE, value: existing.eventComuneCode },
      { key: SA_CATEGORIES, value: existing.categories },
    ],
  }).catch((error: unknown) => {
    // A closed case with this id already ran: the report is a duplicate of a finished case.
    if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError') return undefined;
    throw error;
  });
  await prisma.caseWorkflowStart.deleteMany({ where: { caseId: existing.id } });
}

/** Starts the workflow of case `caseId` by its stored row (the creator's role from the user table). */
export async function ensureCaseWorkflow(deps: IntakeDeps, caseId: string, protocolOverrides?: Partial<ProtocolSettings>): Promise<void> {
  const row = await deps.prisma.case.findUniqueOrThrow({ where: { id: caseId } });
  const creator = await deps.prisma.user.findUnique({ where: { id: row.createdById }, select: { role: true } });
  await startCaseWorkflow(deps, row, (creator?.role ?? 'intake_operator') as Actor['role'], protocolOverrides);
}

async function findExisting(prisma: PrismaClient, data: IntakeData, idempotencyKey?: string) {
  if (idempotencyKey) {
    const byKey = await prisma.case.findUnique({ where: { idempotencyKey } });
    if (byKey) return byKey;
  }
  return prisma.case.findUnique({
    where: { reportingForce_reportNumber: { reportingForce: data.reportingForce, reportNumber: data.reportNumber } },
  });
}
