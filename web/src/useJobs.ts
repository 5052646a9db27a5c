import { useCallback, useEffect, useState } from 'react';
import { Api, ApiError } from './api';
import { followEvents } from './events';
import type { JobNotice, JobSummary, JobUpdate } from './types';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface JobsState {
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  jobs: JobSummary[];
  notices: Record<string, JobNotice>;
  live: LiveState;
}

/** The job list: loaded once, then kept current by the event stream (one owner of the jobs' state: this hook). */
export function useJobs(api: Api, onUnauthorized: () => void) {
  const [state, setState] = useState<JobsState>({ phase: 'loading', error: null, jobs: [], notices: {}, live: 'connecting' });

  const load = useCallback(async () => {
    setState((s) => ({ ...s, phase: 'loading', error: null }));
    try {
      const page = await api.jobs();
      setState((s) => ({ ...s, phase: 'ready', jobs: mergeLists(s.jobs, page.jobs) }));
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthorized) {
        onUnauthorized();
        return;
      }
      setState((s) => ({ ...s, phase: 'error', error: (error as Error).message }));
    }
  }, [api, onUnauthorized]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const stop = new AbortController();
    void followEvents(
      api.headers(),
      {
        onUpdate: (update) => setState((s) => ({ ...s, jobs: applyUpdate(s.jobs, update) })),
        onNotice: (notice) => setState((s) => ({ ...s, notices: { ...s.notices, [notice.job_id]: notice } })),
        onState: (live) => {
          setState((s) => ({ ...s, live }));
          if (live === 'unauthorized') onUnauthorized();
        },
      },
      stop.signal,
    );
    return () => stop.abort();
  }, [api, onUnauthorized]);

  /** A job this page just submitted or changed: shown at once, before its first event arrives. */
  const upsert = useCallback((job: Partial<JobSummary> & { job_id: string }) => {
    setState((s) => {
      const existing = s.jobs.find((j) => j.job_id === job.job_id);
      const merged: JobSummary = existing
        ? { ...existing, ...job }
        : { run_id: job.job_id, status: 'queued', stage: 'queued', progress: 0, error: null, created_at: new Date().toISOString(), ...job };
      return { ...s, jobs: existing ? s.jobs.map((j) => (j.job_id === job.job_id ? merged : j)) : [merged, ...s.jobs] };
    });
  }, []);

  return { state, reload: load, upsert };
}

function applyUpdate(jobs: JobSummary[], update: JobUpdate): JobSummary[] {
  const index = jobs.findIndex((j) => j.job_id === update.job_id);
  const fields = { run_id: update.run_id, status: update.status, stage: update.stage, progress: update.progress, error: update.error };
  if (index < 0) {
    return [{ job_id: update.job_id, created_at: new Date().toISOString(), ...fields }, ...jobs];
  }
  const next = jobs.slice();
  const job = jobs[index]!;
  // A retried job starts again from 0; otherwise progress never goes backwards (a late event of a stale writer).
  const restarted = update.status === 'queued' || job.status !== update.status;
  next[index] = { ...job, ...fields, progress: restarted ? update.progress : Math.max(job.progress, update.progress) };
  return next;
}

function mergeLists(current: JobSummary[], loaded: JobSummary[]): JobSummary[] {
  const known = new Map(loaded.map((j) => [j.job_id, j]));
  const extra = current.filter((j) => !known.has(j.job_id));
  return [...extra, ...loaded];
}
