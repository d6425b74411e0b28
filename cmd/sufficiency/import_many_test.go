package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/store/sqlite"
)

// TestImportManyCouncils imports a synth region of two councils and a
// council whose files have validation errors in one command: each council
// in its own transaction, a line per council, the refused one named and
// the others imported.
func TestImportManyCouncils(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "region")
	if _, stderr, code := runCLI(t, nil, "synth", "--out", region, "--la", "E06000001,E06000002", "--from", "2024", "--to", "2025"); code != 0 {
		t.Fatalf("synth: %s", stderr)
	}
	db := filepath.Join(dir, "r.db")
	out, stderr, code := runCLI(t, nil, "import", region, "--db", db)
	if code != 0 || !strings.Contains(out, "Imported 2 of 2 councils") || !strings.Contains(stderr, "[1/2] E06000") || !strings.Contains(stderr, "[2/2] E06000") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}

	bad := filepath.Join(dir, "more", "E08000003")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("cp", "-r", ingestData+"cs-demand-model/.", bad).Run(); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runCLI(t, nil, "import", region, filepath.Join(dir, "more"), "--db", db, "--format", "json")
	if code != 1 || !strings.Contains(stderr, "E08000003 Manchester: refused") || !strings.Contains(out, `"imported": false`) {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sums, err := st.Councils(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 || sums[0].Imports != 2 || sums[1].Imports != 2 {
		t.Errorf("councils %+v: want the two synth councils imported twice and Manchester not at all", sums)
	}

	for _, bad := range [][]string{{filepath.Join(dir, "r.db")}, {ingestData + "clean"}} {
		if _, err := runCLIErr(t, nil, append([]string{"import", "--db", db}, bad...)...); exitCode(err) != 2 || !strings.Contains(care.ErrorMessage(err), "--la") {
			t.Errorf("import %v: %v", bad, err)
		}
	}
}
