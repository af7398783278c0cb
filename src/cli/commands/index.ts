import type { Command } from 'commander';
import { register as backtest } from './backtest.js';
import { register as exportSite } from './export.js';
import { register as fetch } from './fetch.js';
import { register as history } from './history.js';
import { register as incentive } from './incentive.js';
import { register as ingest } from './ingest.js';
import { register as interfaceLog } from './interface.js';
import { register as league } from './league.js';
import { register as orgs } from './orgs.js';
import { register as report } from './report.js';
import { register as series } from './series.js';
import { register as serve } from './serve.js';
import { register as spc } from './spc.js';
import { register as start } from './start.js';
import { register as status } from './status.js';
import { register as targets } from './targets.js';

/** The explicit list of CLI commands; each module adds one command to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [start, ingest, fetch, orgs, series, history, league, status, targets, backtest, incentive, report, exportSite, spc, serve, interfaceLog];
