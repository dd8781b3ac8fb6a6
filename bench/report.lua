-- wrk script for bench/run.sh: prints one machine-readable RESULT line after the run.
--   RESULT <requests/s> <p50 ms> <p95 ms> <p99 ms> <requests> <non-2xx/3xx> <socket errors>
--          <POST answers other than 302>
-- With BENCH_POST=1 in the environment it also builds the ticket-creation request:
-- a multipart/form-data POST with a fresh submission_id per request (else the app's
-- idempotency check returns the first ticket), the CSRF token, the form fields and a
-- small PDF attachment. Inputs come from the environment (set by bench/run.sh):
--   BENCH_CSRF, BENCH_DEPARTMENT, BENCH_TRACKING, BENCH_NATIONAL_ID, BENCH_RUN_ID
-- The session cookie is passed with wrk -H "Cookie: ...".

local post = os.getenv("BENCH_POST") == "1"
local boundary = "----hamrahbench7d0c1f"
local counter = 0
local thread_id = 0
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

local function field(name, value)
  return "--" .. boundary .. "\r\n" ..
         'Content-Disposition: form-data; name="' .. name .. '"\r\n\r\n' ..
         value .. "\r\n"
end

local pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
local fixed = ""
if post then
  fixed = field("csrf_token", os.getenv("BENCH_CSRF") or "") ..
          field("subject", "بنچمارک: سامانه پاسخ نمی‌دهد") ..
          field("department", os.getenv("BENCH_DEPARTMENT") or "") ..
          field("tracking_number", os.getenv("BENCH_TRACKING") or "") ..
          field("national_id", os.getenv("BENCH_NATIONAL_ID") or "") ..
          field("body", "هنگام ثبت پرونده خطا نمایش داده می‌شود. لطفاً بررسی کنید.")
end
local tail = "--" .. boundary .. "\r\n" ..
             'Content-Disposition: form-data; name="attachments"; filename="scan.pdf"\r\n' ..
             "Content-Type: application/pdf\r\n\r\n" .. pdf .. "\r\n" ..
             "--" .. boundary .. "--\r\n"
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())

function request()
  if not post then
    return wrk.format()
  end
  counter = counter + 1
  local body = fixed ..
               field("submission_id", "bench-" .. run_id .. "-" .. tostring(thread_id) ..
                     "-" .. tostring(counter)) ..
               tail
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
  return wrk.format("POST", nil, headers, body)
end

-- For the POST, success is a 302 to the new ticket; a 200 means the form came back
-- with a validation error, which wrk would count as a success.
bad = 0
if post then
  function response(status, headers, body)
    if status ~= 302 then
      bad = bad + 1
      if bad == 1 then
        io.stderr:write("first non-302 answer to the POST: " .. status .. "\n" ..
                        string.sub(body or "", 1, 2000) .. "\n")
      end
    end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  local not_created = 0
  for _, thread in ipairs(threads) do not_created = not_created + (thread:get("bad") or 0) end
  io.write(string.format("RESULT %.1f %.1f %.1f %.1f %d %d %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.requests, errors.status, socket, not_created))
end
