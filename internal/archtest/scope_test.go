package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// scopeCalls are the functions that parse or resolve a scope (issue 18: one
// typed scope, parsed once at each edge and passed down as a value). The
// analysis ones are watched everywhere outside package analysis (their
// home); the refdata ones, which turn a council's or region's text into a
// council, in the edges (cmd/sufficiency and web) only, where a verb or a
// handler would otherwise parse a scope its own way.
var scopeCalls = map[string]bool{
	"analysis.ParseScope": true, "analysis.ParseCouncil": true, "analysis.ParseRegion": true, "analysis.MarketRegion": true,
	"analysis.Resolve": true, "analysis.LoadImported": true,
	"refdata.CanonicalRegion": true, "refdata.LookupCouncil": true, "refdata.CouncilCode": true, "refdata.CouncilsInRegion": true,
}

// scopeCallers are where those calls may be, as "package-dir Func callee"
// (Func is Recv.Method for a method), each with why: the one parse at an
// edge, the one resolution of a parsed spec, or a council that is not a
// scope. A verb or handler that parses or resolves a scope anywhere else
// fails TestScopeParsedOnce.
var scopeCallers = map[string]string{
	// The CLI: one flag set, parsed once, resolved once.
	"cmd/sufficiency scopeFlags.parse analysis.ParseScope":        "the CLI's --la/--region, parsed once",
	"cmd/sufficiency analyticsOptions.openScope analysis.Resolve": "picture, review, report: the spec resolved once",
	"cmd/sufficiency loadImported analysis.LoadImported":          "forecast, backtest: the spec read once",
	"cmd/sufficiency runChildren refdata.CouncilCode":             "the one council whose children are listed, not a scope",
	"cmd/sufficiency runErase refdata.CouncilCode":                "the one council holding the child, not a scope",
	"cmd/sufficiency runOfferList refdata.CouncilCode":            "a listing's council filter, not a scope",
	"cmd/sufficiency runOfferDeclines refdata.CouncilCode":        "a listing's council filter, not a scope",
	"cmd/sufficiency runScenarioSaved refdata.CouncilCode":        "a listing's council filter, not a scope",
	"web councilParam analysis.ParseCouncil":                      "a URL's {code}, parsed once",
	"web regionParam analysis.ParseRegion":                        "a URL's {name}, parsed once",
	"web scopeQuery analysis.ParseScope":                          "a query's la/region, parsed once",
	"web marketRegionQuery analysis.MarketRegion":                 "the market's ?region=, parsed once",
	"web userScope analysis.ParseCouncil":                         "the signed-in user's council",
	"web userScope analysis.ParseRegion":                          "the signed-in user's region",
	"web formScope analysis.ParseCouncil":                         "a form's council choice",
	"web formScope analysis.ParseRegion":                          "a form's region choice",
	"web analyst.scope analysis.Resolve":                          "a parsed spec resolved once per data version",
	"web reportHandlers.scope analysis.Resolve":                   "the statement's spec resolved once, after the user's right",
	"web placements.allocate refdata.CouncilsInRegion":            "the councils of a region already parsed (regionParam)",
	"web placements.listCases refdata.CouncilsInRegion":           "the councils of the signed-in user's region",
	"web regionCouncils refdata.CouncilsInRegion":                 "the councils of a picture's resolved region, for the map",
	"scenario Scope.Spec analysis.ParseScope":                     "a scenario file's scope, parsed once",
	"scenario prepare analysis.Resolve":                           "a scenario's spec resolved once",
	"siting RunOn analysis.Resolve":                               "site-homes' spec (parsed at the edge) resolved once",
	"statement Build analysis.Resolve":                            "each attached scenario's spec, to compare with the statement's scope",
}

// call is one watched call: where it is and what it calls.
type call struct{ dir, fn, callee, pos string }

func (c call) key() string { return c.dir + " " + c.fn + " " + c.callee }

// watchedCalls lists the scope calls in the module's non-test Go files.
func watchedCalls(t *testing.T, root string) []call {
	t.Helper()
	var out []call
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		relDir, _ := filepath.Rel(root, filepath.Dir(p))
		relDir = filepath.ToSlash(relDir)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ast.Inspect(fd, func(n ast.Node) bool {
				ce, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := ce.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				x, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				callee := x.Name + "." + sel.Sel.Name
				if !scopeCalls[callee] || relDir == "analysis" || relDir == "refdata" ||
					strings.HasPrefix(callee, "refdata.") && relDir != "web" && relDir != "cmd/sufficiency" {
					return true
				}
				out = append(out, call{relDir, funcName(fd), callee, fset.Position(ce.Pos()).String()})
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// funcName is fd's name, Recv.Method for a method.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// TestScopeParsedOnce fails when a verb or a handler parses or resolves a
// scope outside the places scopeCallers names (a second parser of --la,
// a handler reading a region its own way, a capability resolving text), and
// when an entry of scopeCallers no longer matches a call (so the list stays
// true).
func TestScopeParsedOnce(t *testing.T) {
	calls := watchedCalls(t, moduleRoot(t))
	if len(calls) < 10 {
		t.Fatalf("found only %d scope calls; is the test reading the module?", len(calls))
	}
	seen := map[string]bool{}
	for _, c := range calls {
		seen[c.key()] = true
		if _, ok := scopeCallers[c.key()]; !ok {
			t.Errorf("%s: %s calls %s: a scope is parsed once at the edge (cmd/sufficiency scopeFlags, web/scopeparam.go) into an analysis.ScopeSpec and resolved once; pass the spec or the resolved analysis.Scope down instead (or add the call to scopeCallers with why)",
				c.pos, c.fn, c.callee)
		}
	}
	var stale []string
	for k := range scopeCallers {
		if !seen[k] {
			stale = append(stale, k)
		}
	}
	slices.Sort(stale)
	for _, k := range stale {
		t.Errorf("scopeCallers names %q, which no longer calls it: remove the entry", k)
	}
}

// TestScopeCheckBites: the scan finds a handler that parses a region its
// own way, in a file written as a verb would be.
func TestScopeCheckBites(t *testing.T) {
	root := t.TempDir()
	src := `package web

import "sufficiency/refdata"

func (h *pageHandlers) market(region string) string {
	r, _ := refdata.CanonicalRegion(region)
	return r
}
`
	if err := writeFile(filepath.Join(root, "web", "market.go"), src); err != nil {
		t.Fatal(err)
	}
	calls := watchedCalls(t, root)
	if len(calls) != 1 || calls[0].key() != "web pageHandlers.market refdata.CanonicalRegion" {
		t.Fatalf("calls %+v; want the handler's own region parse", calls)
	}
	if _, ok := scopeCallers[calls[0].key()]; ok {
		t.Fatal("the handler's own parse is allowed")
	}
}

// writeFile writes src to path, making its folder.
func writeFile(path, src string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(src), 0o644)
}
