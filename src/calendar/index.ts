/**
 * Office calendar: pure functions over plain JSON, importable from workflow code (Intl and Date
 * arithmetic only; no Node modules, no clock, no I/O).
 */
export type {
  ExtraClosure,
  ExtraOpening,
  InstantInput,
  IsoDate,
  IsoWeekdayKey,
  OfficeCalendar,
  OpeningSlot,
  PatronDay,
  PublicHoliday,
  WallTime,
} from './types';
export { OfficeCalendarError, type OfficeCalendarErrorCode } from './errors';
export { NATIONAL_HOLIDAY_RULES, easterSunday, italianPublicHolidays, type NationalHolidayRule } from './holidays';
export {
  SEARCH_HORIZON_DAYS,
  assertValidCalendar,
  dayClosureReason,
  describeInstant,
  describeOpening,
  isOfficeOpen,
  nextClosing,
  nextOpening,
} from './office';
