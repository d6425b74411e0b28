package archtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxCLILines is the ceiling on cmd/sufficiency's code lines (issue 18): the
// CLI parses flags and calls a capability; loading, costing, rendering and
// the rules live below it.
const maxCLILines = 3000

// TestCLIIsThin counts cmd/sufficiency's code lines as docs/ARCHITECTURE.md
// does (the non-test .go files, blank lines and lines that are only a //
// comment left out; the equivalent of `ls cmd/sufficiency/*.go | grep -v
// _test.go | xargs cat | grep -v '^\s*$' | grep -v '^\s*//' | wc -l`) and
// fails at maxCLILines or more.
func TestCLIIsThin(t *testing.T) {
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(filepath.Dir(strings.TrimSpace(string(root))), "cmd", "sufficiency", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("cmd/sufficiency: %v, %v", files, err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n += codeLines(string(b))
	}
	t.Logf("cmd/sufficiency: %d code lines", n)
	if n >= maxCLILines {
		t.Errorf("cmd/sufficiency has %d code lines, want under %d: move loading, costing, rendering and rules into their capability, leaving the verb its flags and one call", n, maxCLILines)
	}
}

// codeLines counts the lines of src that are neither blank nor only a //
// comment (whitespace is space, tab, or the other ASCII spaces grep's \s takes).
func codeLines(src string) int {
	n := 0
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimLeft(line, " \t\r\v\f")
		if line != "" && !strings.HasPrefix(line, "//") {
			n++
		}
	}
	return n
}

func TestCodeLines(t *testing.T) {
	src := "package main\n\n// doc\n\t// indented comment\n  \t\nfunc f() {} // trailing comment counts\n/* block */\n"
	if got := codeLines(src); got != 3 {
		t.Errorf("codeLines = %d, want 3 (package, func, block comment)", got)
	}
}
