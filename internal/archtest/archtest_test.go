package archtest

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the module path; every in-repo import starts with it.
const module = "sufficiency"

// pkg is what the test needs of `go list -json`.
type pkg struct {
	ImportPath string
	Imports    []string // direct imports (non-test files)
	Deps       []string // every package it depends on, transitively
}

// list runs `go list -json ./...` at the module root and returns the
// packages by import path, keeping only in-repo imports and dependencies.
func list(t *testing.T) map[string]pkg {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", "./...")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		p.Imports = inRepo(p.Imports)
		p.Deps = inRepo(p.Deps)
		pkgs[rel(p.ImportPath)] = p
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages; is the test running inside the module?", len(pkgs))
	}
	return pkgs
}

// inRepo keeps the module's own packages, as paths relative to the module.
func inRepo(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p == module || strings.HasPrefix(p, module+"/") {
			out = append(out, rel(p))
		}
	}
	return out
}

func rel(p string) string {
	if p == module {
		return "."
	}
	return strings.TrimPrefix(p, module+"/")
}

// under reports whether p is dir or a package below it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// capabilities are the packages that compute something for a user; they sit
// above the domain and the store.
var capabilities = []string{
	"analysis", "auth", "forecast", "ingest", "market", "match", "offers",
	"picture", "review", "supply", "synth", "tabular", "scenario", "siting", "report", "demo",
}

func isCapability(p string) bool {
	for _, c := range capabilities {
		if under(p, c) {
			return true
		}
	}
	return false
}

// storeImpl reports whether p is a storage implementation or its internals
// (every package under store/ but the interface package).
func storeImpl(p string) bool {
	return under(p, "store") && p != "store"
}

// rule is one forbidden arrow: from packages matching from, no dependency
// (direct, or transitive when deep) matching to, except the pairs allowed.
type rule struct {
	name string
	from func(string) bool
	to   func(string) bool
	deep bool
}

// belowStore are the packages a store may depend on: the domain (care, and
// the domain's persisted types with their rules, identity and workflow), the
// return as read (ssda903), the reference data (refdata) and the leaf that
// opens files (internal/inputfile). Everything else is above the store.
var belowStore = []string{"care", "identity", "workflow", "ssda903", "refdata", "internal/inputfile"}

func isBelowStore(p string) bool { return slices.Contains(belowStore, p) || under(p, "store") }

// allowed lists the arrows that break a rule today, as "from -> to". Each is
// a debt recorded here so that the list can only shrink: a new one fails.
var allowed = map[string]bool{}

var rules = []rule{
	{
		name: "the domain (care) imports nothing of the module",
		from: func(p string) bool { return p == "care" },
		to:   func(string) bool { return true },
	},
	{
		name: "a store (store, store/sqlite, store/postgres, store/internal/...) depends only on the packages below it (care, identity, workflow, ssda903, refdata, internal/inputfile), never on a capability",
		from: func(p string) bool { return under(p, "store") },
		to:   func(p string) bool { return !isBelowStore(p) },
		deep: true,
	},
	{
		name: "the domain's persisted types (identity, workflow) import only care and refdata, so that a store needs no capability",
		from: func(p string) bool { return p == "identity" || p == "workflow" },
		to:   func(p string) bool { return p != "care" && p != "refdata" },
	},
	{
		name: "internal/storetest, the stores' contract suite, is imported only by tests (it drives the offers workflow through offers and match as their callers do, so it lives outside store/ and may import capabilities; no product code may import it)",
		from: func(p string) bool { return !under(p, "internal/storetest") },
		to:   func(p string) bool { return under(p, "internal/storetest") },
	},
	{
		name: "only the CLI opens a store implementation (capabilities and web take the store interface)",
		from: func(p string) bool { return !under(p, "cmd") && !under(p, "store") && !under(p, "bench") },
		to:   storeImpl,
	},
	{
		name: "nothing imports the CLI or the web app but the CLI (the web app's own packages, such as web/chart, are part of it)",
		from: func(p string) bool { return !under(p, "cmd") && !under(p, "web") },
		to:   func(p string) bool { return under(p, "cmd") || under(p, "web") },
	},
	{
		name: "the web app never imports the CLI",
		from: func(p string) bool { return under(p, "web") },
		to:   func(p string) bool { return under(p, "cmd") },
	},
	{
		name: "the pure capabilities (picture, review, market, forecast, match) never touch storage",
		from: func(p string) bool {
			return slices.ContainsFunc([]string{"picture", "review", "market", "forecast", "match"}, func(c string) bool { return under(p, c) })
		},
		to:   func(p string) bool { return under(p, "store") },
		deep: true,
	},
}

