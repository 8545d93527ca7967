import { z } from 'zod';
import { isoInstant } from '../instants';
import { requiredText, text } from '../text';
import { REPORTING_FORCES, TARGET_CATEGORIES } from '../domain';

/** The police report as entered by the intake operator (validated by the API and the service). */

/** Shared with the console's intake page (web/src/pages/Intake.tsx). */
export const ISTAT_CODE_PATTERN = /^\d{6}$/;
export const PHONE_PATTERN = /^\+?[0-9 ()./-]{6,20}$/;
const istatCode = z.string().regex(ISTAT_CODE_PATTERN, 'codice ISTAT di 6 cifre');
const phone = z.string().trim().regex(PHONE_PATTERN, 'numero di telefono non valido');

export const IMMEDIATE_DANGERS = [
  'violence_ongoing',
  'weapons',
  'health_emergency',
  'cold_exposure',
  'minor_alone',
  'self_harm',
  'none',
] as const;

export type ImmediateDanger = (typeof IMMEDIATE_DANGERS)[number];
export const PERSON_ROLES = ['subject', 'child', 'companion', 'other'] as const;
export const GENDERS = ['f', 'm', 'x'] as const;

export const personSchema = z.object({
  role: z.enum(PERSON_ROLES).describe('Ruolo nel caso'),
  firstName: text({ max: 100 }).optional().describe('Nome'),
  lastName: text({ max: 100 }).optional().describe('Cognome'),
  birthYear: z.number().int().min(1900).max(2100).optional().describe('Anno di nascita'),
  isMinor: z.boolean().default(false).describe('Minore'),
  gender: z.enum(GENDERS).optional().describe('Genere'),
  nationality: text({ max: 100 }).optional().describe('Nazionalità'),
  notes: text({ max: 1000 }).optional().describe('Note'),
});

export const intakeSchema = z
  .object({
    reportingForce: z.enum(REPORTING_FORCES).describe('Forza dell’ordine che segnala'),
    officerName: requiredText(200).describe('Operatore di polizia'),
    callbackNumber: phone.describe('Numero di richiamata'),
    reportNumber: requiredText(100).describe('Numero della segnalazione'),
    reportedAt: isoInstant().describe('Ora della segnalazione'),
    eventComuneCode: istatCode.describe('Comune dell’evento'),
    eventAddress: requiredText(300).describe('Indirizzo dell’evento'),
    residenceComuneCode: istatCode.optional().describe('Comune di residenza, se noto'),
    categories: z.array(z.enum(TARGET_CATEGORIES)).min(1, 'indicare almeno una categoria').max(6).describe('Categorie'),
    people: z.array(personSchema).min(1, 'indicare almeno una persona').max(20).describe('Persone coinvolte'),
    immediateDangers: z.array(z.enum(IMMEDIATE_DANGERS)).max(7).default([]).describe('Pericoli immediati'),
    narrative: requiredText(4000).describe('Descrizione sintetica'),
  })
  .strict();

export type IntakeInput = z.input<typeof intakeSchema>;
export type IntakeData = z.output<typeof intakeSchema>;
