import { Api } from '../api';
import type { JobsState } from '../useJobs';
import type { JobSummary } from '../types';
import { JobCard } from './JobCard';

interface Props {
  api: Api;
  state: JobsState;
  reload: () => void;
  onChanged: (job: Partial<JobSummary> & { job_id: string }) => void;
}

export function JobList({ api, state, reload, onChanged }: Props) {
  const liveText = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unauthorized: 'Key refused' }[state.live];
  return (
    <section className="panel" aria-labelledby="jobs-heading" aria-busy={state.phase === 'loading'}>
      <div className="row spread">
        <h2 id="jobs-heading">Jobs</h2>
        <span className={`live live-${state.live}`}>{liveText}</span>
      </div>
      {state.phase === 'error' ? (
        <div role="alert" className="error">
          <p>The jobs could not be loaded: {state.error}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      ) : state.phase === 'loading' && state.jobs.length === 0 ? (
        <ul className="skeleton" aria-label="Loading jobs">
          <li />
          <li />
        </ul>
      ) : state.jobs.length === 0 ? (
        <p className="empty">No jobs yet. Submit one with the form, and it shows here as it runs.</p>
      ) : (
        <div className="jobs">
          {state.jobs.map((job) => (
            <JobCard key={job.job_id} api={api} job={job} notice={state.notices[job.job_id]} onChanged={onChanged} />
          ))}
        </div>
      )}
    </section>
  );
}
