#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs';
import { main } from './main.js';

// tfjs's console warnings (e.g. the cpu backend's "Hi, looks like you are running TensorFlow.js in
// Node.js" banner) speak to tfjs developers, not to this command's users; prod mode is tfjs's switch for them.
tf.enableProdMode();
process.exitCode = await main(process.argv.slice(2));
