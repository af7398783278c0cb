import { describe, expect, it } from 'vitest';
import { classifyTrusts, type TrustFacts } from '../../src/analysis/peer-groups.js';

const trust = (org: string, facts: Partial<TrustFacts>): TrustFacts => ({
  org, type1Attendances: null, type2Attendances: null, generalAcuteBeds: null, maternityBeds: null, mentalHealthBeds: null, isAmbulance: false, reportsCancer: false, ...facts,
});

describe('classifyTrusts(facts, hasBeds)', () => {
  it('puts a trust with type 1 attendances among type 1 and acute trusts', () => {
    expect(classifyTrusts([trust('RAA', { type1Attendances: 9000, generalAcuteBeds: 800 })], true).get('RAA')).toEqual(['type1', 'acute']);
  });

  it('keeps a trust with minor injury units only (no type 1) out of the type 1 group', () => {
    const groups = classifyTrusts([trust('RBB', { type1Attendances: 0, generalAcuteBeds: 0 })], true);
    expect(groups.get('RBB')).toEqual(['community']);
  });

  it('calls a trust of mostly mental illness and learning disability beds a mental health trust', () => {
    expect(classifyTrusts([trust('RCC', { generalAcuteBeds: 40, mentalHealthBeds: 300 })], true).get('RCC')).toEqual(['mental_health']);
  });

  it('leaves a community trust with a few learning disability beds among community trusts', () => {
    expect(classifyTrusts([trust('RDD', { generalAcuteBeds: 0, mentalHealthBeds: 38 })], true).get('RDD')).toEqual(['community']);
  });

  it('calls a type 2 department, or cancer figures with 50+ acute beds, specialist (and acute)', () => {
    const groups = classifyTrusts([
      trust('REE', { type1Attendances: 0, type2Attendances: 6000, generalAcuteBeds: 10 }),
      trust('RFF', { reportsCancer: true, generalAcuteBeds: 180 }),
      trust('RGG', { reportsCancer: true, generalAcuteBeds: 20 }),
    ], true);
    expect(groups.get('REE')).toEqual(['specialist', 'acute']);
    expect(groups.get('RFF')).toEqual(['specialist', 'acute']);
    expect(groups.get('RGG')).toEqual(['community']);
  });

  it('lets an ambulance trust with an emergency department be in both groups', () => {
    expect(classifyTrusts([trust('R1F', { isAmbulance: true, type1Attendances: 5000 })], true).get('R1F')).toEqual(['ambulance', 'type1', 'acute']);
  });

  it('places no trust by beds when there is no beds return', () => {
    const groups = classifyTrusts([trust('RAA', { type1Attendances: 9000 }), trust('RCC', { mentalHealthBeds: 300 })], false);
    expect(groups.get('RAA')).toEqual(['type1', 'acute']);
    expect(groups.get('RCC')).toEqual([]);
  });
});
