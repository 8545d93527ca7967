import { storableInstant } from '../../instants';
import { text as freeText } from '../../text';

/** Field builders shared by the step forms. */

export const isoInstant = storableInstant();
// Every free-text field goes through the shared text rule (no control characters, NFC, bounded).
export const text = (max: number) => freeText({ max });
export { requiredText } from '../../text';

/** Channels a notice or handover is sent through (several forms). */
export const CHANNEL_LABELS = { pec: 'PEC', email: 'E-mail', fax: 'Fax', phone: 'Telefono' } as const;
