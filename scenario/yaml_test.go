package scenario

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"sufficiency/care"
)

// TestYAMLExample: the example is accepted as YAML as written
// (JSON is YAML's flow style), and the same scenario written in block YAML
// (testdata/example.yaml) parses to the same thing.
func TestYAMLExample(t *testing.T) {
	js, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(js, "example.json")
	if err != nil {
		t.Fatal(err)
	}
	asYAML, err := ParseYAML(js, "example.yaml")
	if err != nil {
		t.Fatalf("the JSON example read as YAML: %v", err)
	}
	if !reflect.DeepEqual(asYAML, want) {
		t.Errorf("the JSON example read as YAML differs:\n%+v\n%+v", asYAML, want)
	}
	y, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"example.yaml", "example.yml", "example"} {
		got, err := Parse(y, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs from example.json:\n%+v\n%+v", name, got, want)
		}
	}
}

// TestYAMLScalars: plain scalars are typed by the YAML 1.2 core schema
// (what the field receives shows it), quoted ones are always text.
func TestYAMLScalars(t *testing.T) {
	for in, want := range map[string]string{
		`a: 12`:                            `{"a":12}`,
		`a: -0.20`:                         `{"a":-0.2}`,
		`a: +.5`:                           `{"a":0.5}`,
		`a: 1e3`:                           `{"a":1000}`,
		`a: 0x1F`:                          `{"a":31}`,
		`a: 0o17`:                          `{"a":15}`,
		`a: 007`:                           `{"a":7}`,
		`a: -0`:                            `{"a":0}`,
		`a: 18446744073709551615`:          `{"a":18446744073709551615}`,
		`a: true`:                          `{"a":true}`,
		`a: False`:                         `{"a":false}`,
		`a: ~`:                             `{"a":null}`,
		`a:`:                               `{"a":null}`,
		`a: null`:                          `{"a":null}`,
		`a: 2025-04-01`:                    `{"a":"2025-04-01"}`,
		`a: yes`:                           `{"a":"yes"}`, // YAML 1.1's booleans are text in 1.2
		`a: NE8`:                           `{"a":"NE8"}`,
		`a: "12"`:                          `{"a":"12"}`,
		`a: 'it''s'`:                       `{"a":"it's"}`,
		`a: "\u00e9\t\""`:                  `{"a":"é\u0009\""}`,
		`a: x#y`:                           `{"a":"x#y"}`,
		`a: x # note`:                      `{"a":"x"}`,
		`a: http://x`:                      `{"a":"http://x"}`,
		`"a b": 1`:                         `{"a b":1}`,
		`a: [1, "x", y]`:                   `{"a":[1,"x","y"]}`,
		`a: {b: 1, "c":2}`:                 `{"a":{"b":1,"c":2}}`,
		`a: []`:                            `{"a":[]}`,
		"a:\n- 1\n- 2\nb: 3":               `{"a":[1,2],"b":3}`,
		"a:\n  - 1\n  -\n  - [2]":          `{"a":[1,null,[2]]}`,
		"a:\n  - b: 1\n    c: 2\n  - b: 3": `{"a":[{"b":1,"c":2},{"b":3}]}`,
		"a:\n  b:\n    c: 1\n  d: 2":       `{"a":{"b":{"c":1},"d":2}}`,
		"---\na: 1\n...\n":                 `{"a":1}`,
		"# c\n\na: 1 # c\n\n# c\n":         `{"a":1}`,
		"\xef\xbb\xbfa: 1\r\nb: 2\r\n":     `{"a":1,"b":2}`,
		"a: {b: [1,\n  2],\n c: 3}":        `{"a":{"b":[1,2],"c":3}}`,
		"a:\n  \t# a tab before a comment\n  b: 1": `{"a":{"b":1}}`,
	} {
		got, _, err := yamlToJSON([]byte(in))
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if string(got) != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestYAMLErrors: what a scenario file does not use, and broken YAML, is
// refused with the line and column, never half-read.
func TestYAMLErrors(t *testing.T) {
	for in, want := range map[string]string{
		"a: 1\n\tb: 2":                "line 2, column 1: a tab in indentation",
		"a: &x 1\nb: *x":              "line 1, column 4: anchors and aliases",
		"a: *x":                       "line 1, column 4: anchors and aliases",
		"a: !!int 1":                  "line 1, column 4: tags",
		"a: |\n  text":                "line 1, column 4: block text",
		"a: >\n  text":                "line 1, column 4: block text",
		"%YAML 1.2\n---\na: 1":        "line 1, column 1: YAML directives",
		"a: 1\na: 2":                  `line 2, column 1: "a" given twice (first on line 1)`,
		"a: {b: 1, b: 2}":             `line 1, column 11: "b" given twice`,
		"a: 1\n---\na: 2":             "line 2, column 1: a second document",
		"a: [1, 2":                    `line 1, column 4: '[' is never closed with ']'`,
		"a: {b: 1\n":                  `line 1, column 4: '{' is never closed`,
		"a: [\"1\" 2]":                `line 1, column 9: expected "," or ']'`,
		"a:\n  b:\n    c: 1\n   d: 2": "line 4, column 4: indented more than the keys above it",
		"a:\n  - b: 1\n   - 2":        "line 3, column 4: indented more than the list's dashes",
		"a: [1,,2]":                   "line 1, column 7: a value is missing",
		`a: "open`:                    "line 1, column 4: quoted text is not closed",
		`a: 'open`:                    "line 1, column 4: quoted text is not closed",
		`a: "\q"`:                     `line 1, column 5: unknown escape \q`,
		"a: long\n  text":             "line 2, column 3: indented under a key that already has a value",
		"a:\n  b: 1\n   c: 2":         "line 3, column 4: indented under a key that already has a value",
		"a:\n  - 1\n   - 2":           "line 3, column 4: text continued on another line",
		"a: b: c":                     "line 1, column 5: a second colon",
		"a: - 1":                      "line 1, column 4: a list cannot start on its key's line",
		"a: [1] x":                    "line 1, column 8: text after a closing bracket",
		"a":                           "",
		"a: 1\nb":                     `line 2, column 2: expected ": " after the key "b"`,
		"- a: 1\nb: 2":                "line 2, column 1: unexpected text after the scenario",
		"":                            "line 1, column 1: the file is empty",
		"# only a comment\n":          "the file is empty",
		"a: .inf":                     "infinity and not-a-number",
		"a: 99999999999999999999":     "too large a number",
		"a: -9223372036854775809":     "too large a number",
		"a: \xff":                     "not UTF-8",
		"? a\n: 1":                    "complex keys",
		"a: @x":                       "cannot start a plain value",
	} {
		_, _, err := yamlToJSON([]byte(in))
		if want == "" {
			// a lone scalar is YAML; Parse refuses it as not a scenario
			if _, perr := ParseYAML([]byte(in), "s.yaml"); perr == nil || !strings.Contains(perr.Error(), "not a scenario") {
				t.Errorf("%q: got %v, want not a scenario", in, perr)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error with %q", in, err, want)
		}
	}
}

// TestYAMLScenarioErrors: the scenario's own checks speak of YAML lines and
// field paths, with the file's name and EINVALID.
func TestYAMLScenarioErrors(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"unknown field": {"name: a\nscope: {la: X}\nlevers:\n  - lever: entry_rate\n    change: -0.1\n  - lever: recruit_foster\n    housholds_per_year: 3\n",
			"levers[1].housholds_per_year: unknown field"},
		"type":      {"name: a\nscope:\n  la: X\nyears: five\nlevers: []\n", "years: expected int, got string (line 4)"},
		"type deep": {"name: a\nscope:\n  la: X\nlevers:\n  - lever: entry_rate\n    change: -0.1\n    ages: [10, ten]\n", "levers.ages: expected int, got string (line 7)"},
		"missing":   {"name: a\nscope: {la: X}\nlevers:\n- lever: exit_rate\n  change: 0.1\n", "levers[0].to: lever exit_rate needs to"},
		"syntax":    {"name: a\nscope: {la: X\nlevers: []\n", "s.yaml: line 3, column 1: expected \",\" or '}': is the '{' on line 2 closed?"},
		"list":      {"- name: a\n", "not a scenario"},
		"date":      {"name: a\nscope: {la: X}\nlevers:\n- lever: entry_rate\n  change: -0.1\n  start: 1/4/2025\n", "levers[0].start:"},
	} {
		_, err := Parse([]byte(c.in), "s.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "s.yaml: ") {
			t.Errorf("%s: got %v, want an error with %q", name, err, c.want)
			continue
		}
		if e, ok := err.(*care.Error); !ok || e.Code != care.EINVALID {
			t.Errorf("%s: %T %v, want EINVALID", name, err, err)
		}
	}
}

// FuzzYAML: any input gives JSON or an error with a line, never a panic.
func FuzzYAML(f *testing.F) {
	for _, s := range []string{"a: 1", "a:\n- [1, {b: 2}]\n", "{\"name\": \"x\",\n \"levers\": []}", "a: 'x''y'\n# c\n", "- - a\n  - b\n"} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/example.yaml"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _, err := yamlToJSON(in)
		if err != nil {
			if _, ok := err.(*yamlError); !ok {
				t.Fatalf("%q: error %T %v without a line", in, err, err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%q gave invalid JSON %s", in, out)
		}
	})
}
