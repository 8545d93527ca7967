import { z } from 'zod';
import { NETWORK_RESOURCE_TYPES } from '../workflows/steps/intervention';
import { assertValidCalendar, OfficeCalendarError } from '../calendar';

/**
 * Shapes of the reference data the seed script loads into PostgreSQL. Everything is plain JSON so
 * that an administrator can edit rows in the database without a code change; these schemas are
 * the contract both the seed script and the API validate against.
 */

const wallTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 00:00–24:00');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const istatCode = z.string().regex(/^\d{6}$/, 'ISTAT code: 6 digits');
const slug = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'lower-case slug');

export const openingSlotSchema = z.object({ open: wallTime, close: wallTime });
const slots = z.array(openingSlotSchema);

export const officeCalendarSchema = z
  .object({
    comuneCode: istatCode,
    timeZone: z.string().min(1),
    weeklyHours: z
      .object({
        '1': slots.optional(),
        '2': slots.optional(),
        '3': slots.optional(),
        '4': slots.optional(),
        '5': slots.optional(),
        '6': slots.optional(),
        '7': slots.optional(),
      })
      .strict(),
    patronDays: z.array(
      z.object({
        month: z.number().int().min(1).max(12),
        day: z.number().int().min(1).max(31),
        name: z.string().min(1),
        verified: z.boolean().optional(),
      }),
    ),
    extraClosures: z.array(z.object({ date: isoDate, until: isoDate.optional(), reason: z.string().min(1) })),
    extraOpenings: z.array(z.object({ date: isoDate, slots, reason: z.string().min(1) })).optional(),
  })
  .superRefine((calendar, ctx) => {
    // One source of truth for the semantic rules (close after open, real dates, known zone).
    try {
      assertValidCalendar(calendar);
    } catch (error) {
      if (!(error instanceof OfficeCalendarError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

export const patronSaintSchema = z.object({
  name: z.string().min(1),
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  /** false when sources disagree or none was found: check with the Comune before relying on it. */
  verified: z.boolean(),
  note: z.string().optional(),
});

export const comuneSchema = z.object({
  istatCode,
  name: z.string().min(1),
  province: z.string().regex(/^[A-Z]{2}$/),
  ambitoId: slug,
  patron: patronSaintSchema.nullable(),
  socialServices: z.object({
    officeName: z.string().min(1),
    phone: z.string().min(1),
    email: z.email(),
    /** true: hours and contacts are plausible demo values, not the Comune's real ones. */
    demo: z.boolean(),
  }),
  calendar: officeCalendarSchema,
  /** What could not be verified, for whoever maintains the data. */
  notes: z.string().optional(),
});

export const ambitoSchema = z.object({
  id: slug,
  name: z.string().min(1),
  region: z.string().min(1),
});

export const resourceTypeCodes = NETWORK_RESOURCE_TYPES;
export const resourceTypeSchema = z.enum(resourceTypeCodes);

export const networkResourceSchema = z
  .object({
    id: slug,
    ambitoId: slug,
    type: resourceTypeSchema,
    name: z.string().min(1),
    comuneIstatCode: istatCode.nullable(),
    capacity: z.object({ total: z.number().int().nonnegative(), unit: z.enum(['posti', 'nuclei', 'pasti_giorno', 'mezzi']) }).nullable(),
    availability: z.string().min(1),
    contacts: z.object({ phone: z.string().min(1), email: z.email().optional(), notes: z.string().optional() }),
    /** Protected placements: the address is never stored here, only shown to authorised roles. */
    confidentialAddress: z.boolean(),
    address: z.string().min(1).nullable(),
    demo: z.boolean(),
  })
  .refine((r) => !(r.confidentialAddress && r.address !== null), {
    message: 'a resource with a confidential address must not carry the address',
    path: ['address'],
  });

export const codedLabelSchema = z.object({ code: slug, label: z.string().min(1) });

export const emergencyNumberSchema = z.object({
  number: z.string().regex(/^\d{3,4}$/),
  label: z.string().min(1),
  note: z.string().optional(),
});

export const referenceDataSchema = z
  .object({
    ambiti: z.array(ambitoSchema).min(1),
    comuni: z.array(comuneSchema).min(1),
    resourceTypes: z.array(z.object({ code: resourceTypeSchema, label: z.string().min(1) })),
    resources: z.array(networkResourceSchema),
    reportingForces: z.array(codedLabelSchema).min(1),
    targetCategories: z.array(codedLabelSchema).min(1),
    emergencyNumbers: z.array(emergencyNumberSchema),
  })
  .superRefine((data, ctx) => {
    const duplicates = (values: string[]): string[] => values.filter((v, i) => values.indexOf(v) !== i);
    const checkUnique = (values: string[], what: string): void => {
      for (const value of duplicates(values)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} '${value}'` });
    };
    checkUnique(data.ambiti.map((a) => a.id), 'ambito id');
    checkUnique(data.comuni.map((c) => c.istatCode), 'ISTAT code');
    checkUnique(data.comuni.map((c) => c.name), 'Comune name');
    checkUnique(data.resources.map((r) => r.id), 'resource id');
    checkUnique(data.reportingForces.map((f) => f.code), 'reporting force code');
    checkUnique(data.targetCategories.map((c) => c.code), 'target category code');
    checkUnique(data.resourceTypes.map((t) => t.code), 'resource type code');

    const ambitoIds = data.ambiti.map((a) => a.id);
    const istatCodes = data.comuni.map((c) => c.istatCode);
    for (const comune of data.comuni) {
      if (!ambitoIds.includes(comune.ambitoId)) {
        ctx.addIssue({ code: 'custom', message: `Comune ${comune.name}: unknown ambito '${comune.ambitoId}'` });
      }
      if (comune.calendar.comuneCode !== comune.istatCode) {
        ctx.addIssue({ code: 'custom', message: `Comune ${comune.name}: calendar.comuneCode must equal the ISTAT code` });
      }
    }
    for (const resource of data.resources) {
      if (!ambitoIds.includes(resource.ambitoId)) {
        ctx.addIssue({ code: 'custom', message: `resource ${resource.id}: unknown ambito '${resource.ambitoId}'` });
      }
      if (resource.comuneIstatCode !== null && !istatCodes.includes(resource.comuneIstatCode)) {
        ctx.addIssue({ code: 'custom', message: `resource ${resource.id}: unknown Comune '${resource.comuneIstatCode}'` });
      }
    }
  });

export type OpeningSlotData = z.infer<typeof openingSlotSchema>;
export type OfficeCalendarData = z.infer<typeof officeCalendarSchema>;
export type PatronSaint = z.infer<typeof patronSaintSchema>;
export type Comune = z.infer<typeof comuneSchema>;
export type Ambito = z.infer<typeof ambitoSchema>;
export type ResourceType = z.infer<typeof resourceTypeSchema>;
export type NetworkResource = z.infer<typeof networkResourceSchema>;
export type CodedLabel = z.infer<typeof codedLabelSchema>;
export type EmergencyNumber = z.infer<typeof emergencyNumberSchema>;
export type ReferenceData = z.infer<typeof referenceDataSchema>;
