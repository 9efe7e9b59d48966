#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs';
import { INTERRUPT_EXIT } from './interrupt-signals.js';
import { main } from './main.js';

// tfjs's console warnings (e.g. the cpu backend's "Hi, looks like you are running TensorFlow.js in
// Node.js" banner) speak to tfjs developers, not to this command's users; prod mode is tfjs's switch for them.
tf.enableProdMode();
const code = await main(process.argv.slice(2));
// An interrupted run has marked its report; the stage it abandoned must not keep the process alive.
if ((Object.values(INTERRUPT_EXIT) as number[]).includes(code)) process.exit(code);
process.exitCode = code;
