import { useState, type FormEvent } from 'react';

/** Asks for the API key once; the page keeps it in this browser (localStorage) until "Forget key". */
export function KeyForm({ rejected, onSave }: { rejected: boolean; onSave: (key: string) => void }) {
  const [key, setKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) onSave(key.trim());
  };
  return (
    <section className="panel key-form" aria-labelledby="key-heading">
      <h2 id="key-heading">API key</h2>
      {rejected ? (
        <p role="alert" className="error">
          The API key was refused. Check it and enter it again.
        </p>
      ) : (
        <p>This service needs an API key. It is kept in this browser only, and sent in a header, never in a link.</p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="api-key">Key</label>
        <div className="row">
          <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required minLength={16} />
          <button type="submit">Save key</button>
        </div>
      </form>
    </section>
  );
}
