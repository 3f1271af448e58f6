-- wrk request: SSM AddTagsToResource on a hybrid managed node, a cheap write that can repeat
-- forever. Every request is a real change: it sets tag k<n % 8> to a value no request used
-- before, on node mi-<(2n + thread) % BENCH_NODES as 17 hex digits>, nodes the bench
-- registers first (POST /_cairn/ssm/instances). A node never holds more than 8 tags, so the
-- 50-tag limit (TooManyTagsError) is never reached; wrk counts anything but a 200 as Non-2xx.
--   BENCH_NODES    how many nodes were registered (default 64)
--   BENCH_ACCOUNT  the caller's 12-digit access key id (default 123456789012), us-east-1
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local nodes = tonumber(os.getenv("BENCH_NODES") or "64")
local account = os.getenv("BENCH_ACCOUNT") or "123456789012"
local headers = {
  ["Content-Type"] = "application/x-amz-json-1.1",
  ["X-Amz-Target"] = "AmazonSSM.AddTagsToResource",
  ["Authorization"] = "AWS4-HMAC-SHA256 Credential=" .. account ..
      "/20240501/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=00",
}
local counter = 0

function request()
  counter = counter + 1
  local node = string.format("mi-%017x", (counter * 2 + thread_index) % nodes)
  local body = string.format('{"ResourceType":"ManagedInstance","ResourceId":"%s",' ..
      '"Tags":[{"Key":"k%d","Value":"v%d-%d"}]}', node, counter % 8, thread_index, counter)
  return wrk.format("POST", "/", headers, body)
end
