"""e2e sample app (Python, stdlib only: http.server). Never returns a secret value."""
import hashlib
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT = int(os.environ.get("PORT", "8080"))
DATA_DIR = os.environ.get("DATA_DIR", "/data")


def status():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("Uid", "Gid", "CapEff", "CapPrm", "CapBnd", "NoNewPrivs"):
                out[k] = v.strip()
    return out


def procs():
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    cmd = " ".join(p.decode() for p in f.read().split(b"\0") if p)
            except OSError:
                cmd = ""
            out.append({"pid": int(d), "cmdline": cmd})
    return out


def rootfs(_q):
    try:
        with open("/e2e-rootfs-probe", "w") as f:
            f.write("x")
        return {"writable": True}
    except OSError as e:
        return {"writable": False, "code": e.__class__.__name__}


def data_write(q):
    path = os.path.join(q.get("dir", DATA_DIR), "e2e-probe.txt")
    try:
        with open(path, "w") as f:
            f.write(q.get("value", "e2e"))
        with open(path) as f:
            return {"ok": True, "read": f.read()}
    except OSError as e:
        return {"ok": False, "code": e.__class__.__name__}


def data_read(q):
    try:
        with open(os.path.join(q.get("dir", DATA_DIR), "e2e-probe.txt")) as f:
            return {"ok": True, "read": f.read()}
    except OSError as e:
        return {"ok": False, "code": e.__class__.__name__}


def secret(q):
    env_var = q.get("name", "").upper() + "_FILE"
    path = os.environ.get(env_var)
    if not path:
        return {"ok": False, "envVar": env_var, "error": "env var not set"}
    try:
        with open(path, "rb") as f:
            v = f.read()
        return {"ok": True, "envVar": env_var, "path": path, "length": len(v), "sha256": hashlib.sha256(v).hexdigest()}
    except OSError as e:
        return {"ok": False, "envVar": env_var, "path": path, "code": e.__class__.__name__}


ROUTES = {
    "/": lambda q: {"app": "python", "ok": True, "uid": os.getuid(), "gid": os.getgid()},
    "/healthz": lambda q: {"status": "ok"},
    "/introspect": lambda q: {"uid": os.getuid(), "pid": os.getpid(), "status": status(), "procs": procs()},
    "/rootfs": rootfs,
    "/data/write": data_write,
    "/data/read": data_read,
    "/secret": secret,
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        route = ROUTES.get(url.path)
        body = json.dumps(route(q) if route else {"error": "not found"}).encode() + b"\n"
        self.send_response(200 if route else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    print(f"listening on 0.0.0.0:{PORT}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
