import { useCallback, useMemo, useState } from 'react';
import { Api } from './api';
import { DeadLetter } from './components/DeadLetter';
import { JobList } from './components/JobList';
import { KeyForm } from './components/KeyForm';
import { SubmitForm } from './components/SubmitForm';
import { useJobs } from './useJobs';

const keyName = 'videoakka.apiKey';

function readKey(): string | null {
  try {
    return localStorage.getItem(keyName);
  } catch {
    return null;
  }
}

/** The page: the key (asked for only when the API refuses without one), the form, the live jobs, the dead letter. */
export function App() {
  const [key, setKey] = useState<string | null>(readKey);
  const [refused, setRefused] = useState(false);
  const api = useMemo(() => new Api(key), [key]);
  const onUnauthorized = useCallback(() => setRefused(true), []);

  const save = (value: string) => {
    localStorage.setItem(keyName, value);
    setRefused(false);
    setKey(value);
  };
  const forget = () => {
    localStorage.removeItem(keyName);
    setRefused(false);
    setKey(null);
  };

  return (
    <>
      <header className="top">
        <h1>VideoAkka</h1>
        {key && (
          <button type="button" className="secondary" onClick={forget}>
            Forget key
          </button>
        )}
      </header>
      <main>{refused ? <KeyForm rejected={key !== null} onSave={save} /> : <Workspace api={api} onUnauthorized={onUnauthorized} />}</main>
    </>
  );
}

function Workspace({ api, onUnauthorized }: { api: Api; onUnauthorized: () => void }) {
  const { state, reload, upsert } = useJobs(api, onUnauthorized);
  const failures = state.jobs.filter((j) => j.status === 'failed').length;
  return (
    <div className="layout">
      <SubmitForm api={api} onSubmitted={(jobId, runId) => upsert({ job_id: jobId, run_id: runId })} />
      <div className="side">
        <JobList api={api} state={state} reload={reload} onChanged={upsert} />
        <DeadLetter api={api} failures={failures} />
      </div>
    </div>
  );
}
