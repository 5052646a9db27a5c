// The BullMQ anchor's worker: its own Node process, concurrency 50, a processor that does nothing. Prints one JSON
// line once N jobs are completed: the time from the first job it started to the last it completed, as VideoAkka's
// figure is read from its records (started_at of the first, finished_at of the last).
// Usage: node worker.mjs PORT N
import { Worker } from 'bullmq';
import { performance } from 'node:perf_hooks';

const [port, count] = process.argv.slice(2).map(Number);
let first = 0;
let last = 0;
let completed = 0;
let failed = 0;
const worker = new Worker('bench', async () => {
  if (first === 0) first = performance.now();
}, { connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null }, concurrency: 50, autorun: false });

const settle = async () => {
  if (completed + failed < count) return;
  console.log(JSON.stringify({ completed, failed, seconds: (last - first) / 1000 }));
  await worker.close();
  process.exit(0);
};
worker.on('completed', () => { completed++; last = performance.now(); settle(); });
worker.on('failed', () => { failed++; last = performance.now(); settle(); });
worker.on('error', error => console.error(`worker error: ${error.message}`));
console.log('ready');
worker.run();
