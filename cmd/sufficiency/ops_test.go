package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/store/sqlite"
)

func TestBackupRestoreMigrate(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if _, stderr, code := runCLI(t, nil, "import", ingestData+"clean", "--la", "E08000003", "--db", db); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	before, _, _ := runCLI(t, nil, "status", "--db", db, "--format", "json")

	backup := filepath.Join(dir, "b.db")
	if out, stderr, code := runCLI(t, nil, "backup", "--db", db, "--out", backup); code != 0 || !strings.Contains(out, "Backed up") {
		t.Fatalf("backup: exit %d %s %s", code, out, stderr)
	}
	if _, err := runCLIErr(t, nil, "backup", "--db", db, "--out", backup); exitCode(err) != 2 || !strings.Contains(care.ErrorMessage(err), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if _, err := runCLIErr(t, nil, "backup", "--db", "postgres://u@127.0.0.1:1/x", "--out", filepath.Join(dir, "p.db")); exitCode(err) != 2 || !strings.Contains(care.ErrorMessage(err), "pg_dump") {
		t.Errorf("backup of PostgreSQL: %v", err)
	}

	restored := filepath.Join(dir, "restored.db")
	if out, stderr, code := runCLI(t, nil, "restore", backup, "--db", restored); code != 0 || !strings.Contains(out, "1 councils") {
		t.Fatalf("restore: exit %d %s %s", code, out, stderr)
	}
	if after, _, _ := runCLI(t, nil, "status", "--db", restored, "--format", "json"); strings.ReplaceAll(after, restored, db) != before {
		t.Errorf("restored status differs:\n%s\nwant\n%s", after, before)
	}
	if _, err := runCLIErr(t, nil, "restore", backup, "--db", restored); exitCode(err) != 2 || !strings.Contains(care.ErrorMessage(err), "--force") {
		t.Errorf("restore over a database without --force: %v", err)
	}
	if _, _, code := runCLI(t, nil, "restore", backup, "--db", restored, "--force"); code != 0 {
		t.Errorf("restore --force: exit %d", code)
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database at all, just some bytes that are long enough to look like a file"), 0o600)
	if _, err := runCLIErr(t, nil, "restore", junk, "--db", filepath.Join(dir, "x.db")); exitCode(err) != 2 {
		t.Errorf("restore of a file that is no database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a refused restore left a database behind")
	}

	fresh := filepath.Join(dir, "fresh.db")
	if _, err := runCLIErr(t, nil, "migrate", "status", "--db", fresh); exitCode(err) != 2 {
		t.Errorf("migrate status of no database: %v", err)
	}
	out, _, code := runCLI(t, nil, "migrate", "--db", fresh)
	if code != 0 || !strings.Contains(out, "0002") || !strings.Contains(out, "scoped reads") || !strings.Contains(out, "is up to date") || strings.Contains(out, "pending") {
		t.Errorf("migrate: exit %d\n%s", code, out)
	}
	if out, _, code := runCLI(t, nil, "migrate", "status", "--db", fresh); code != 0 || !strings.Contains(out, "is up to date") {
		t.Errorf("migrate status: exit %d\n%s", code, out)
	}
}

func TestErase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "e.db")
	if _, stderr, code := runCLI(t, nil, "import", ingestData+"clean", "--la", "E08000003", "--db", db); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	kids, _, _ := runCLI(t, nil, "children", "--la", "E08000003", "--db", db, "--format", "csv")
	lines := strings.Split(strings.TrimSpace(kids), "\n")
	if len(lines) < 2 {
		t.Fatalf("children: %s", kids)
	}
	child := strings.Split(lines[1], ",")[1]
	if _, err := runCLIErr(t, nil, "erase", "--la", "E08000003", "--child", child, "--db", db); exitCode(err) != 2 {
		t.Errorf("erase without a reason: %v", err)
	}
	out, err := runCLIErr(t, envWith("SUFFICIENCY_ACTOR", "dpo"), "erase", "--la", "352", "--child", child, "--reason", "SAR 2026/17", "--db", db)
	if err != nil || !strings.Contains(out, "Erased child "+child) {
		t.Fatalf("erase %s: %v %s", child, err, out)
	}
	if after, _, _ := runCLI(t, nil, "children", "--la", "E08000003", "--db", db, "--format", "csv"); strings.Contains(after, ","+child+",") {
		t.Errorf("child %s still listed:\n%s", child, after)
	}
	if _, err := runCLIErr(t, nil, "erase", "--la", "E08000003", "--child", child, "--reason", "again", "--db", db); exitCode(err) != 2 {
		t.Errorf("second erase: %v (want not found, exit 2)", err)
	}
}

func TestEraseRetention(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, nil, "synth", "--out", dir+"/r", "--la", "E06000001", "--from", "2024", "--to", "2025"); code != 0 {
		t.Fatalf("synth: %s", stderr)
	}
	db := filepath.Join(dir, "r.db")
	if _, stderr, code := runCLI(t, nil, "import", dir+"/r/E06000001", "--la", "E06000001", "--db", db); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	out, err := runCLIErr(t, nil, "erase", "--la", "E06000001", "--left-before", "2024-10-01", "--reason", "policy R1", "--db", db)
	if err != nil || !strings.Contains(out, "who left care before 1 October 2024") || strings.Contains(out, "Erased 0 ") {
		t.Fatalf("retention: %v %s", err, out)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	eps, err := st.Episodes(context.Background(), "E06000001")
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, e := range eps {
		if e.End.IsZero() || !e.End.Before(care.Date(2024, 10, 1)) {
			keep[e.ChildID] = true
		}
	}
	for _, e := range eps {
		if !keep[e.ChildID] {
			t.Fatalf("child %s left care before the date and is still held", e.ChildID)
		}
	}
	if len(keep) == 0 {
		t.Fatal("every child was erased")
	}
	if out, err := runCLIErr(t, nil, "erase", "--la", "E06000001", "--left-before", "2024-10-01", "--reason", "policy R1", "--db", db); err != nil || !strings.Contains(out, "Erased 0 ") {
		t.Errorf("second run: %v %s", err, out)
	}
}
