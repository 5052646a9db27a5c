import { useEffect, useRef, useState } from 'react';
import { Api } from '../api';
import type { JobSummary, ScenePayload } from '../types';

const promptOf = (scene: ScenePayload) => (typeof scene === 'string' ? scene : scene.image ?? scene.image_url ?? '');

/**
 * The job's scenes, each with its image as soon as the worker has made it. Asks only for the scenes not shown yet, and
 * only when the job's progress (or status) has moved since it last asked: a running job costs a few requests per
 * update, a finished one none.
 */
export function SceneStrip({ api, job, scenes }: { api: Api; job: JobSummary; scenes: ScenePayload[] }) {
  const [images, setImages] = useState<Record<number, string>>({});
  const asked = useRef<string | null>(null);
  const shown = useRef(images);
  shown.current = images;

  useEffect(() => {
    const moment = `${job.status}:${job.progress}`;
    if (job.status === 'queued' || asked.current === moment) return;
    asked.current = moment;
    let stopped = false;
    void (async () => {
      for (let scene = 1; scene <= scenes.length && !stopped; scene++) {
        if (shown.current[scene]) continue;
        try {
          const url = await api.thumbnail(job.job_id, scene);
          if (url && stopped) URL.revokeObjectURL(url); // too late for this strip: free the blob
          else if (url) setImages((all) => ({ ...all, [scene]: url }));
        } catch {
          return; // asked again at the next update
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [api, job.job_id, job.status, job.progress, scenes.length]);

  useEffect(() => () => Object.values(shown.current).forEach((url) => URL.revokeObjectURL(url)), []);

  return (
    <ol className="scenes" aria-label={`Scenes of ${job.run_id}`}>
      {scenes.map((scene, index) => {
        const url = images[index + 1];
        const label = `Scene ${index + 1}: ${promptOf(scene)}`;
        return (
          <li key={index} className={url ? 'made' : 'waiting'}>
            {url ? <img src={url} alt={label} /> : <span className="placeholder" aria-label={`${label} (not made yet)`} role="img" />}
            <span className="scene-number" aria-hidden="true">
              {index + 1}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
