/** Dates as Italian operators read them: Europe/Rome, 24 h. */

const TZ = 'Europe/Rome';
const dateTime = new Intl.DateTimeFormat('it-IT', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const weekdayTime = new Intl.DateTimeFormat('it-IT', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dateTime.format(new Date(iso));
}

export function formatLongDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return weekdayTime.format(new Date(iso));
}

/** "3 h 5 min", "12 min", "meno di un minuto". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'meno di un minuto';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} g ${hours} h`;
  if (hours > 0) return `${hours} h ${mins} min`;
  return `${mins} min`;
}

export type Urgency = 'overdue' | 'soon' | 'ok' | 'none';

/** How urgent a due time is: past, within `soonMinutes`, later, or no due time. */
export function urgencyOf(dueAt: string | null | undefined, now: number, soonMinutes = 15): Urgency {
  if (!dueAt) return 'none';
  const left = Date.parse(dueAt) - now;
  if (left <= 0) return 'overdue';
  if (left <= soonMinutes * 60_000) return 'soon';
  return 'ok';
}

export function dueText(dueAt: string | null | undefined, now: number): string {
  if (!dueAt) return 'Nessuna scadenza';
  const left = Date.parse(dueAt) - now;
  return left <= 0 ? `Scaduta da ${formatDuration(left)}` : `Scade tra ${formatDuration(left)}`;
}

/** A `datetime-local` value (local time of the browser) for an instant. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value back to an ISO instant with offset, or undefined if empty/invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
