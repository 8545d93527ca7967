/**
 * Plain-JSON shapes of a Comune's social-service office calendar. They travel through workflow
 * payloads and PostgreSQL rows unchanged, so no classes, Maps or Dates here.
 */

/** ISO weekday as an object key: '1' = Monday … '7' = Sunday (JSON keys are strings). */
export type IsoWeekdayKey = '1' | '2' | '3' | '4' | '5' | '6' | '7';

/** Wall-clock time 'HH:MM' (24 h). `close` may be '24:00' to mean the following midnight. */
export type WallTime = string;

/** Calendar date 'YYYY-MM-DD' in the office's time zone. */
export type IsoDate = string;

export interface OpeningSlot {
  open: WallTime;
  close: WallTime;
}

export interface PatronDay {
  month: number;
  day: number;
  name: string;
  /** false when the date could not be confirmed from a reliable source. */
  verified?: boolean;
}

/** Closed all day on `date`, or from `date` to `until` (both included). */
export interface ExtraClosure {
  date: IsoDate;
  until?: IsoDate;
  reason: string;
}

/** A one-off opening that replaces the usual hours of that date (even a holiday). */
export interface ExtraOpening {
  date: IsoDate;
  slots: OpeningSlot[];
  reason: string;
}

export interface OfficeCalendar {
  /** ISTAT code of the Comune, e.g. '015182' for Rho. */
  comuneCode: string;
  /** IANA time zone; Italian offices use 'Europe/Rome'. */
  timeZone: string;
  /** Usual hours; a missing or empty weekday means closed all day. */
  weeklyHours: Partial<Record<IsoWeekdayKey, OpeningSlot[]>>;
  patronDays: PatronDay[];
  extraClosures: ExtraClosure[];
  extraOpenings?: ExtraOpening[];
}

/** An instant as epoch milliseconds or an ISO-8601 string with an offset (e.g. '…Z'). */
export type InstantInput = number | string;

export interface PublicHoliday {
  date: IsoDate;
  name: string;
}
