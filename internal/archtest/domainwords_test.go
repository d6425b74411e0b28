package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// edgeDirs are the packages that speak to a person in their own terms (the
// CLI's flags, the web's forms) or pass arguments to another program; every
// other package says what is wrong in the words of the domain (issue 18).
var edgeDirs = []string{"cmd", "web", "bench", "internal/cdp", "internal/archtest"}

// notWords are string literals outside the edges that name a flag on
// purpose, each with why.
var notWords = map[string]string{
	"--allow-file-access-from-files": "an argument statement passes to Chromium, not a message",
}

// flagWord finds a command-line flag ("--la", "--keep-siblings") or advice
// to run a command ("run sufficiency import", "`sufficiency validate`") in a
// text.
var flagWord = regexp.MustCompile("(^|[\\s(`'\"])--[a-z][a-z-]*|(?i:run|`)\\s*sufficiency [a-z]")

// TestCoreSpeaksDomainWords: no message written below the edges names a
// CLI flag; the CLI adds its flags to a core error (cmd/sufficiency's hint,
// rules.TextHints, ingest.Hints), so the web's users never read a flag.
func TestCoreSpeaksDomainWords(t *testing.T) {
	found := flagLiterals(t, moduleRoot(t))
	for _, f := range found {
		t.Errorf("%s: %q names a command-line flag: say it in domain words and let the edge add its advice", f.pos, f.text)
	}
}

// TestDomainWordsCheckBites: the scan finds a flag in a core error message
// and in a hint string, and advice to run a command; it passes a doc comment
// or struct tag that names a flag, and the product's own name.
func TestDomainWordsCheckBites(t *testing.T) {
	root := t.TempDir()
	src := "package match\n\nimport \"errors\"\n\n" +
		"// Allocate is what --keep-siblings runs.\n" +
		"type Options struct {\n\tKeep bool `json:\"keep\" help:\"--keep\"`\n}\n\n" +
		"func check() error { return errors.New(\"run without --keep-siblings to place them apart\") }\n\n" +
		"const hint = `(--limit 0 lists all)`\n" +
		"var advice = \"the database is empty: run sufficiency import first\"\n" +
		"var product = \"this sufficiency knows only up to 7: use a newer sufficiency\"\n"
	if err := writeFile(filepath.Join(root, "match", "allocate.go"), src); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(root, "cmd", "sufficiency", "allocate.go"), "package main\n\nconst usage = \"give --keep-siblings\"\n"); err != nil {
		t.Fatal(err)
	}
	found := flagLiterals(t, root)
	var texts []string
	for _, f := range found {
		texts = append(texts, f.text)
	}
	want := []string{"(--limit 0 lists all)", "run without --keep-siblings to place them apart", "the database is empty: run sufficiency import first"}
	if !slices.Equal(texts, want) {
		t.Fatalf("found %q, want %q", texts, want)
	}
}

type flagLiteral struct {
	pos  string
	text string
}

// flagLiterals lists the string literals (not struct tags) of the non-test Go
// files under root, outside edgeDirs, that name a flag, sorted by text.
func flagLiterals(t *testing.T, root string) []flagLiteral {
	t.Helper()
	var out []flagLiteral
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if slices.Contains(edgeDirs, rel) || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		tags := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if fl, ok := n.(*ast.Field); ok && fl.Tag != nil {
				tags[fl.Tag] = true
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || tags[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !flagWord.MatchString(s) {
				return true
			}
			if _, ok := notWords[s]; ok {
				return true
			}
			p := fset.Position(lit.Pos())
			out = append(out, flagLiteral{pos: rel + ":" + strconv.Itoa(p.Line), text: s})
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(out, func(a, b flagLiteral) int { return strings.Compare(a.text, b.text) })
	return out
}
