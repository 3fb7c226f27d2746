-- wrk's summary as one line: requests/s, latency percentiles, errors (scripts/bench-load.sh).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("%8.1f req/s  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  errors %d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
