// vault-stub: a STAND-IN for HashiCorp's `vault` binary, used only by the e2e suite because no real
// Vault binary can be downloaded on the test machines (it is neither a Debian nor an npm package).
// It implements just what the generated wiring needs, faithfully to Vault's HTTP API:
//
//	vault server -dev   in-memory server: GET /v1/sys/health, AppRole login
//	                    (POST /v1/auth/<mount>/login), KV v2 read/write (/v1/<mount>/data/<path>).
//	                    AppRole credentials come from VAULT_STUB_APPROLE="role_id:secret_id[,...]",
//	                    the root token from VAULT_DEV_ROOT_TOKEN_ID (default "root").
//	vault kv put -mount=M PATH k=v...   KV v2 write through VAULT_ADDR / VAULT_TOKEN (like the real CLI).
//	vault agent -config=FILE            reads the agent HCL (vault.address, auto_auth approle
//	                    role_id_file_path / secret_id_file_path / mount_path, template blocks with
//	                    contents / destination / perms, template_config static_secret_render_interval),
//	                    logs in, renders each template with Go text/template and a `secret` function
//	                    (consul-template's `with secret "path"` / `.Data.data.key` / `index`), writes
//	                    the files, then re-renders every interval.
//
// Not implemented: TLS, token renewal, sinks, caching, leases, any other auth method or engine.
// It never prints a secret value.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/template"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("vault-stub: ")
	go func() {
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
		<-c
		os.Exit(0)
	}()
	args := os.Args[1:]
	switch {
	case len(args) >= 1 && args[0] == "server":
		server()
	case len(args) >= 2 && args[0] == "kv" && args[1] == "put":
		kvPut(args[2:])
	case len(args) >= 1 && args[0] == "agent":
		cfg := ""
		for _, a := range args[1:] {
			if strings.HasPrefix(a, "-config=") {
				cfg = strings.TrimPrefix(a, "-config=")
			}
		}
		if cfg == "" {
			log.Fatal("agent: -config=FILE is required")
		}
		agent(cfg)
	case len(args) >= 1 && (args[0] == "version" || args[0] == "-version"):
		fmt.Println("Vault v0.0.0-e2e-stub (not HashiCorp Vault)")
	default:
		fmt.Fprintln(os.Stderr, "usage: vault server -dev | vault kv put -mount=M PATH k=v | vault agent -config=FILE (e2e stub)")
		os.Exit(2)
	}
}

// ---------------------------------------------------------------- server

type store struct {
	mu     sync.Mutex
	kv     map[string]map[string]any
	tokens map[string]bool
	roles  map[string]string
	root   string
}

func newToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "hvs.stub" + hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func errJSON(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]any{"errors": []string{msg}})
}

func server() {
	s := &store{kv: map[string]map[string]any{}, tokens: map[string]bool{}, roles: map[string]string{}}
	s.root = os.Getenv("VAULT_DEV_ROOT_TOKEN_ID")
	if s.root == "" {
		s.root = "root"
	}
	s.tokens[s.root] = true
	for _, p := range strings.Split(os.Getenv("VAULT_STUB_APPROLE"), ",") {
		if r, sec, ok := strings.Cut(strings.TrimSpace(p), ":"); ok {
			s.roles[r] = sec
		}
	}
	addr := os.Getenv("VAULT_DEV_LISTEN_ADDRESS")
	if addr == "" {
		addr = "0.0.0.0:8200"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/v1/")
		switch {
		case p == "sys/health":
			writeJSON(w, 200, map[string]any{"initialized": true, "sealed": false, "standby": false, "version": "0.0.0-e2e-stub"})
		case strings.HasPrefix(p, "auth/") && strings.HasSuffix(p, "/login") && r.Method != http.MethodGet:
			var body struct {
				RoleID   string `json:"role_id"`
				SecretID string `json:"secret_id"`
			}
			_ = json.NewDecoder(r.Body).Decode(&body)
			s.mu.Lock()
			want, ok := s.roles[body.RoleID]
			if !ok || want != body.SecretID {
				s.mu.Unlock()
				log.Printf("approle login refused (role_id known: %v)", ok)
				errJSON(w, 400, "invalid role or secret ID")
				return
			}
			t := newToken()
			s.tokens[t] = true
			s.mu.Unlock()
			log.Printf("approle login ok")
			writeJSON(w, 200, map[string]any{"auth": map[string]any{"client_token": t, "lease_duration": 3600, "renewable": true, "policies": []string{"default"}}})
		case strings.Contains(p, "/data/"):
			tok := r.Header.Get("X-Vault-Token")
			s.mu.Lock()
			defer s.mu.Unlock()
			if !s.tokens[tok] {
				errJSON(w, 403, "permission denied")
				return
			}
			switch r.Method {
			case http.MethodGet:
				d, ok := s.kv[p]
				if !ok {
					log.Printf("read %s: not found", p)
					writeJSON(w, 404, map[string]any{"errors": []string{}})
					return
				}
				log.Printf("read %s", p)
				writeJSON(w, 200, map[string]any{"data": map[string]any{"data": d, "metadata": map[string]any{"version": 1}}})
			case http.MethodPost, http.MethodPut:
				if tok != s.root {
					errJSON(w, 403, "permission denied")
					return
				}
				var body struct {
					Data map[string]any `json:"data"`
				}
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					errJSON(w, 400, err.Error())
					return
				}
				s.kv[p] = body.Data
				log.Printf("wrote %s (%d keys)", p, len(body.Data))
				writeJSON(w, 200, map[string]any{"data": map[string]any{"version": 1}})
			default:
				errJSON(w, 405, "unsupported")
			}
		default:
			errJSON(w, 404, "unsupported path in e2e stub: "+p)
		}
	})
	log.Printf("dev server (e2e stub) listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}

func kvPut(args []string) {
	mount, path := "secret", ""
	data := map[string]any{}
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "-mount="):
			mount = strings.TrimPrefix(a, "-mount=")
		case path == "" && !strings.Contains(a, "="):
			path = a
		default:
			k, v, _ := strings.Cut(a, "=")
			data[k] = v
		}
	}
	if path == "" {
		log.Fatal("kv put: PATH required")
	}
	if !strings.Contains(path, "/data/") && strings.HasPrefix(path, mount+"/") {
		path = strings.TrimPrefix(path, mount+"/")
	}
	body, _ := json.Marshal(map[string]any{"data": data})
	addr := strings.TrimRight(env("VAULT_ADDR", "http://127.0.0.1:8200"), "/")
	req, _ := http.NewRequest(http.MethodPost, addr+"/v1/"+mount+"/data/"+path, bytes.NewReader(body))
	req.Header.Set("X-Vault-Token", env("VAULT_TOKEN", "root"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		log.Fatalf("kv put: HTTP %d %s", res.StatusCode, b)
	}
	fmt.Printf("Success! Data written to: %s/data/%s\n", mount, path)
}

