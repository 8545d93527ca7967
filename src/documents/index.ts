import { createHash } from 'node:crypto';
import type { Case, PrismaClient } from '../generated/prisma/client';
import type { Actor, Role } from '../domain';
import { DOCUMENT_LABELS, type DocumentKind, MILESTONE_ACTOR_LABELS, MILESTONE_LABELS, MILESTONE_STATE_LABELS, type MilestoneActor, type MilestoneKind, type MilestoneState } from '../contract/milestones';
import { CATEGORY_LABELS, FORCE_LABELS, FORM_ENUM_LABELS, GENDER_LABELS, RISK_LABELS, TASK_LABELS } from '../contract/labels';
import { MSNA_NOTICE_RECIPIENTS } from '../workflows/steps/minor-protection';
import { formatRome } from '../milestones/clocks';
import { type DocumentContent, renderPdf } from './pdf';

/**
 * Official documents (PDF) of a case, each holding only what its recipient needs: the art. 403
 * report to the juvenile prosecutor, the MSNA notice (one per recipient of the msna_notices task)
 * and the handover summary for the Comune. Never a protected address: ProtectedPlacement is not
 * read here, and resource addresses are never printed.
 */

export type MsnaRecipient = (typeof MSNA_NOTICE_RECIPIENTS)[number];

export const DOCUMENT_ROLES: Record<DocumentKind, readonly Role[]> = {
  art403_report: ['emergency_operator', 'coordinator'],
  msna_notice: ['emergency_operator', 'coordinator'],
  handover_summary: ['coordinator', 'social_worker'],
};

const RECIPIENT_ADDRESS: Record<MsnaRecipient | 'procura_403' | 'comune', string> = {
  procura_minorenni: 'Alla Procura della Repubblica presso il Tribunale per i minorenni',
  tribunale_minorenni: 'Al Tribunale per i minorenni',
  ministero_lavoro: 'Al Ministero del Lavoro e delle Politiche Sociali – Sistema Informativo Minori (SIM)',
  procura_403: 'Al Pubblico Ministero presso il Tribunale per i minorenni',
  comune: 'Al Servizio sociale del Comune',
};

export class DocumentUnavailable extends Error {}

interface CaseRef {
  id: string;
  reference: string;
}

/** The documents an actor may generate for a case, with their recipients. */
export async function documentsFor(prisma: PrismaClient, actor: Actor, c: CaseRef): Promise<Array<{ kind: DocumentKind; label: string; recipients: string[] }>> {
  const [art403, msna, handover] = await Promise.all([
    prisma.milestone.count({ where: { caseId: c.id, kind: 'art403_report_24h' } }),
    prisma.taskSubmission.count({ where: { caseId: c.id, type: 'msna_placement' } }),
    prisma.handoverSummary.count({ where: { caseId: c.id } }),
  ]);
  const out: Array<{ kind: DocumentKind; label: string; recipients: string[] }> = [];
  const allowed = (k: DocumentKind) => DOCUMENT_ROLES[k].includes(actor.role);
  if (art403 > 0 && allowed('art403_report')) out.push({ kind: 'art403_report', label: DOCUMENT_LABELS.art403_report, recipients: ['procura_minorenni'] });
  if (msna > 0 && allowed('msna_notice')) out.push({ kind: 'msna_notice', label: DOCUMENT_LABELS.msna_notice, recipients: [...MSNA_NOTICE_RECIPIENTS] });
  if (handover > 0 && allowed('handover_summary')) out.push({ kind: 'handover_summary', label: DOCUMENT_LABELS.handover_summary, recipients: ['comune'] });
  return out;
}

export interface GeneratedDocument {
  pdf: Buffer;
  sha256: string;
  fileName: string;
  recipient: string;
}

type Form = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const when = (v: unknown): string => {
  const s = str(v);
  return s === undefined || Number.isNaN(Date.parse(s)) ? '—' : formatRome(Date.parse(s));
};
const channelLabel = (v: unknown) => ({ pec: 'PEC', email: 'e-mail', fax: 'fax', phone: 'telefono', hand: 'a mano' })[String(v)] ?? '—';

