import { emergencyNumbers, reportingForces, resourceTypes, targetCategories } from './codes';
import { AMBITO_BOLLATESE, COMUNI_BOLLATESE } from './bollatese';
import { AMBITO_RHODENSE, COMUNI_RHODENSE, RESOURCES_RHODENSE } from './rhodense';
import { referenceDataSchema, type ReferenceData } from './schemas';

export * from './schemas';
export { AMBITO_RHODENSE, COMUNI_RHODENSE, RESOURCES_RHODENSE } from './rhodense';
export { AMBITO_BOLLATESE, COMUNI_BOLLATESE } from './bollatese';
export { emergencyNumbers, reportingForces, resourceTypes, targetCategories } from './codes';

/** Everything the seed script loads, as plain data. */
export const referenceData: ReferenceData = {
  ambiti: [AMBITO_RHODENSE, AMBITO_BOLLATESE],
  comuni: [...COMUNI_RHODENSE, ...COMUNI_BOLLATESE],
  resourceTypes,
  resources: RESOURCES_RHODENSE,
  reportingForces,
  targetCategories,
  emergencyNumbers,
};

/** The seed data validated against the schemas; throws a ZodError listing every problem. */
export function loadReferenceData(): ReferenceData {
  return referenceDataSchema.parse(referenceData);
}
