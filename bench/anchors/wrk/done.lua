-- wrk's summary as one line the bench parses: requests, seconds, latency percentiles in microseconds, and every
-- failure kind (a non-2xx answer counts in "status").
return function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-RESULT requests=%d seconds=%.6f p50=%d p90=%d p99=%d max=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
