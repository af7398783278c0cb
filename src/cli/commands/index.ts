import type { Command } from 'commander';
import { registerSpc } from './spc.js';

/** The explicit list of CLI commands; each module adds one command to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerSpc];
