import { PlanwatchError } from '../errors.js';
import { ae } from './ae/index.js';
import { ambulance } from './ambulance/index.js';
import { beds } from './beds/index.js';
import { bedsSitrep } from './beds-sitrep/index.js';
import { cwt, cwtCommissioner } from './cancer/index.js';
import { dm01 } from './diagnostics/index.js';
import { discharge, dischargeDelays } from './discharge/index.js';
import { ods } from './ods/index.js';
import { rtt } from './rtt/index.js';
import type { FileHead, SourcePlugin } from './contract.js';

/** The explicit list of source plugins. A new collection is one line here. */
export const plugins: readonly SourcePlugin[] = [ae, ods, ambulance, cwt, cwtCommissioner, dm01, beds, rtt, discharge, dischargeDelays, bedsSitrep];

export function pluginById(id: string): SourcePlugin | undefined {
  return plugins.find((plugin) => plugin.id === id);
}

export interface Claim {
  plugin: SourcePlugin;
  layout: string;
}

/** The single plugin that recognises a file from its content; none or two is an error. */
export function claim(head: FileHead): Claim {
  const claims = plugins.flatMap((plugin) => {
    const detected = plugin.detect(head);
    return detected ? [{ plugin, layout: detected.layout }] : [];
  });
  if (claims.length === 1) return claims[0]!;
  if (claims.length === 0) {
    throw new PlanwatchError(
      'E_UNKNOWN_COLLECTION',
      `${head.name}: not a file of any collection Planwatch reads (${plugins.map((plugin) => plugin.title).join('; ')}). Nothing was stored.`,
      { file: head.name, line: 1 },
    );
  }
  throw new Error(`Bug: ${head.name} is claimed by ${claims.map((c) => c.plugin.id).join(' and ')}; each file must have one owner.`);
}
