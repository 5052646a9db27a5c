import { useEffect, useRef, useState } from 'react';
import { Api } from '../api';
import { isTerminal, type JobNotice, type JobSummary, type ScenePayload, type VideoLink } from '../types';
import { SceneStrip } from './SceneStrip';

const stageNames: Record<string, string> = {
  queued: 'Waiting in the queue',
  preparing: 'Preparing',
  tts: 'Speaking the voiceover',
  'image-gen': 'Making scene images',
  'video-gen': 'Making scene clips',
  subtitle: 'Timing subtitles',
  stitch: 'Rendering the video',
  qc: 'Checking the video',
  done: 'Done',
};

interface Props {
  api: Api;
  job: JobSummary;
  notice: JobNotice | undefined;
  onChanged: (job: Partial<JobSummary> & { job_id: string }) => void;
}

export function JobCard({ api, job, notice, onChanged }: Props) {
  const [scenes, setScenes] = useState<ScenePayload[] | null>(null);
  // The newest link (the download's) and the one the player was given: renewing the first must not restart playback.
  const [video, setVideo] = useState<VideoLink | null>(null);
  const [player, setPlayer] = useState<VideoLink | null>(null);
  // Where playback was when an expired link failed: the fresh link resumes there.
  const resumeAt = useRef(0);
  const [busy, setBusy] = useState<'cancel' | 'retry' | 'video' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const headingId = `job-${job.job_id}`;
  const percent = Math.round(job.progress * 100);

  useEffect(() => {
    let stopped = false;
    api.status(job.job_id).then(
      (record) => !stopped && setScenes(record.payload?.prompts ?? []),
      () => !stopped && setScenes([]),
    );
    return () => {
      stopped = true;
    };
  }, [api, job.job_id]);

  useEffect(() => {
    if (job.status !== 'completed') {
      setVideo(null);
      setPlayer(null);
    }
  }, [job.status]);

  const act = async (kind: 'cancel' | 'retry') => {
    setBusy(kind);
    setActionError(null);
    try {
      const answer = kind === 'cancel' ? await api.cancel(job.job_id) : await api.retry(job.job_id);
      if (answer.status === 'cancelled') onChanged({ job_id: job.job_id, status: 'cancelled' });
      if (answer.status === 'queued') onChanged({ job_id: job.job_id, status: 'queued', stage: 'queued', progress: 0, error: null });
    } catch (error) {
      setActionError((error as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const showVideo = async () => {
    setBusy('video');
    setActionError(null);
    try {
      const link = await api.videoLink(job.job_id);
      setVideo(link);
      setPlayer(link);
    } catch (error) {
      setActionError((error as Error).message);
    } finally {
      setBusy(null);
    }
  };

  // A link's token expires (30 minutes): the download link is renewed a minute before, and a player whose range
  // request failed on an expired token gets a fresh link and carries on where it was.
  useEffect(() => {
    if (!video?.expires_at) return;
    const renewIn = Date.parse(video.expires_at) - Date.now() - 60_000;
    const timer = window.setTimeout(() => {
      api.videoLink(job.job_id).then(setVideo, () => undefined);
    }, Math.max(renewIn, 0));
    return () => window.clearTimeout(timer);
  }, [api, job.job_id, video]);

  const renewAfterError = async (element: HTMLVideoElement) => {
    if (!player?.expires_at || Date.parse(player.expires_at) > Date.now()) return;
    resumeAt.current = element.currentTime;
    try {
      const link = await api.videoLink(job.job_id);
      setVideo(link);
      setPlayer(link);
    } catch (error) {
      setActionError((error as Error).message);
    }
  };

  return (
    <article className={`job status-${job.status}`} aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>{job.run_id}</h3>
        <span className="badge">{job.status}</span>
      </header>
      <p className="stage">
        {stageNames[job.stage] ?? job.stage}
        {job.status === 'running' && ` · ${percent}%`}
      </p>
      <div
        className="bar"
        role="progressbar"
        aria-label={`Progress of ${job.run_id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%, ${stageNames[job.stage] ?? job.stage}`}
      >
        <span style={{ width: `${percent}%` }} />
      </div>

      {scenes === null ? <p className="hint">Loading scenes…</p> : scenes.length > 0 && <SceneStrip api={api} job={job} scenes={scenes} />}

      {job.status === 'failed' && job.error && (
        <div className="failure">
          <h4>Why it failed</h4>
          <p>{job.error}</p>
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          n8n says this job is <strong>{notice.status}</strong> ({new Date(notice.received_at).toLocaleString()})
        </p>
      )}

      {video && player && (
        <div className="player">
          <video
            src={player.url}
            controls
            playsInline
            preload="auto"
            aria-label={`Video of ${job.run_id}`}
            onError={(event) => void renewAfterError(event.currentTarget)}
            onLoadedMetadata={(event) => {
              if (resumeAt.current > 0) {
                event.currentTarget.currentTime = resumeAt.current;
                resumeAt.current = 0;
              }
            }}
          />
          <a href={video.url} download={`${job.run_id}.mp4`} className="button">
            Download MP4
          </a>
        </div>
      )}

      <div className="actions">
        {job.status === 'completed' && !video && (
          <button type="button" onClick={showVideo} disabled={busy !== null} aria-label={`Play video of ${job.run_id}`}>
            {busy === 'video' ? 'Loading…' : 'Play video'}
          </button>
        )}
        {!isTerminal(job.status) && (
          <button type="button" className="danger" onClick={() => act('cancel')} disabled={busy !== null} aria-label={`Cancel ${job.run_id}`}>
            {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
        {(job.status === 'failed' || job.status === 'cancelled') && (
          <button type="button" onClick={() => act('retry')} disabled={busy !== null} aria-label={`Retry ${job.run_id}`}>
            {busy === 'retry' ? 'Retrying…' : 'Retry'}
          </button>
        )}
      </div>
      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}
    </article>
  );
}
