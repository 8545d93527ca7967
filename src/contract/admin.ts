/**
 * Answers of the administration API for territory and protocol (Ambiti, Comuni, office
 * calendars, protocol settings), shared by the routes (`satisfies Sent<T>`) and the console.
 */
import type { ExtraClosure, ExtraOpening, IsoWeekdayKey, OpeningSlot, PatronDay } from '../calendar/types';

export interface AdminComune {
  code: string;
  name: string;
  province: string;
  ambitoId: string | null;
  updatedAt: string;
}

export interface AdminAmbito {
  id: string;
  name: string;
  comuni: AdminComune[];
  createdAt: string;
  updatedAt: string;
}

export interface OfficeCalendarBody {
  weeklyHours: Partial<Record<IsoWeekdayKey, OpeningSlot[]>>;
  patronDays: PatronDay[];
  extraClosures: ExtraClosure[];
  extraOpenings: ExtraOpening[];
}

export interface OpeningPreviewItem {
  opensAt: string;
  closesAt: string;
  label: string;
}

export interface ComuneCalendarAnswer {
  comune: AdminComune;
  timeZone: string;
  calendar: OfficeCalendarBody;
  openings: OpeningPreviewItem[];
  /** Cases waiting for this office that will be told to recompute their handover (PUT/POST only). */
  casesToRecompute?: number;
}

export interface OpeningsAnswer {
  comuneCode: string;
  openings: OpeningPreviewItem[];
}

export interface ProtocolSettingDescription {
  key: string;
  label: string;
  default: number;
  min: number;
  max: number;
}

export interface ProtocolSettingsVersionItem {
  effectiveFrom: string;
  values: Record<string, number>;
  changedBy: string;
  createdAt: string;
}

export interface ProtocolSettingsAnswer {
  ambitoId: string;
  /** Settings in force now (defaults overlaid with the version in force). */
  effective: Record<string, number>;
  settings: ProtocolSettingDescription[];
  versions: ProtocolSettingsVersionItem[];
}
