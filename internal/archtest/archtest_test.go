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
// (every package under store/ but the interface package and its test suite).
func storeImpl(p string) bool {
	return under(p, "store") && p != "store" && !under(p, "store/storetest")
}

// rule is one forbidden arrow: from packages matching from, no dependency
// (direct, or transitive when deep) matching to, except the pairs allowed.
type rule struct {
	name string
	from func(string) bool
	to   func(string) bool
	deep bool
}

// allowed lists the arrows that break a rule today, as "from -> to". Each is
// a debt recorded here so that the list can only shrink: a new one fails.
var allowed = map[string]bool{
	"store/internal/sqlshared -> auth": true,
	"store/sqlite -> auth":             true,
	"store/postgres -> auth":           true,
}

var rules = []rule{
	{
		name: "the domain (care) imports nothing of the module",
		from: func(p string) bool { return p == "care" },
		to:   func(string) bool { return true },
	},
	{
		name: "a store (store, store/sqlite, store/postgres, store/internal/...) depends only on the domain, never on a capability",
		from: func(p string) bool { return under(p, "store") && !under(p, "store/storetest") },
		to:   isCapability,
		deep: true,
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
		{"store/internal/sqlshared", "auth"},
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
	for _, ok := range []struct{ from, to string }{
		{"store/sqlite", "care"}, {"store/sqlite", "store"}, {"cmd/sufficiency", "store/sqlite"},
		{"web", "store"}, {"analysis", "store"}, {"store/storetest", "offers"}, {"web", "web/chart"},
	} {
		for _, r := range rules {
			if r.from(ok.from) && r.to(ok.to) {
				t.Errorf("%s -> %s is allowed but rule %q forbids it", ok.from, ok.to, r.name)
			}
		}
	}
}
