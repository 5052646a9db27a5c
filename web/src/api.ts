import type { DeadLetterResponse, JobListResponse, JobRecord, Problem, VideoLink } from './types';

/** The API answered with an error: its problem body, and whether the key was the reason. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `The API answered ${status}`);
  }

  get isUnauthorized() {
    return this.status === 401;
  }
}

/** The service is not reachable at all (stopped, network gone). */
export class OfflineError extends Error {}

/** Talks to the API with the key (if any) in the X-API-Key header: never in a URL. */
export class Api {
  constructor(private readonly key: string | null) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.key ? { 'X-API-Key': this.key, ...extra } : extra;
  }

  async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers: this.headers((init.headers as Record<string, string>) ?? {}) });
    } catch {
      throw new OfflineError('The service cannot be reached. Is it running?');
    }
    if (!response.ok) {
      throw new ApiError(response.status, await readProblem(response));
    }
    return (await response.json()) as T;
  }

  jobs(limit = 30) {
    return this.request<JobListResponse>(`/orchestrate/jobs?limit=${limit}`);
  }

  status(jobId: string) {
    return this.request<JobRecord>(`/orchestrate/status/${encodeURIComponent(jobId)}`);
  }

  submit(body: unknown) {
    return this.request<{ job_id: string; status: string }>('/orchestrate/start', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  cancel(jobId: string) {
    return this.request<{ job_id: string; status: string }>(`/orchestrate/cancel/${encodeURIComponent(jobId)}`, { method: 'POST' });
  }

  retry(jobId: string) {
    return this.request<{ job_id: string; status: string }>(`/orchestrate/retry/${encodeURIComponent(jobId)}`, { method: 'POST' });
  }

  deadLetter(limit = 20) {
    return this.request<DeadLetterResponse>(`/orchestrate/dead-letter?limit=${limit}`);
  }

  /** A URL of the job's video that a <video> can load without the header (a short-lived token for this job). */
  videoLink(jobId: string) {
    return this.request<VideoLink>(`/orchestrate/video/${encodeURIComponent(jobId)}/link`, { method: 'POST' });
  }

  /** A scene's image as an object URL, or null while it is not made (404). */
  async thumbnail(jobId: string, scene: number): Promise<string | null> {
    const response = await fetch(`/orchestrate/jobs/${encodeURIComponent(jobId)}/scenes/${scene}/thumbnail`, { headers: this.headers() });
    if (response.status === 404) {
      return null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, await readProblem(response));
    }
    return URL.createObjectURL(await response.blob());
  }
}

async function readProblem(response: Response): Promise<Problem> {
  try {
    return (await response.json()) as Problem;
  } catch {
    return { status: response.status, title: response.statusText };
  }
}
