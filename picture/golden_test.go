package picture

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"sufficiency/tabular"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestTablesGolden checks every table of the fixture's picture, open and
// published, against testdata/*.golden (refresh with go test -update).
func TestTablesGolden(t *testing.T) {
	p := Compute(fixture(), at)
	for _, tc := range []struct {
		name    string
		publish bool
	}{{"fixture.golden", false}, {"fixture-publish.golden", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tabular.WriteText(&b, p.Tables(tc.publish)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("tables differ from %s (run go test -update after checking the change):\n%s", path, b.String())
			}
		})
	}
}