func env(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

// ---------------------------------------------------------------- agent

type block struct {
	typ    string
	labels []string
	attrs  map[string]string
	blocks []*block
}

func (b *block) find(typ string) []*block {
	var out []*block
	for _, c := range b.blocks {
		if c.typ == typ {
			out = append(out, c)
		}
	}
	return out
}

func (b *block) first(path ...string) *block {
	cur := b
	for _, p := range path {
		l := cur.find(p)
		if len(l) == 0 {
			return nil
		}
		cur = l[0]
	}
	return cur
}

// parseHCL parses the subset of HCL the generator writes: blocks with string labels, attributes
// whose values are strings, numbers, booleans or objects (`config = { ... }`), # and // comments.
func parseHCL(src string) (*block, error) {
	p := &hclParser{s: src}
	root := &block{attrs: map[string]string{}}
	if err := p.body(root, false); err != nil {
		return nil, fmt.Errorf("agent config line %d: %w", p.line(), err)
	}
	return root, nil
}

type hclParser struct {
	s string
	i int
}

func (p *hclParser) line() int { return strings.Count(p.s[:p.i], "\n") + 1 }

func (p *hclParser) skip() {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			p.i++
		case c == '#' || (c == '/' && p.i+1 < len(p.s) && p.s[p.i+1] == '/'):
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *hclParser) ident() string {
	st := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c == '-' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') {
			p.i++
		} else {
			break
		}
	}
	return p.s[st:p.i]
}

