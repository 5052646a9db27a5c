import { useCallback, useEffect, useState } from 'react';
import { Api } from '../api';
import type { DeadLetterResponse } from '../types';

/** The dead letter: every failed job's payload and reason, newest first. Read again on demand and when a job fails. */
export function DeadLetter({ api, failures }: { api: Api; failures: number }) {
  const [page, setPage] = useState<DeadLetterResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setPage(await api.deadLetter());
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load, failures]);

  return (
    <section className="panel" aria-labelledby="dead-letter-heading">
      <div className="row spread">
        <h2 id="dead-letter-heading">Dead letter</h2>
        <button type="button" className="secondary" onClick={load}>
          Refresh dead letter
        </button>
      </div>
      {error ? (
        <p role="alert" className="error">
          The dead letter could not be read: {error}
        </p>
      ) : page === null ? (
        <p className="hint" aria-busy="true">
          Loading…
        </p>
      ) : page.entries.length === 0 ? (
        <p className="empty">No failed jobs. Jobs that fail land here with their request and the reason.</p>
      ) : (
        <>
          <p className="hint">{page.total} failed job(s)</p>
          <ul className="dead-letter">
            {page.entries.map((entry) => (
              <li key={entry.job_id}>
                <strong>{entry.payload?.run_id ?? entry.job_id}</strong>
                <p>{entry.error}</p>
                <details>
                  <summary>Request</summary>
                  <pre>{JSON.stringify(entry.payload, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
