// Levels live in src/dimensions.ts with periods and directions; this path stays for existing imports.
export { AGGREGATE_LEVELS, ENGLAND, LEVELS, REGION_CODES, isLevel, levelOfCode, regionName, type Level } from '../dimensions.js';
