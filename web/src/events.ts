import type { JobNotice, JobUpdate } from './types';

export interface EventHandlers {
  onUpdate(update: JobUpdate): void;
  onNotice(notice: JobNotice): void;
  onState(state: 'live' | 'reconnecting' | 'unauthorized'): void;
}

/**
 * Follows GET /orchestrate/events with fetch (EventSource cannot send the X-API-Key header, and the key must not go
 * into a URL), resuming with Last-Event-ID after a dropped connection so no update is missed. Ends with the signal.
 */
export async function followEvents(headers: Record<string, string>, handlers: EventHandlers, signal: AbortSignal) {
  let lastId: string | null = null;
  let wait = 500;
  while (!signal.aborted) {
    try {
      const response = await fetch('/orchestrate/events', {
        headers: { ...headers, Accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) },
        signal,
      });
      if (response.status === 401) {
        handlers.onState('unauthorized');
        return;
      }
      if (!response.ok || !response.body) {
        throw new Error(`events answered ${response.status}`);
      }
      handlers.onState('live');
      wait = 500;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          const event = parseEvent(block);
          if (event.id) {
            lastId = event.id;
          }
          dispatch(event, handlers);
        }
      }
    } catch {
      if (signal.aborted) {
        return;
      }
    }
    handlers.onState('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 10_000);
  }
}

interface ServerSentEvent {
  id: string | null;
  event: string;
  data: string | null;
}

function parseEvent(block: string): ServerSentEvent {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) {
      continue; // a heartbeat
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { id, event, data: data.length > 0 ? data.join('\n') : null };
}

function dispatch(event: ServerSentEvent, handlers: EventHandlers) {
  if (event.data === null) {
    return;
  }
  try {
    const json: unknown = JSON.parse(event.data);
    if (typeof json !== 'object' || json === null || typeof (json as { job_id?: unknown }).job_id !== 'string') {
      return;
    }
    if (event.event === 'update') handlers.onUpdate(json as JobUpdate);
    else if (event.event === 'job-update') handlers.onNotice(json as JobNotice);
  } catch {
    // Not JSON: not an event of ours.
  }
}
