// e2e sample app (Go, stdlib only). Never returns a secret value.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const defaultPort = "8080"

func env(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

func status() map[string]string {
	out := map[string]string{}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return out
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, _ := strings.Cut(s.Text(), ":")
		switch k {
		case "Uid", "Gid", "CapEff", "CapPrm", "CapBnd", "NoNewPrivs":
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

func procs() []map[string]any {
	var out []map[string]any
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		parts := strings.FieldsFunc(string(b), func(r rune) bool { return r == 0 })
		out = append(out, map[string]any{"pid": pid, "cmdline": strings.Join(parts, " ")})
	}
	return out
}

func errCode(err error) string {
	if os.IsPermission(err) {
		return "EACCES"
	}
	return err.Error()
}

func main() {
	port := env("PORT", defaultPort)
	dataDir := env("DATA_DIR", "/data")
	routes := map[string]func(q map[string]string) any{
		"/":        func(map[string]string) any { return map[string]any{"app": "go", "ok": true, "uid": os.Getuid(), "gid": os.Getgid()} },
		"/healthz": func(map[string]string) any { return map[string]any{"status": "ok"} },
		"/introspect": func(map[string]string) any {
			return map[string]any{"uid": os.Getuid(), "pid": os.Getpid(), "status": status(), "procs": procs()}
		},
		"/rootfs": func(map[string]string) any {
			if err := os.WriteFile("/e2e-rootfs-probe", []byte("x"), 0o600); err != nil {
				return map[string]any{"writable": false, "code": errCode(err)}
			}
			return map[string]any{"writable": true}
		},
		"/data/write": func(q map[string]string) any {
			dir, value := q["dir"], q["value"]
			if dir == "" {
				dir = dataDir
			}
			if value == "" {
				value = "e2e"
			}
			p := filepath.Join(dir, "e2e-probe.txt")
			if err := os.WriteFile(p, []byte(value), 0o600); err != nil {
				return map[string]any{"ok": false, "code": errCode(err)}
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return map[string]any{"ok": false, "code": errCode(err)}
			}
			return map[string]any{"ok": true, "read": string(b)}
		},
		"/data/read": func(q map[string]string) any {
			dir := q["dir"]
			if dir == "" {
				dir = dataDir
			}
			b, err := os.ReadFile(filepath.Join(dir, "e2e-probe.txt"))
			if err != nil {
				return map[string]any{"ok": false, "code": errCode(err)}
			}
			return map[string]any{"ok": true, "read": string(b)}
		},
		"/secret": func(q map[string]string) any {
			envVar := strings.ToUpper(q["name"]) + "_FILE"
			p := os.Getenv(envVar)
			if p == "" {
				return map[string]any{"ok": false, "envVar": envVar, "error": "env var not set"}
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return map[string]any{"ok": false, "envVar": envVar, "path": p, "code": errCode(err)}
			}
			sum := sha256.Sum256(b)
			return map[string]any{"ok": true, "envVar": envVar, "path": p, "length": len(b), "sha256": hex.EncodeToString(sum[:])}
		},
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		q := map[string]string{}
		for k, v := range r.URL.Query() {
			q[k] = v[0]
		}
		w.Header().Set("content-type", "application/json")
		route, ok := routes[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "not found"})
			return
		}
		_ = json.NewEncoder(w).Encode(route(q))
	})
	log.Printf("listening on 0.0.0.0:%s", port)
	log.Fatal(http.ListenAndServe("0.0.0.0:"+port, nil))
}
