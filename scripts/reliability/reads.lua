-- wrk: the console's reads, alternating per connection between the shared
-- task list (POST /api/v1/live/tasks, served from the live hub) and the
-- image list (POST /api/v1/hss/images, one upstream call each).
-- Needs TOKEN and ACCOUNT in the environment.
local token = os.getenv("TOKEN")
local account = os.getenv("ACCOUNT")
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}
local tasks = wrk.format("POST", "/api/v1/live/tasks", headers,
  '{"account":"' .. account .. '","list":"image_scan"}')
local images = wrk.format("POST", "/api/v1/hss/images", headers,
  '{"account":"' .. account .. '","request":{"image_type":"private_image","limit":50}}')
local n = 0

request = function()
  n = n + 1
  if n % 2 == 0 then return tasks end
  return images
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d,"err_status":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
