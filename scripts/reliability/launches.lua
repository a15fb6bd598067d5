-- wrk: a trickle of launches, one a second per connection, each a scan of
-- one listed image with its own Idempotency-Key.
-- Needs TOKEN and ACCOUNT in the environment.
local token = os.getenv("TOKEN")
local account = os.getenv("ACCOUNT")
local body = '{"account":"' .. account .. '","request":{"image_type":"private_image",' ..
  '"image_info_list":[{"namespace":"payments","image_name":"checkout","image_version":"v1.0.0"}]}}'
local n = 0
local run = tostring(os.time())

request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/hss/batch-scan", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "load-" .. run .. "-" .. n,
  }, body)
end

delay = function()
  return 1000
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d,"err_status":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
