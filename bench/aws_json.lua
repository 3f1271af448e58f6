-- wrk request: one fixed awsJson1_1 call whose target, body and caller come from the
-- environment, so one script serves every read the scale sections time (a page of
-- ListAssociations, DescribeOrganizationConformancePackStatuses, ...). A body with a
-- NextToken can be sent again and again: a token is bound to the caller and the query, not to
-- one use (src/base/page_token.h).
--   BENCH_TARGET   the X-Amz-Target, e.g. AmazonSSM.ListAssociations (required)
--   BENCH_BODY     the JSON body (default {})
--   BENCH_ACCOUNT  the caller's 12-digit access key id (default 123456789012)
--   BENCH_SERVICE  the credential scope's service (default ssm); BENCH_REGION (us-east-1)
local target = os.getenv("BENCH_TARGET")
assert(target, "aws_json.lua needs BENCH_TARGET")
local account = os.getenv("BENCH_ACCOUNT") or "123456789012"
local service = os.getenv("BENCH_SERVICE") or "ssm"
local region = os.getenv("BENCH_REGION") or "us-east-1"

wrk.method = "POST"
wrk.path = "/"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = target
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=" .. account .. "/20240501/" ..
    region .. "/" .. service .. "/aws4_request, SignedHeaders=host, Signature=00"