// TestImportGraph fails on every import that crosses an arrow
// docs/ARCHITECTURE.md forbids, naming the rule.
func TestImportGraph(t *testing.T) {
	pkgs := list(t)
	seen := map[string]bool{}
	for _, r := range rules {
		for name, p := range pkgs {
			if !r.from(name) {
				continue
			}
			deps := p.Imports
			if r.deep {
				deps = p.Deps
			}
			for _, d := range deps {
				if d == name || !r.to(d) {
					continue
				}
				arrow := name + " -> " + d
				if allowed[arrow] {
					seen[arrow] = true
					continue
				}
				verb := "imports"
				if r.deep {
					verb = "depends on"
				}
				t.Errorf("%s %s %s: %s", name, verb, d, r.name)
			}
		}
	}
	for arrow := range allowed {
		if !seen[arrow] {
			t.Errorf("allowed arrow %q no longer exists: remove it from the list", arrow)
		}
	}
}

// TestRulesBite checks that each rule catches an arrow it is written against,
// so that a rule cannot silently match nothing.
func TestRulesBite(t *testing.T) {
	cases := []struct{ from, to string }{
		{"care", "refdata"},
		{"store/sqlite", "offers"},
		{"store/sqlite", "internal/storetest"},
		{"store/internal/sqlshared", "auth"},
		{"store/postgres", "analysis"},
		{"store/sqlite", "web"},
		{"workflow", "offers"},
		{"identity", "auth"},
		{"web", "internal/storetest"},
		{"cmd/sufficiency", "internal/storetest"},
		{"store", "match/assign"},
		{"web", "store/sqlite"},
		{"analysis", "store/postgres"},
		{"offers", "web"},
		{"web/chart", "cmd/sufficiency"},
		{"picture", "store"},
	}
	for _, c := range cases {
		hit := false
		for _, r := range rules {
			if r.from(c.from) && r.to(c.to) {
				hit = true
			}
		}
		if !hit {
			t.Errorf("no rule forbids %s -> %s", c.from, c.to)
		}
	}
	// Every capability is above every store package.
	for _, c := range capabilities {
		for _, from := range []string{"store", "store/sqlite", "store/postgres", "store/internal/sqlshared"} {
			if !isCapability(c) || !slices.ContainsFunc(rules, func(r rule) bool { return r.from(from) && r.to(c) }) {
				t.Errorf("no rule forbids %s -> %s", from, c)
			}
		}
	}
	for _, ok := range []struct{ from, to string }{
		{"store/sqlite", "care"}, {"store/sqlite", "store"}, {"cmd/sufficiency", "store/sqlite"},
		{"web", "store"}, {"analysis", "store"}, {"internal/storetest", "offers"}, {"web", "web/chart"},
		{"store/sqlite", "identity"}, {"store/postgres", "workflow"}, {"store/internal/sqlshared", "ssda903"},
		{"identity", "refdata"}, {"workflow", "care"}, {"store/sqlite", "store/internal/sqlshared"},
	} {
		for _, r := range rules {
			if r.from(ok.from) && r.to(ok.to) {
				t.Errorf("%s -> %s is allowed but rule %q forbids it", ok.from, ok.to, r.name)
			}
		}
	}
}
