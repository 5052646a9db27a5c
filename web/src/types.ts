// The API's shapes (README "The API"), as this page reads them.
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobSummary {
  job_id: string;
  run_id: string;
  status: JobStatus;
  stage: string;
  progress: number;
  created_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
  error: string | null;
}

export interface JobListResponse {
  jobs: JobSummary[];
  next_cursor: string | null;
}

/** A scene as submitted: a plain prompt or an object with image/video/duration. */
export type ScenePayload = string | { image?: string; video?: string; duration?: number; image_url?: string };

export interface JobRecord extends JobSummary {
  payload: { prompts?: ScenePayload[]; script?: string; caption?: string };
}

export interface DeadLetterEntry {
  job_id: string;
  payload: { run_id?: string; script?: string } | null;
  error: string;
}

export interface DeadLetterResponse {
  entries: DeadLetterEntry[];
  next_cursor: string | null;
  total: number;
}

/** An RFC 7807 problem body, with the API's "errors" (field -> messages) on a 400. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
}

/** The `update` event of GET /orchestrate/events. */
export interface JobUpdate {
  job_id: string;
  run_id: string;
  status: JobStatus;
  stage: string;
  progress: number;
  error: string | null;
}

/** The `job-update` event: a notice about a job from n8n (POST /frontend/webhook/job-update). */
export interface JobNotice {
  job_id: string;
  status: string;
  received_at: string;
}

export interface VideoLink {
  url: string;
  expires_at: string | null;
}

export const isTerminal = (status: JobStatus) => status === 'completed' || status === 'failed' || status === 'cancelled';
