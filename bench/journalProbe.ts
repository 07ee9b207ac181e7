/**
 * One export or import in a process of its own, for the journal bench: prints its time and the
 * peak heap and RSS it reached (sampled every 20 ms), so that the bench compares processes that
 * held nothing else. `tsx bench/journalProbe.ts export|import <endpoint> <database> <table> <file>`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { clientFor, exportJournal, importJournal } from '@coffee-es/local';

const [mode, endpoint, database, table, file] = process.argv.slice(2);
if (!endpoint || !database || !table || !file || (mode !== 'export' && mode !== 'import')) {
  console.error('usage: journalProbe.ts export|import <endpoint> <database> <table> <file>');
  process.exit(2);
}
let peakHeap = 0;
let peakRss = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
};
const sampler = setInterval(sample, 20);
const client = clientFor(endpoint, database);
const started = Date.now();
let items = 0;
if (mode === 'export') {
  const out = createWriteStream(file);
  items = (await exportJournal({ client, table, out })).items;
  out.end();
  await finished(out);
} else {
  items = (await importJournal({ client, table, input: createReadStream(file) })).items;
}
sample();
clearInterval(sampler);
client.destroy();
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
console.log(
  JSON.stringify({
    mode,
    items,
    ms: Date.now() - started,
    peakHeapMb: mb(peakHeap),
    peakRssMb: mb(peakRss),
  }),
);
