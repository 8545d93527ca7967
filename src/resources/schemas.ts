import { z } from 'zod';
import { CAPACITY_UNITS, NETWORK_RESOURCE_TYPES } from '../domain';
import { requiredText, text } from '../text';

/** Request schemas of the resource directory (administration, availability, operators' list). */

const istatCode = z.string().regex(/^\d{6}$/, 'codice ISTAT di 6 cifre');
const slug = z.string().max(64, 'al massimo 64 caratteri').regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'minuscole, cifre e trattini');
const phone = z.string().trim().regex(/^\+?\d[\d ]{4,18}\d$/, 'numero di telefono: cifre e spazi, eventuale + iniziale');
const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

const resourceFields = {
  type: z.enum(NETWORK_RESOURCE_TYPES).describe('Tipo di risorsa'),
  name: requiredText(200).describe('Nome'),
  comuneCode: istatCode.nullable().default(null).describe('Comune (codice ISTAT); null se sovracomunale'),
  ambitoId: slug.describe('Ambito territoriale'),
  address: requiredText(300).nullable().default(null).describe('Indirizzo (mai quello di una struttura protetta)'),
  confidential: z.boolean().default(false).describe('Indirizzo riservato: non si registra nella rete'),
  capacity: z.number().int('numero intero').min(0, 'non può essere negativa').max(100_000).nullable().default(null).describe('Capacità'),
  capacityUnit: z.enum(CAPACITY_UNITS).nullable().default(null).describe('Unità della capacità'),
  contacts: z
    .object({
      phone: phone.describe('Telefono'),
      email: z.email('indirizzo e-mail non valido').max(200).optional().describe('E-mail'),
      hours: text({ max: 300 }).optional().describe('Orari di accesso'),
    })
    .strict(),
  notes: text({ max: 2000 }).nullable().default(null).describe('Note'),
};

type ResourceFields = z.infer<z.ZodObject<typeof resourceFields>>;

/**
 * Rules across fields. Protected placements stay out of the directory: a women's shelter or any
 * resource flagged confidential never carries an address here (it goes, per case, to the
 * protected-placement table only the coordinator reads).
 */
function crossFieldRules(r: ResourceFields, ctx: z.RefinementCtx): void {
  if ((r.confidential || r.type === 'women_shelter') && r.address !== null) {
    ctx.addIssue({ code: 'custom', path: ['address'], message: 'l’indirizzo di una struttura protetta non si registra nella rete' });
  }
  if ((r.capacity === null) !== (r.capacityUnit === null)) {
    ctx.addIssue({ code: 'custom', path: ['capacityUnit'], message: 'capacità e unità vanno indicate insieme' });
  }
}

export const resourceCreateBody = z
  .object({ id: slug.describe('Identificativo (es. rhodense-dormitorio-rho)'), ...resourceFields })
  .strict()
  .superRefine(crossFieldRules);

export const resourceUpdateBody = z.object(resourceFields).strict().superRefine(crossFieldRules);

export const availabilityBody = z
  .object({
    available: z.number().int('numero intero').min(0, 'non può essere negativo').describe('Posti liberi ora'),
    note: text({ max: 500 }).optional().describe('Nota (es. "2 posti riservati fino alle 22")'),
  })
  .strict();

export const resourceListQuery = z
  .object({
    type: z.enum(NETWORK_RESOURCE_TYPES).optional(),
    comune: istatCode.optional().describe('Solo le risorse di questo Comune'),
    availableOnly: booleanFlag.optional().describe('Solo le risorse con posti liberi (o senza capacità contata)'),
  })
  .strict();

export const releaseBody = z.object({ taskId: z.string().regex(/^[0-9a-f-]{36}-t\d{1,6}$/, 'id di attività').describe('Attività di intervento') }).strict();

export type ResourceCreate = z.output<typeof resourceCreateBody>;
export type ResourceUpdate = z.output<typeof resourceUpdateBody>;
