/** The worker thread of parse-off-thread: parses the document it is given and posts the reply. */
import { parentPort, workerData } from 'node:worker_threads';
import { replyFor } from './parse-off-thread.js';
import type { ParseTextRequest } from './parse-text.js';

parentPort?.postMessage(replyFor(workerData as ParseTextRequest));
