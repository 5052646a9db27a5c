// Queues N no-op jobs for the BullMQ anchor of `./videoakka bench orchestration`, before its worker starts, the way
// the bench pre-queues VideoAkka's jobs. Usage: node producer.mjs PORT N  (BENCH_JOB: the job's data, JSON)
import { Queue } from 'bullmq';

const [port, count] = process.argv.slice(2).map(Number);
const data = JSON.parse(process.env.BENCH_JOB ?? '{}');
const queue = new Queue('bench', { connection: { host: '127.0.0.1', port } });
for (let i = 0; i < count; i += 1000) {
  const batch = Math.min(1000, count - i);
  await queue.addBulk(Array.from({ length: batch }, () => ({ name: 'noop', data })));
}
await queue.close();
console.log(`queued ${count}`);