/** Builds one document for a case the caller may see (the route checks role and visibility). */
export async function generateDocument(prisma: PrismaClient, c: Case, kind: DocumentKind, recipientParam: string | undefined, now = new Date()): Promise<GeneratedDocument> {
  const [people, submissions, milestones, comuni, report] = await Promise.all([
    prisma.person.findMany({ where: { caseId: c.id }, orderBy: { id: 'asc' } }),
    prisma.taskSubmission.findMany({ where: { caseId: c.id }, orderBy: { submittedAt: 'asc' } }),
    prisma.milestone.findMany({ where: { caseId: c.id }, orderBy: { dueAt: 'asc' } }),
    prisma.comune.findMany({ where: { code: { in: [c.eventComuneCode, c.competentComuneCode ?? c.eventComuneCode] } }, select: { code: true, name: true } }),
    prisma.caseReport.findUnique({ where: { caseId: c.id }, select: { narrative: true } }),
  ]);
  const comuneName = (code: string | null) => (code === null ? '—' : (comuni.find((x) => x.code === code)?.name ?? code));
  const formOf = (type: string): Form | undefined => submissions.find((s) => s.type === type)?.form as Form | undefined;
  const minors = people.filter((p) => p.isMinor || p.role === 'child');
  const personRows = (p: (typeof people)[number], withName: boolean): Array<[string, string]> => [
    ...(withName ? ([['Nome e cognome', [p.firstName, p.lastName].filter(Boolean).join(' ') || '—']] as Array<[string, string]>) : []),
    ['Anno di nascita', p.birthYear === null ? '—' : String(p.birthYear)],
    ['Genere', p.gender ? (GENDER_LABELS[p.gender as keyof typeof GENDER_LABELS] ?? p.gender) : '—'],
    ['Nazionalità', p.nationality ?? '—'],
  ];
  const milestoneRows = (filter: (m: (typeof milestones)[number]) => boolean): string[] =>
    milestones.filter(filter).map((m) => {
      const label = MILESTONE_LABELS[m.kind as MilestoneKind] ?? m.kind;
      const state = MILESTONE_STATE_LABELS[m.state as MilestoneState] ?? m.state;
      return `${label} (${m.legalSource}) – a cura di: ${MILESTONE_ACTOR_LABELS[m.actor as MilestoneActor] ?? m.actor} – scadenza ${formatRome(m.dueAt)}${m.triggerEstimated ? ' (stimata)' : ''} – ${state}`;
    });
  const generatedAt = formatRome(now);
  const base = { reference: c.reference, generatedAt };
  let content: DocumentContent;
  let recipient: string;

  if (kind === 'art403_report') {
    if (!milestones.some((m) => m.kind === 'art403_report_24h')) throw new DocumentUnavailable('nessun collocamento ex art. 403 su questo caso');
    recipient = 'procura_minorenni';
    const f = formOf('art403_report') ?? {};
    const m24 = milestones.find((m) => m.kind === 'art403_report_24h');
    content = {
      ...base,
      title: 'Segnalazione ex art. 403 c.c.',
      recipient: RECIPIENT_ADDRESS.procura_403,
      subject: 'collocamento in luogo sicuro di minore ai sensi dell’art. 403 c.c. – provvedimento, documentazione e sintetica relazione',
      sections: [
        {
          heading: 'Provvedimento',
          rows: [
            ['Collocamento in luogo sicuro', m24 ? formatRome(m24.triggerAt) : when(f.placedAt)],
            ['Termine per la trasmissione (24 ore)', m24 ? formatRome(m24.dueAt) : '—'],
            ['Comune dell’evento', comuneName(c.eventComuneCode)],
            ['Segnalazione di', `${FORCE_LABELS[c.reportingForce as keyof typeof FORCE_LABELS] ?? c.reportingForce}, verbale n. ${c.reportNumber}`],
            ['Ricevuta il', formatRome(c.reportedAt)],
          ],
        },
        ...minors.map((p, i) => ({ heading: minors.length > 1 ? `Minore ${i + 1}` : 'Minore', rows: personRows(p, true) })),
        { heading: 'Sintetica relazione', paragraphs: [report?.narrative ?? '—'] },
        { heading: 'Termini (art. 403 c.c.)', paragraphs: milestoneRows((m) => m.kind.startsWith('art403_')) },
      ],
      closing: 'Il luogo del collocamento è comunicato separatamente ai soli soggetti autorizzati. Il coordinatore del Servizio di Pronto Intervento Sociale',
    };
  } else if (kind === 'msna_notice') {
    const placement = formOf('msna_placement');
    if (!placement) throw new DocumentUnavailable('nessun collocamento MSNA su questo caso');
    if (!MSNA_NOTICE_RECIPIENTS.includes(recipientParam as MsnaRecipient)) throw new RecipientRequired(MSNA_NOTICE_RECIPIENTS);
    const r = recipientParam as MsnaRecipient;
    recipient = r;
    const minor = minors[0] ?? people[0];
    const rows: Array<[string, string]> = [
      ['Collocato in prima accoglienza il', when(placement.placedAt)],
      ['Struttura di prima accoglienza', str(placement.facilityName) ?? '—'],
      ['Età dichiarata', typeof placement.declaredAge === 'number' ? `${placement.declaredAge} anni` : '—'],
      ['Comune di rintraccio', comuneName(c.eventComuneCode)],
    ];
    if (r === 'procura_minorenni') rows.push(['Segnalazione di', `${FORCE_LABELS[c.reportingForce as keyof typeof FORCE_LABELS] ?? c.reportingForce}, verbale n. ${c.reportNumber}`]);
    const purpose: Record<MsnaRecipient, string> = {
      procura_minorenni: 'segnalazione di minore straniero non accompagnato (L. 47/2017) per le determinazioni di competenza',
      tribunale_minorenni: 'segnalazione di minore straniero non accompagnato per la nomina del tutore e la ratifica delle misure di accoglienza (L. 47/2017, artt. 11 e 19)',
      ministero_lavoro: 'comunicazione per l’iscrizione nel Sistema Informativo Minori (SIM) (L. 47/2017, art. 9)',
    };
    const terms = milestoneRows((m) => m.kind.startsWith('msna_') && m.state !== 'not_applicable' && (r !== 'ministero_lavoro' || m.kind === 'msna_sim_registration'));
    content = {
      ...base,
      title: `Segnalazione MSNA – ${FORM_ENUM_LABELS[r as keyof typeof FORM_ENUM_LABELS] ?? r}`,
      recipient: RECIPIENT_ADDRESS[r],
      subject: purpose[r],
      sections: [
        { heading: 'Minore', rows: minor ? personRows(minor, true) : [] },
        { heading: 'Accoglienza', rows },
        { heading: 'Termini', paragraphs: terms.length > 0 ? terms : ['—'] },
      ],
      closing: 'Il coordinatore del Servizio di Pronto Intervento Sociale',
    };
  } else {
    const h = await prisma.handoverSummary.findUnique({ where: { caseId: c.id } });
    if (!h) throw new DocumentUnavailable('passaggio di consegne non ancora preparato');
    recipient = 'comune';
    const s = h.summary as Form;
    const completed = Array.isArray(s.completedTasks) ? (s.completedTasks as Form[]) : [];
    content = {
      ...base,
      title: 'Sintesi del passaggio di consegne',
      recipient: `${RECIPIENT_ADDRESS.comune} di ${comuneName(h.comuneCode)}`,
      subject: `passaggio di consegne del caso ${c.reference} all’apertura del ${formatRome(h.openingAt)}`,
      sections: [
        {
          heading: 'Caso',
          rows: [
            ['Segnalato il', formatRome(c.reportedAt)],
            ['Comune dell’evento', comuneName(c.eventComuneCode)],
            ['Categorie', c.categories.map((k) => CATEGORY_LABELS[k as keyof typeof CATEGORY_LABELS] ?? k).join(', ') || '—'],
            ['Livello di rischio', typeof s.riskLevel === 'string' ? (RISK_LABELS[s.riskLevel as keyof typeof RISK_LABELS] ?? s.riskLevel) : '—'],
          ],
        },
        ...people.map((p, i) => ({ heading: `Persona ${i + 1}${p.isMinor ? ' (minore)' : ''}`, rows: personRows(p, true) })),
        { heading: 'Descrizione della segnalazione', paragraphs: [typeof s.narrative === 'string' ? s.narrative : '—'] },
        { heading: 'Interventi svolti', paragraphs: completed.length > 0 ? completed.map((t) => `${TASK_LABELS[String(t.type) as keyof typeof TASK_LABELS] ?? String(t.type)} – ${when(t.submittedAt)}`) : ['—'] },
        { heading: 'Scadenze legali affidate al servizio territoriale e aperte', paragraphs: milestoneRows((m) => m.actor === 'territorial_service' || m.state === 'due').concat(milestones.length === 0 ? ['—'] : []) },
        {
          heading: 'Evidenze trasmesse',
          paragraphs: milestones
            .filter((m) => m.sentAt !== null)
            .map((m) => `${MILESTONE_LABELS[m.kind as MilestoneKind] ?? m.kind}: inviata il ${formatRome(m.sentAt as Date)} (${channelLabel(m.channel)}${m.pecProtocol ? `, prot. ${m.pecProtocol}` : ''})`),
        },
      ],
      closing: 'Il luogo di un eventuale collocamento protetto non è riportato: va richiesto al coordinatore del Servizio di Pronto Intervento Sociale.',
    };
  }
  const pdf = await renderPdf(content, now);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  return { pdf, sha256, recipient, fileName: `${c.reference}-${kind}${recipient === 'procura_minorenni' && kind === 'art403_report' ? '' : `-${recipient}`}.pdf` };
}

export class RecipientRequired extends Error {
  constructor(readonly allowed: readonly string[]) {
    super('recipient');
  }
}
