-- wrk request: SSM ListAssociations over awsJson1_1 with MaxResults=0, which model-driven
-- validation refuses (400 ValidationException, range min 1) before any provider runs. It
-- exercises target routing, JSON parsing, validation and awsJson error serialization; wrk
-- counts the 400s as "Non-2xx" responses, which is expected here.
wrk.method = "POST"
wrk.path = "/"
wrk.body = '{"MaxResults":0}'
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AmazonSSM.ListAssociations"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 " ..
    "Credential=123456789012/20240501/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=00"
