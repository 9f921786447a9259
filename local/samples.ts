// The sample Flink events in local/samples/, one JSON file per event, sent in file-name order.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCatalogEvent, isDatasetMetadataEvent, type NativeEvent } from '../lib/contract/index.js';

export const SAMPLES_DIR = fileURLToPath(new URL('./samples/', import.meta.url));

export interface Sample {
  file: string;
  event: NativeEvent;
}

/** The files are parsed, not validated: checking them is the bridge's job when they are posted. */
export const loadSamples = (dir = SAMPLES_DIR): Sample[] =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, event: JSON.parse(readFileSync(join(dir, file), 'utf8')) as NativeEvent }));

export interface SampleJob {
  cluster: string;
  name: string;
  /** Flink JobIDs of the job's runs, in the order the samples name them. */
  runIds: string[];
}

/** The jobs the samples talk about, in first-mention order (catalog and dataset events name no job). */
export const jobsIn = (samples: readonly Sample[]): SampleJob[] => {
  const jobs = new Map<string, SampleJob>();
  for (const { event } of samples) {
    if (isCatalogEvent(event) || isDatasetMetadataEvent(event)) continue;
    const key = `${event.cluster}/${event.job.name}`;
    const job = jobs.get(key) ?? { cluster: event.cluster, name: event.job.name, runIds: [] };
    jobs.set(key, job);
    const id = event.job.id;
    if (id !== undefined && !job.runIds.includes(id)) job.runIds.push(id);
  }
  return [...jobs.values()];
};

/**
 * What `npm start` makes of a sample's answer: 200 is in Atlas, 202 is durably queued because Atlas failed the
 * write (the retry worker will write it: the retry path working, not a failure), anything else is a broken stack.
 */
export const sampleOutcome = (status: number): 'written' | 'queued' | 'refused' =>
  status === 200 ? 'written' : status === 202 ? 'queued' : 'refused';
