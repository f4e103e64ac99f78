"""secretsmanager_stub.py - a STAND-IN for the AWS Secrets Manager endpoint, used only by the e2e suite
(no AWS account or network on the test machines). Stdlib only; runs in the amazon/aws-cli stand-in image.

Implements the one call the generated fetcher makes: POST / with X-Amz-Target:
secretsmanager.GetSecretValue and a JSON body {"SecretId": ...}; answers like AWS (SecretString, ARN,
Name, VersionId) or ResourceNotFoundException. It checks what the real service would reject: the request
must be SigV4-signed (Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/secretsmanager/
aws4_request) with the expected access key id and region. It does NOT verify the signature itself.
Configuration (environment): SM_STUB_SECRETS='{"secret-id": "value", ...}', SM_STUB_REGION,
SM_STUB_ACCESS_KEY_ID, SM_STUB_PORT (default 4566). Never logs a secret value.
"""
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRETS = json.loads(os.environ.get("SM_STUB_SECRETS", "{}"))
REGION = os.environ.get("SM_STUB_REGION", "")
KEY_ID = os.environ.get("SM_STUB_ACCESS_KEY_ID", "")
CALLS = []


class Handler(BaseHTTPRequestHandler):
    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("content-type", "application/x-amz-json-1.1")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, code, typ, msg):
        print(f"sm-stub: {typ}: {msg}", flush=True)
        self.reply(code, {"__type": typ, "message": msg})

    def do_GET(self):
        if self.path == "/_stub/calls":  # for the test: which ids were fetched, with which key/region
            return self.reply(200, CALLS)
        self.error(404, "NotFound", self.path)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0") or 0))
        target = self.headers.get("x-amz-target", "")
        auth = self.headers.get("authorization", "")
        m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request", auth)
        if not m:
            return self.error(400, "MissingAuthenticationTokenException", "request is not SigV4-signed")
        key_id, _date, region, service = m.groups()
        if service != "secretsmanager":
            return self.error(400, "InvalidSignatureException", f"signed for service {service}")
        if KEY_ID and key_id != KEY_ID:
            return self.error(400, "UnrecognizedClientException", "unknown access key id")
        if REGION and region != REGION:
            return self.error(400, "InvalidSignatureException", f"signed for region {region}, expected {REGION}")
        if target != "secretsmanager.GetSecretValue":
            return self.error(400, "UnknownOperationException", target)
        sid = json.loads(body or b"{}").get("SecretId", "")
        CALLS.append({"secretId": sid, "region": region, "keyId": key_id})
        if sid not in SECRETS:
            return self.error(400, "ResourceNotFoundException", f"Secrets Manager can't find the specified secret: {sid}")
        print(f"sm-stub: GetSecretValue {sid} ok", flush=True)
        name = sid.split(":secret:")[-1]
        self.reply(200, {
            "ARN": sid if sid.startswith("arn:") else f"arn:aws:secretsmanager:{region}:000000000000:secret:{name}",
            "Name": name, "SecretString": SECRETS[sid], "VersionId": "00000000-0000-0000-0000-000000000001",
            "VersionStages": ["AWSCURRENT"], "CreatedDate": 1700000000.0,
        })

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(os.environ.get("SM_STUB_PORT", "4566"))
    print(f"sm-stub: listening on 0.0.0.0:{port} ({len(SECRETS)} secrets)", flush=True)
    sys.stdout.flush()
    ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
