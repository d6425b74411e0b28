package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Mutants in case expressions. gremlins reads coverage by block and Go's
// coverage blocks leave a switch's case expressions out, so gremlins reports
// every mutant there "not covered" and never runs it. runCases runs them
// itself: for each such mutant in a package's report it makes the same
// change gremlins would (its token mappings, below), builds and tests the
// package with the changed file through go test -overlay (the tree is not
// touched), and records the outcome in PKG.cases.json, which the table
// counts with gremlins' own results.

// caseResult is one case-expression mutant's outcome.
type caseResult struct {
	File   string `json:"file_name"` // relative to the package, as gremlins names it
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Type   string `json:"type"`
	Status string `json:"status"` // KILLED, LIVED, TIMED OUT, NOT VIABLE
}

// mutations is gremlins' token mappings (internal/engine/mappings.go at
// v0.6.0) for the mutators bench/mutation.sh runs.
var mutations = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":       {token.ADD: token.SUB, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL, token.SUB: token.ADD},
	"CONDITIONALS_BOUNDARY": {token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ},
	"CONDITIONALS_NEGATION": {token.EQL: token.NEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR, token.LSS: token.GEQ, token.NEQ: token.EQL},
	"INCREMENT_DECREMENT":   {token.DEC: token.INC, token.INC: token.DEC},
	"INVERT_NEGATIVES":      {token.SUB: token.ADD},
}

// mutate returns src with the token at line:col changed as the mutator typ
// changes it.
func mutate(src []byte, line, col int, typ string) ([]byte, error) {
	m, ok := mutations[typ]
	if !ok {
		return nil, fmt.Errorf("mutator %s is not supported", typ)
	}
	fset := token.NewFileSet()
	f := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(f, src, nil, 0)
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			return nil, fmt.Errorf("no token at %d:%d", line, col)
		}
		p := fset.Position(pos)
		if p.Line != line || p.Column != col {
			continue
		}
		to, ok := m[tok]
		if !ok {
			return nil, fmt.Errorf("%d:%d: %s is not a %s token", line, col, tok, typ)
		}
		off := p.Offset
		out := append(append(append([]byte(nil), src[:off]...), to.String()...), src[off+len(tok.String()):]...)
		return out, nil
	}
}

// runCases runs the case-expression mutants of the package report
// results/PKG.json and writes results/PKG.cases.json. It must run in the
// tree gremlins ran in, at the same commit.
func runCases(results, pkg string, coef int) error {
	name := strings.ReplaceAll(pkg, "/", "_")
	path := filepath.Join(results, name+".json")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	var todo []caseResult
	for _, f := range rep.Files {
		for _, m := range f.Mutations {
			if m.Status == "NOT COVERED" && inCaseExpr("", filepath.Join(pkg, f.Name), m.Line, m.Column) {
				todo = append(todo, caseResult{File: f.Name, Line: m.Line, Column: m.Column, Type: m.Type})
			}
		}
	}
	tmp, err := os.MkdirTemp("", "mutation-cases-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	test := func(ctx context.Context, overlay string) error {
		args := []string{"test", "-count=1", "-cpu", "1"}
		if overlay != "" {
			args = append(args, "-overlay", overlay)
		}
		cmd := exec.CommandContext(ctx, "go", append(args, "./"+pkg)...)
		cmd.WaitDelay = 5 * time.Second
		return cmd.Run()
	}
	// The unchanged package's run sets the timeout, as gremlins' coverage
	// run does.
	start := time.Now()
	if err := test(context.Background(), ""); err != nil {
		return fmt.Errorf("%s: the tests fail before any change: %v", pkg, err)
	}
	timeout := time.Duration(coef) * time.Since(start)
	for i := range todo {
		c := &todo[i]
		file, err := filepath.Abs(filepath.Join(pkg, c.File))
		if err != nil {
			return err
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		mut, err := mutate(src, c.Line, c.Column, c.Type)
		if err != nil {
			return fmt.Errorf("%s: %v (is the tree at the report's commit?)", file, err)
		}
		mf := filepath.Join(tmp, fmt.Sprintf("m%d.go", i))
		ov := filepath.Join(tmp, fmt.Sprintf("m%d.json", i))
		ovj, _ := json.Marshal(map[string]map[string]string{"Replace": {file: mf}})
		if err := os.WriteFile(mf, mut, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(ov, ovj, 0o644); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		err = test(ctx, ov)
		timedOut := ctx.Err() != nil
		cancel()
		var ee *exec.ExitError
		switch {
		case err == nil:
			c.Status = "LIVED"
		case timedOut:
			c.Status = "TIMED OUT"
		case errors.As(err, &ee) && ee.ExitCode() == 1 && vetOrBuildFails(pkg, ov):
			c.Status = "NOT VIABLE"
		default:
			c.Status = "KILLED"
		}
		fmt.Fprintf(os.Stderr, "%12s %s at %s:%d:%d\n", c.Status, c.Type, c.File, c.Line, c.Column)
	}
	out, err := json.MarshalIndent(todo, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(results, name+".cases.json"), append(out, '\n'), 0o644)
}

// vetOrBuildFails reports whether the changed package's tests fail to build
// (a mutant that does not compile is not viable, as in gremlins).
func vetOrBuildFails(pkg, overlay string) bool {
	cmd := exec.Command("go", "test", "-count=1", "-run", "^$", "-vet=off", "-overlay", overlay, "./"+pkg)
	return cmd.Run() != nil
}

// readCases reads results/PKG.cases.json ("" when there is none).
func readCases(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cs []caseResult
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	out := map[string]string{}
	for _, c := range cs {
		out[fmt.Sprintf("%s:%d:%d %s", c.File, c.Line, c.Column, c.Type)] = c.Status
	}
	return out, nil
}
