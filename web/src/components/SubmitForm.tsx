import { useState, type FormEvent } from 'react';
import { Api, ApiError } from '../api';

interface SceneDraft {
  image: string;
  video: string;
  duration: string;
}

const emptyScene = (): SceneDraft => ({ image: '', video: '', duration: '4' });

/** The job form: only what POST /orchestrate/start accepts today (caption styles and music come with issue 13). */
export function SubmitForm({ api, onSubmitted }: { api: Api; onSubmitted: (jobId: string, runId: string) => void }) {
  const [script, setScript] = useState('');
  const [caption, setCaption] = useState('');
  const [runId, setRunId] = useState('');
  const [scenes, setScenes] = useState<SceneDraft[]>([emptyScene()]);
  const [aspect, setAspect] = useState('9:16');
  const [voice, setVoice] = useState('en');
  const [voiceover, setVoiceover] = useState(true);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; fields?: Record<string, string[]> } | null>(null);

  const setScene = (index: number, change: Partial<SceneDraft>) =>
    setScenes((all) => all.map((scene, i) => (i === index ? { ...scene, ...change } : scene)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const body = {
      script,
      ...(caption.trim() ? { caption } : {}),
      ...(runId.trim() ? { run_id: runId.trim() } : {}),
      prompts: scenes.map((s) => ({
        image: s.image,
        ...(s.video.trim() ? { video: s.video } : {}),
        ...(s.duration.trim() ? { duration: Number(s.duration) } : {}),
      })),
      options: { aspect, voice: voice.trim() || 'en', voiceover },
    };
    try {
      const accepted = await api.submit(body);
      onSubmitted(accepted.job_id, runId.trim() || accepted.job_id);
      setMessage({ kind: 'ok', text: `Job ${runId.trim() || accepted.job_id} is queued.` });
    } catch (error) {
      const fields = error instanceof ApiError ? error.problem.errors : undefined;
      setMessage({ kind: 'error', text: (error as Error).message, ...(fields ? { fields } : {}) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="submit-heading">
      <h2 id="submit-heading">New video</h2>
      <form onSubmit={submit} aria-describedby="submit-message">
        <label htmlFor="script">Script (the voiceover and subtitles)</label>
        <textarea id="script" required rows={4} value={script} onChange={(e) => setScript(e.target.value)} />

        <div className="grid-2">
          <div>
            <label htmlFor="caption">Caption</label>
            <input id="caption" value={caption} onChange={(e) => setCaption(e.target.value)} placeholder="#tags" />
          </div>
          <div>
            <label htmlFor="run-id">Run id (optional, names the folder)</label>
            <input id="run-id" value={runId} onChange={(e) => setRunId(e.target.value)} pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,127}" />
          </div>
        </div>

        <fieldset>
          <legend>Scenes</legend>
          <ol className="scene-drafts">
            {scenes.map((scene, index) => (
              <li key={index}>
                <label htmlFor={`scene-${index}-image`}>Scene {index + 1} image prompt</label>
                <input id={`scene-${index}-image`} required value={scene.image} onChange={(e) => setScene(index, { image: e.target.value })} />
                <div className="grid-2">
                  <div>
                    <label htmlFor={`scene-${index}-video`}>Scene {index + 1} motion prompt</label>
                    <input id={`scene-${index}-video`} value={scene.video} onChange={(e) => setScene(index, { video: e.target.value })} />
                  </div>
                  <div>
                    <label htmlFor={`scene-${index}-duration`}>Scene {index + 1} seconds</label>
                    <input
                      id={`scene-${index}-duration`}
                      type="number"
                      min="0.5"
                      max="60"
                      step="0.5"
                      value={scene.duration}
                      onChange={(e) => setScene(index, { duration: e.target.value })}
                    />
                  </div>
                </div>
                {scenes.length > 1 && (
                  <button type="button" className="secondary" onClick={() => setScenes((all) => all.filter((_, i) => i !== index))}>
                    Remove scene {index + 1}
                  </button>
                )}
              </li>
            ))}
          </ol>
          <button type="button" className="secondary" onClick={() => setScenes((all) => [...all, emptyScene()])} disabled={scenes.length >= 100}>
            Add scene
          </button>
        </fieldset>

        <fieldset>
          <legend>Options</legend>
          <div className="grid-3">
            <div>
              <label htmlFor="aspect">Format</label>
              <select id="aspect" value={aspect} onChange={(e) => setAspect(e.target.value)}>
                <option value="9:16">Portrait 9:16</option>
                <option value="16:9">Landscape 16:9</option>
                <option value="1:1">Square 1:1</option>
              </select>
            </div>
            <div>
              <label htmlFor="voice">Voice (espeak-ng)</label>
              <input id="voice" list="voices" value={voice} onChange={(e) => setVoice(e.target.value)} maxLength={40} />
              <datalist id="voices">
                <option value="en" />
                <option value="en-us" />
                <option value="de" />
                <option value="fr" />
                <option value="es" />
              </datalist>
            </div>
            <div className="check">
              <input id="voiceover" type="checkbox" checked={voiceover} onChange={(e) => setVoiceover(e.target.checked)} />
              <label htmlFor="voiceover">Spoken voiceover</label>
            </div>
          </div>
          <div className="grid-2 coming">
            <div>
              <label htmlFor="caption-style">Caption style (coming)</label>
              <select id="caption-style" disabled aria-describedby="coming-note">
                <option>Default subtitles</option>
              </select>
            </div>
            <div>
              <label htmlFor="music">Music (coming)</label>
              <select id="music" disabled aria-describedby="coming-note">
                <option>None</option>
              </select>
            </div>
          </div>
          <p id="coming-note" className="hint">
            Caption styles and music are not offered by the service yet; they come with a later release.
          </p>
        </fieldset>

        <button type="submit" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit job'}
        </button>
        <div id="submit-message" role="status" aria-live="polite">
          {message && (
            <div className={message.kind === 'ok' ? 'ok' : 'error'}>
              <p>{message.text}</p>
              {message.fields && (
                <ul>
                  {Object.entries(message.fields).map(([field, problems]) => (
                    <li key={field}>
                      <code>{field}</code> {problems.join('; ')}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      </form>
    </section>
  );
}
