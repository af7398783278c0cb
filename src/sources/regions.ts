/**
 * NHS England's seven regions since April 2019, by ODS code. Collections name the region in
 * different ways (A&E's "Parent Org" is a name, KH03 a code), so sources map to these codes.
 */
export const REGIONS: Readonly<Record<string, string>> = {
  Y56: 'London',
  Y58: 'South West',
  Y59: 'South East',
  Y60: 'Midlands',
  Y61: 'East of England',
  Y62: 'North West',
  Y63: 'North East and Yorkshire',
};

const BARE: Readonly<Record<string, string>> = {
  'LONDON': 'Y56',
  'SOUTH WEST': 'Y58',
  'SOUTH EAST': 'Y59',
  'MIDLANDS': 'Y60',
  'EAST OF ENGLAND': 'Y61',
  'NORTH WEST': 'Y62',
  'NORTH EAST AND YORKSHIRE': 'Y63',
};

// March 2019 A&E files still use the four pre-April-2019 regions ("NHS ENGLAND NORTH (GREATER
// MANCHESTER)", "NHS ENGLAND MIDLANDS AND EAST (EAST)"). The seven regions were formed from
// exactly these sub-regions (April 2019 files name them as "NHS ENGLAND NORTH WEST (GREATER
// MANCHESTER)"), so the sub-region places each organisation in its successor region.
const OLD_SUBREGIONS: Readonly<Record<string, string>> = {
  'NORTH (CHESHIRE AND MERSEYSIDE)': 'Y62',
  'NORTH (GREATER MANCHESTER)': 'Y62',
  'NORTH (LANCASHIRE AND SOUTH CUMBRIA)': 'Y62',
  'NORTH (CUMBRIA AND NORTH EAST)': 'Y63',
  'NORTH (YORKSHIRE AND HUMBER)': 'Y63',
  'MIDLANDS AND EAST (EAST)': 'Y61',
  'MIDLANDS AND EAST (CENTRAL MIDLANDS)': 'Y60',
  'MIDLANDS AND EAST (NORTH MIDLANDS)': 'Y60',
  'MIDLANDS AND EAST (WEST MIDLANDS)': 'Y60',
};

/**
 * The region code for a published region name such as "NHS ENGLAND SOUTH WEST ",
 * "NHS ENGLAND SOUTH EAST (KENT, SURREY AND SUSSEX)" or "London Commissioning Region";
 * undefined when the name is not a region.
 */
export function regionCodeFromName(published: string): string | undefined {
  const name = published.trim().toUpperCase().replace(/\s+/g, ' ');
  const withoutPrefix = name.replace(/^NHS ENGLAND /, '').replace(/ COMMISSIONING REGION$/, '');
  const old = OLD_SUBREGIONS[withoutPrefix];
  if (old) return old;
  const bare = withoutPrefix.replace(/ \(.*\)$/, '');
  return BARE[bare];
}
