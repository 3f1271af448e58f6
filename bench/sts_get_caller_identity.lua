-- wrk request: STS GetCallerIdentity over awsQuery, the cheapest successful AWS call cairn
-- answers (200, ~350-byte XML). The signature is not checked outside strict mode; the key id
-- (12 digits) makes the call act as account 123456789012 in us-east-1.
wrk.method = "POST"
wrk.path = "/"
wrk.body = "Action=GetCallerIdentity&Version=2011-06-15"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 " ..
    "Credential=123456789012/20240501/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"