func (p *hclParser) str() (string, error) {
	st := p.i
	p.i++
	for p.i < len(p.s) && p.s[p.i] != '"' {
		if p.s[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	if p.i >= len(p.s) {
		return "", errors.New("unterminated string")
	}
	p.i++
	var v string
	if err := json.Unmarshal([]byte(p.s[st:p.i]), &v); err != nil {
		return "", err
	}
	return strings.NewReplacer("$${", "${", "%%{", "%{").Replace(v), nil
}

func (p *hclParser) body(b *block, nested bool) error {
	for {
		p.skip()
		if p.i >= len(p.s) {
			if nested {
				return errors.New("missing }")
			}
			return nil
		}
		if p.s[p.i] == '}' {
			if !nested {
				return errors.New("unexpected }")
			}
			p.i++
			return nil
		}
		name := p.ident()
		if name == "" {
			return fmt.Errorf("unexpected %q", p.s[p.i])
		}
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == '{' { // object value: treat as a nested block
				p.i++
				c := &block{typ: name, attrs: map[string]string{}}
				if err := p.body(c, true); err != nil {
					return err
				}
				b.blocks = append(b.blocks, c)
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '"' {
				v, err := p.str()
				if err != nil {
					return err
				}
				b.attrs[name] = v
			} else {
				b.attrs[name] = p.ident()
			}
			continue
		}
		c := &block{typ: name, attrs: map[string]string{}}
		for {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == '"' {
				l, err := p.str()
				if err != nil {
					return err
				}
				c.labels = append(c.labels, l)
				continue
			}
			break
		}
		if p.i >= len(p.s) || p.s[p.i] != '{' {
			return fmt.Errorf("expected { after %s", name)
		}
		p.i++
		if err := p.body(c, true); err != nil {
			return err
		}
		b.blocks = append(b.blocks, c)
	}
}

type vaultClient struct {
	addr  string
	token string
}

func (v *vaultClient) do(method, path string, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, v.addr+"/v1/"+strings.TrimPrefix(path, "/"), rd)
	if err != nil {
		return nil, err
	}
	if v.token != "" {
		req.Header.Set("X-Vault-Token", v.token)
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("%s %s: HTTP %d", method, path, res.StatusCode)
	}
	return out, nil
}

func readTrim(p string) (string, error) {
	b, err := os.ReadFile(p)
	return strings.TrimSpace(string(b)), err
}

func retry(what string, f func() error) {
	var err error
	for i := 0; i < 30; i++ {
		if err = f(); err == nil {
			return
		}
		log.Printf("%s failed (attempt %d): %v", what, i+1, err)
		time.Sleep(time.Second)
	}
	log.Fatalf("%s: giving up (exit_on_retry_failure)", what)
}

func agent(cfgPath string) {
	src, err := os.ReadFile(cfgPath)
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := parseHCL(string(src))
	if err != nil {
		log.Fatal(err)
	}
	v := &vaultClient{addr: env("VAULT_ADDR", "")}
	if vb := cfg.first("vault"); vb != nil && vb.attrs["address"] != "" {
		v.addr = vb.attrs["address"]
	}
	v.addr = strings.TrimRight(v.addr, "/")
	if v.addr == "" {
		log.Fatal("no vault address (vault { address = ... } or VAULT_ADDR)")
	}
	var method *block
	if aa := cfg.first("auto_auth"); aa != nil {
		for _, m := range aa.find("method") {
			if len(m.labels) > 0 && m.labels[0] == "approle" || m.attrs["type"] == "approle" {
				method = m
			}
		}
	}
	if method == nil {
		log.Fatal("auto_auth: only method \"approle\" is implemented by the e2e stub")
	}
	mc := method.first("config")
	if mc == nil {
		log.Fatal("auto_auth approle: config = { ... } missing")
	}
	mount := method.attrs["mount_path"]
	if mount == "" {
		mount = "auth/approle"
	}
	retry("approle login", func() error {
		roleID, err := readTrim(mc.attrs["role_id_file_path"])
		if err != nil {
			return err
		}
		secretID, err := readTrim(mc.attrs["secret_id_file_path"])
		if err != nil {
			return err
		}
		v.token = ""
		out, err := v.do(http.MethodPost, mount+"/login", map[string]string{"role_id": roleID, "secret_id": secretID})
		if err != nil {
			return err
		}
		auth, _ := out["auth"].(map[string]any)
		tok, _ := auth["client_token"].(string)
		if tok == "" {
			return errors.New("no client_token in login response")
		}
		v.token = tok
		return nil
	})
	log.Printf("authenticated with approle at %s", v.addr)
	interval := 5 * time.Minute
	if tc := cfg.first("template_config"); tc != nil {
		if d, err := time.ParseDuration(tc.attrs["static_secret_render_interval"]); err == nil && d > 0 {
			interval = d
		}
	}
	for {
		for _, t := range cfg.find("template") {
			t := t
			retry("render "+t.attrs["destination"], func() error { return render(v, t) })
		}
		time.Sleep(interval)
	}
}

func render(v *vaultClient, t *block) error {
	dest := t.attrs["destination"]
	if dest == "" {
		return errors.New("template without destination")
	}
	contents, ok := t.attrs["contents"]
	if !ok {
		b, err := os.ReadFile(t.attrs["source"])
		if err != nil {
			return err
		}
		contents = string(b)
	}
	funcs := template.FuncMap{"secret": func(path string, _ ...string) (map[string]any, error) {
		out, err := v.do(http.MethodGet, path, nil)
		if err != nil {
			return nil, err
		}
		return map[string]any{"Data": out["data"]}, nil
	}}
	tpl := template.New(dest).Funcs(funcs)
	if t.attrs["error_on_missing_key"] == "true" {
		tpl = tpl.Option("missingkey=error")
	}
	tpl, err := tpl.Parse(contents)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, nil); err != nil {
		return err
	}
	if strings.Contains(buf.String(), "<no value>") {
		return errors.New("missing key")
	}
	perm := os.FileMode(0o644)
	if p, err := strconv.ParseUint(t.attrs["perms"], 8, 32); err == nil {
		perm = os.FileMode(p)
	}
	tmp := filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp")
	_ = os.Remove(tmp)
	if err := os.WriteFile(tmp, buf.Bytes(), perm); err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	log.Printf("rendered %s (%d bytes)", dest, buf.Len())
	return nil
}
