#!/usr/bin/env node
import { INTERRUPT_EXIT } from './interrupt-signals.js';
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// An interrupted run has marked its report; the stage it abandoned must not keep the process alive.
if ((Object.values(INTERRUPT_EXIT) as number[]).includes(code)) process.exit(code);
process.exitCode = code;
