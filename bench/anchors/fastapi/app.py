"""The seed's own API, as the seed describes it: FastAPI + redis.asyncio. POST /orchestrate/start SETs the job's
JSON and LPUSHes its id onto the queue; GET /orchestrate/status/{job_id} reads the JSON back. No API key (the seed
has none). The anchor that `./videoakka bench submit` measures VideoAkka against, run by uvicorn with 2 workers,
uvloop and httptools, on its own redis-server (REDIS_URL)."""
import json
import os
import time
import uuid
from typing import List, Optional, Union

import redis.asyncio as redis
from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel

QUEUE = "video_orchestrator:queue"
DATA = os.environ.get("DATA_SHARED_BASE", "/data/shared")

app = FastAPI()
store = redis.from_url(os.environ["REDIS_URL"])


class StartRequest(BaseModel):
    script: str
    caption: Optional[str] = None
    prompts: List[Union[str, dict]]
    run_id: Optional[str] = None


@app.post("/orchestrate/start", status_code=202)
async def start(request: StartRequest):
    job_id = str(uuid.uuid4())
    run_id = request.run_id or job_id
    job = {"job_id": job_id, "status": "queued", "run_id": run_id, "output_dir": f"{DATA}/{run_id}",
           "created_at": time.time(), "payload": request.dict()}
    await store.set(f"video_orchestrator:job:{job_id}", json.dumps(job))
    await store.lpush(QUEUE, job_id)
    return {"job_id": job_id, "status": "queued"}


@app.get("/orchestrate/status/{job_id}")
async def status(job_id: str):
    job = await store.get(f"video_orchestrator:job:{job_id}")
    if job is None:
        raise HTTPException(status_code=404, detail="job not found")
    # The stored JSON as it is: no parse and re-encode, the fastest the seed's stack can answer.
    return Response(content=job, media_type="application/json")
