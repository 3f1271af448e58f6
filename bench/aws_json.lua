-- wrk request: one fixed AWS call whose target (or path), body and caller come from the
-- environment, so one script serves every read the bench times (a page of ListAssociations,
-- DescribeAssociation, DescribeOrganizationConformancePackStatuses, Security Hub's
-- GetConfigurationPolicyAssociation, ...). A body with a NextToken can be sent again and
-- again: a token is bound to the caller and the query, not to one use (src/base/page_token.h).
--   BENCH_TARGET   the X-Amz-Target of an awsJson1_1 call, e.g. AmazonSSM.ListAssociations
--   BENCH_PATH     instead of BENCH_TARGET, the path of a restJson1 POST (Content-Type
--                  application/json), e.g. /configurationPolicyAssociation/get
--   BENCH_BODY     the JSON body (default {})
--   BENCH_ACCOUNT  the caller's 12-digit access key id (default 123456789012)
--   BENCH_SERVICE  the credential scope's service (default ssm); BENCH_REGION (us-east-1)
local target = os.getenv("BENCH_TARGET")
local path = os.getenv("BENCH_PATH")
assert(target or path, "aws_json.lua needs BENCH_TARGET or BENCH_PATH")
local account = os.getenv("BENCH_ACCOUNT") or "123456789012"
local service = os.getenv("BENCH_SERVICE") or "ssm"
local region = os.getenv("BENCH_REGION") or "us-east-1"

wrk.method = "POST"
wrk.path = path or "/"
wrk.body = os.getenv("BENCH_BODY") or "{}"
if target then
  wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
  wrk.headers["X-Amz-Target"] = target
else
  wrk.headers["Content-Type"] = "application/json"
end
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=" .. account .. "/20240501/" ..
    region .. "/" .. service .. "/aws4_request, SignedHeaders=host, Signature=00"
