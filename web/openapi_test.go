package web

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRouter: every /api/v1 route registered in routes.go is
// described in /api/openapi.json and nothing else is, each with its path
// parameters and problem+json errors; the document is served and parses.
func TestOpenAPIMatchesRouter(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	var registered []string
	for _, m := range regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		registered = append(registered, m[1]+" "+m[2])
	}
	if len(registered) < 10 {
		t.Fatalf("found only %d API routes in routes.go: is the pattern still right?", len(registered))
	}
	f := newFixture(t)
	w := f.do(t, "GET", "/api/openapi.json", nil, nil)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name, In string
				Required bool
			}
			Responses map[string]struct {
				Content map[string]any
			}
		}
		Components struct {
			Schemas map[string]any
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	var described []string
	ids := map[string]bool{}
	for path, item := range doc.Paths {
		for method, op := range item {
			described = append(described, strings.ToUpper(method)+" "+path)
			if ids[op.OperationID] {
				t.Errorf("operationId %s twice", op.OperationID)
			}
			ids[op.OperationID] = true
			for _, m := range regexp.MustCompile(`\{([a-z]+)\}`).FindAllStringSubmatch(path, -1) {
				found := false
				for _, p := range op.Parameters {
					found = found || p.Name == m[1] && p.In == "path" && p.Required
				}
				if !found {
					t.Errorf("%s %s: path parameter %s not described", method, path, m[1])
				}
			}
			for _, code := range []string{"400", "401", "403", "404", "500"} {
				if _, ok := op.Responses[code].Content["application/problem+json"]; !ok {
					t.Errorf("%s %s: no problem+json %s", method, path, code)
				}
			}
		}
	}
	sort.Strings(registered)
	sort.Strings(described)
	if strings.Join(registered, "\n") != strings.Join(described, "\n") {
		t.Errorf("routes and description differ: describe every /api/v1 route in apiOps (web/openapi.go)\nonly registered: %v\nonly described: %v", minus(registered, described), minus(described, registered))
	}
	// Every $ref resolves.
	for _, m := range regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(w.Body.String(), -1) {
		if _, ok := doc.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to missing schema %s", m[1])
		}
	}
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}

// TestAPISnakeCase: the JSON of the API's pages has only snake_case keys
// (table rows are keyed by column keys, never labels such as "%" or "Of").
func TestAPISnakeCase(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "admin")
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				// labels maps keys to the display labels: its values are text.
				if !snake.MatchString(k) {
					t.Errorf("%s: key %q is not snake_case", path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path, e)
			}
		}
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/councils", "/api/v1/councils/" + hartlepool + "/picture", "/api/v1/councils/" + hartlepool + "/review",
		"/api/v1/regions/North%20East/picture", "/api/v1/england/picture", "/api/v1/market", "/api/v1/forecasts", "/api/v1/backtest", "/api/v1/imports"} {
		w := f.do(t, "GET", p, nil, withCookie(c))
		if w.Code != 200 {
			t.Errorf("%s: %d", p, w.Code)
			continue
		}
		var v any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		walk(p, v)
	}
}

func TestColumnKey(t *testing.T) {
	for in, want := range map[string]string{"%": "pct", "Of": "of", "Weekly cost": "weekly_cost", "Over £10,000 a week": "over_gbp_10_000_a_week", "3+ placements": "c_3_plus_placements", "": "column", "Hartlepool (this data)": "hartlepool_this_data"} {
		if got := columnKey(in); got != want {
			t.Errorf("columnKey(%q) = %q, want %q", in, got, want)
		}
	}
}
