/**
 * The interface areas of the 2024/25 planning guidance, where "complete care" is split in two
 * because practices and ICBs track fit notes and letters separately. The ids are stored in the
 * database and exported in CSV, so they never change; labels are what people read.
 */
export const AREAS = [
  { id: 'onward_referral', label: 'Onward referral' },
  { id: 'fit_note', label: 'Complete care — fit note' },
  { id: 'discharge_letter', label: 'Complete care — discharge letter or clinic letter' },
  { id: 'call_recall', label: 'Call and recall' },
  { id: 'points_of_contact', label: 'Clear points of contact' },
] as const;

export type AreaId = (typeof AREAS)[number]['id'];

export const AREA_IDS = AREAS.map((area) => area.id) as [AreaId, ...AreaId[]];

export function areaLabel(id: AreaId): string {
  return AREAS.find((area) => area.id === id)?.label ?? id;
}
