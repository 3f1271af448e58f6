-- wrk request: a write that succeeds again and again, every request a real change. Chosen by
-- BENCH_WRITE; BENCH_RUN (a number 0-99, different for every wrk run against one server)
-- keeps names and accounts of one run apart from those of the others. wrk gives each thread
-- its own Lua state, so `counter` counts that thread's requests; `thread_index` (0, 1, ...)
-- keeps the threads apart. Anything but a 200 counts as Non-2xx in wrk's output.
--
--   create_association  SSM CreateAssociation of AWS-RunShellScript (commands ["true"],
--       targets tag:none=x, which no node has: nothing runs) named bench-<run>-<thread>-<n>;
--       each request creates one more association. The caller moves to a new account every
--       1,000 creations (account 4<run:2><thread:1><n/1000:8>), under AWS's limit of 2,000
--       associations per account and Region.
--   put_aggregator  AWS Config PutConfigurationAggregator as BENCH_ACCOUNT on aggregator
--       bench-<thread>-<n % 8> (at most 8 per thread, under the limit of 50), whose single
--       account source becomes an account id no request used before: every request updates
--       an aggregator.
--   start_policy_association  Security Hub StartConfigurationPolicyAssociation as the
--       delegated administrator BENCH_ACCOUNT, applying one of the two policies of
--       BENCH_POLICIES ("id1,id2") to a member account 3<index:11 digits>: thread t walks
--       accounts t*H .. t*H+H-1 (H = BENCH_MEMBERS / 2) and switches policy after every pass,
--       so each request replaces the policy the previous pass applied (only the first pass of
--       a run may re-apply what the last run left).
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local kind = os.getenv("BENCH_WRITE")
assert(kind, "writes.lua needs BENCH_WRITE")
local run = tonumber(os.getenv("BENCH_RUN") or "0") % 100
local account = os.getenv("BENCH_ACCOUNT") or "123456789012"
local half = math.floor(tonumber(os.getenv("BENCH_MEMBERS") or "64") / 2)
local policies = {}
for id in string.gmatch(os.getenv("BENCH_POLICIES") or "", "[^,]+") do
  policies[#policies + 1] = id
end
local counter = 0

local function auth(caller, service)
  return "AWS4-HMAC-SHA256 Credential=" .. caller .. "/20240501/us-east-1/" .. service ..
      "/aws4_request, SignedHeaders=host, Signature=00"
end

local builders = {}

function builders.create_association()
  local caller = string.format("4%02d%d%08d", run, thread_index, math.floor(counter / 1000))
  local body = string.format('{"Name":"AWS-RunShellScript","AssociationName":' ..
      '"bench-%d-%d-%d","Parameters":{"commands":["true"]},' ..
      '"Targets":[{"Key":"tag:none","Values":["x"]}]}', run, thread_index, counter)
  return wrk.format("POST", "/", {
    ["Content-Type"] = "application/x-amz-json-1.1",
    ["X-Amz-Target"] = "AmazonSSM.CreateAssociation",
    ["Authorization"] = auth(caller, "ssm"),
  }, body)
end

function builders.put_aggregator()
  local body = string.format('{"ConfigurationAggregatorName":"bench-%d-%d",' ..
      '"AccountAggregationSources":[{"AccountIds":["5%02d%d%08d"],"AllAwsRegions":true}]}',
      thread_index, counter % 8, run, thread_index, counter)
  return wrk.format("POST", "/", {
    ["Content-Type"] = "application/x-amz-json-1.1",
    ["X-Amz-Target"] = "StarlingDoveService.PutConfigurationAggregator",
    ["Authorization"] = auth(account, "config"),
  }, body)
end

function builders.start_policy_association()
  assert(#policies == 2, "start_policy_association needs BENCH_POLICIES=id1,id2")
  local member = string.format("3%011d", thread_index * half + counter % half)
  local policy = policies[math.floor(counter / half) % 2 + 1]
  local body = string.format('{"ConfigurationPolicyIdentifier":"%s",' ..
      '"Target":{"AccountId":"%s"}}', policy, member)
  return wrk.format("POST", "/configurationPolicyAssociation/associate", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = auth(account, "securityhub"),
  }, body)
end

local build = builders[kind]
assert(build, "unknown BENCH_WRITE " .. kind)

function request()
  local built = build()
  counter = counter + 1
  return built
end
