package archtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// OWASP ASVS 4.0 level 2, V10 (malicious code) and V14.2 (dependencies), at
// the level of the source: what the product can run, load and call out to.
// The running-server half is web.TestASVSMaliciousCodeServer.

// stdPkg is what the test needs of `go list -json` for every package.
type stdPkg struct {
	ImportPath string
	Imports    []string
}

// riskyImports are standard packages that run other code, load code at run
// time, open a debugging door or bypass the type system, with the in-repo
// packages allowed each (and why). A new importer fails the test: justify it
// here or find another way.
var riskyImports = map[string]map[string]string{
	"plugin":         {},
	"net/http/pprof": {},
	"expvar":         {},
	"text/template":  {}, // html/template escapes; text/template on a page would not
	"os/exec": {
		"statement":      "prints the statement to PDF with the Chromium found on PATH or $SUFFICIENCY_CHROMIUM (fixed arguments, no shell)",
		"internal/cdp":   "starts the Chromium found on PATH or $SUFFICIENCY_CHROMIUM to print PDFs (fixed arguments, no shell)",
		"bench/mutation": "a developer tool that runs go test on mutated copies; not part of the binary",
		"bench/soak":     "a developer tool that starts servers to load-test them; not part of the binary",
	},
	"unsafe": {
		"ssda903":      "strings over the reader's arena without copying (csv.go makeRow)",
		"store/sqlite": "the SQLite driver's row buffers",
	},
}

// V10.2.1/V10.2.2/V10.3.x: no dynamic code loading, no debug endpoints, no
// shell-outs or unsafe code but the ones listed with their reason; no
// outbound network call from product code (no phoning home; bench/ holds
// developer tools that call a server on purpose and are not in the binary).
func TestASVSMaliciousCode(t *testing.T) {
	root := moduleRoot(t)
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	used := map[string]map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	n := 0
	for {
		var p stdPkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		n++
		for _, imp := range p.Imports {
			allow, risky := riskyImports[imp]
			if !risky {
				continue
			}
			name := rel(p.ImportPath)
			if used[imp] == nil {
				used[imp] = map[string]bool{}
			}
			used[imp][name] = true
			if _, ok := allow[name]; !ok {
				t.Errorf("V10.2: %s imports %s, which runs, loads or opens code the rest cannot see; allow it in riskyImports with the reason, or find another way", name, imp)
			}
		}
	}
	if n < 10 {
		t.Fatalf("go list found %d packages", n)
	}
	for imp, allow := range riskyImports {
		for name := range allow {
			if !used[imp][name] {
				t.Errorf("riskyImports allows %s to import %s, which it no longer does: remove the entry", name, imp)
			}
		}
	}

	// No outbound connection from product code: a server of children's data
	// has nothing to fetch from elsewhere at run time.
	outbound := regexp.MustCompile(`\bhttp\.(Get|Post|PostForm|Head|DefaultClient|NewRequest)\b|&http\.Client\{|\bnet\.Dial|\btls\.Dial|\bsmtp\.`)
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || strings.HasPrefix(name, ".") && p != root {
				return filepath.SkipDir
			}
			if p == filepath.Join(root, "bench") {
				return filepath.SkipDir // developer tools that load-test a server (bench/soak); not in the binary
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := sc.Text()
			if strings.HasPrefix(strings.TrimSpace(text), "//") {
				continue
			}
			if m := outbound.FindString(text); m != "" {
				r, _ := filepath.Rel(root, p)
				t.Errorf("V10.2.1: %s:%d makes an outbound connection (%s)", r, line, m)
			}
		}
		return sc.Err()
	})
}

// The detector of outbound calls bites (so the walk above cannot silently
// pass by matching nothing).
func TestASVSMaliciousCodeDetectorBites(t *testing.T) {
	outbound := regexp.MustCompile(`\bhttp\.(Get|Post|PostForm|Head|DefaultClient|NewRequest)\b|&http\.Client\{|\bnet\.Dial|\btls\.Dial|\bsmtp\.`)
	for _, s := range []string{`resp, err := http.Get("https://x")`, `c := &http.Client{}`, `conn, _ := net.Dial("tcp", a)`, `http.DefaultClient.Do(r)`} {
		if !outbound.MatchString(s) {
			t.Errorf("not caught: %s", s)
		}
	}
	for _, s := range []string{`http.Error(w, "x", 400)`, `http.NewServeMux()`, `net.ParseIP(s)`} {
		if outbound.MatchString(s) {
			t.Errorf("caught wrongly: %s", s)
		}
	}
}

// V14.2.1/V14.2.4/V10.3.2: every dependency is pinned to a version with its
// checksum in go.sum (module and go.mod), none is replaced by a local copy,
// and `go mod verify` finds the module cache unchanged since download.
func TestASVSDependenciesPinned(t *testing.T) {
	root := moduleRoot(t)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal("V14.2: no go.sum: dependencies are not pinned by checksum")
	}
	req := regexp.MustCompile(`(?m)^\s*(?:require\s+)?([a-z0-9.\-]+\.[a-z]+/[^\s]+)\s+(v[^\s]+)`)
	found := req.FindAllStringSubmatch(string(mod), -1)
	if len(found) < 3 {
		t.Fatalf("found %d requirements in go.mod", len(found))
	}
	for _, m := range found {
		for _, line := range []string{m[1] + " " + m[2] + " h1:", m[1] + " " + m[2] + "/go.mod h1:"} {
			if !bytes.Contains(sum, []byte(line)) {
				t.Errorf("V14.2.4: go.sum has no %q", line)
			}
		}
	}
	if regexp.MustCompile(`(?m)^\s*replace\b|=>`).Match(mod) {
		t.Error("V14.2: go.mod replaces a dependency; a replaced module escapes go.sum's checksums")
	}
	if testing.Short() {
		t.Skip("go mod verify skipped in -short")
	}
	cmd := exec.Command("go", "mod", "verify")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "all modules verified") {
		t.Errorf("V10.3.2: go mod verify: %v\n%s", err, out)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(gomod)))
}
