export type OfficeCalendarErrorCode =
  | 'INVALID_CALENDAR'
  | 'INVALID_INSTANT'
  | 'INVALID_YEAR'
  | 'NO_OPENING_WITHIN_HORIZON';

/** Raised by the pure calendar functions; `code` is stable, the message is for developers. */
export class OfficeCalendarError extends Error {
  constructor(
    readonly code: OfficeCalendarErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OfficeCalendarError';
  }
}
