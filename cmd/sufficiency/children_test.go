package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/ingest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

// importClean imports the clean fixture into a new database and returns its path.
func importClean(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "children.db")
	if _, errOut, code := runCLI(t, nil, "import", ingestData+"clean", "--la", "E08000003", "--db", db); code != 0 {
		t.Fatalf("import: code %d %s", code, errOut)
	}
	return db
}

func TestChildrenFormats(t *testing.T) {
	db := importClean(t)
	getenv := envWith("SUFFICIENCY_DB", db, "SUFFICIENCY_ACTOR", "reader1")

	out, _, code := runCLI(t, getenv, "children", "--la", "e08000003")
	if code != 0 || !strings.Contains(out, "3 children of E08000003") || !strings.Contains(out, "1001") {
		t.Errorf("text: code %d\n%s", code, out)
	}

	// The council's name and its DfE 3-digit code name the same council.
	for _, la := range []string{"Manchester", " manchester ", "352"} {
		if out, errOut, code := runCLI(t, getenv, "children", "--la", la); code != 0 || !strings.Contains(out, "3 children of E08000003") {
			t.Errorf("--la %q: code %d %s\n%s", la, code, errOut, out)
		}
	}

	out, _, code = runCLI(t, getenv, "children", "--la", "E08000003", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 4 {
		t.Fatalf("csv: code %d, %v, %d rows\n%s", code, err, len(rows), out)
	}
	if strings.Join(rows[0], ",") != "council,child,sex,dob,ethnicity,upn,uasc,uasc_ended,needs_tier,risks" {
		t.Errorf("csv header %v", rows[0])
	}
	if got := strings.Join(rows[1], ","); got != "E08000003,1001,M,2012-06-15,WBRI,A123456789012,N,,0," {
		t.Errorf("csv row %s", got)
	}

	out, _, code = runCLI(t, getenv, "children", "--la", "E08000003", "--format", "json")
	var recs []ingest.ChildRecord
	if err := json.Unmarshal([]byte(out), &recs); code != 0 || err != nil || len(recs) != 3 || recs[2].Child != "1003" || recs[2].Sex != "F" {
		t.Errorf("json: code %d, %v, %+v", code, err, recs)
	}

	// --actor names someone else for one command.
	if _, errOut, code := runCLI(t, getenv, "children", "--la", "E08000003", "--actor", "analyst2"); code != 0 {
		t.Fatalf("--actor: code %d %s", code, errOut)
	}

	// Every read was audited under $SUFFICIENCY_ACTOR, or the --actor given.
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ev, _ := st.AuditLog(context.Background(), store.AuditFilter{Actor: "reader1", Action: store.ActionReadChildren})
	if len(ev) != 6 { // three formats and three ways of naming the council
		t.Errorf("%d audited reads by reader1, want 6", len(ev))
	}
	if ev, _ := st.AuditLog(context.Background(), store.AuditFilter{Actor: "analyst2", Action: store.ActionReadChildren}); len(ev) != 1 {
		t.Errorf("%d audited reads by analyst2, want 1", len(ev))
	}
}

func TestChildrenErrors(t *testing.T) {
	db := importClean(t)
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"ErrNoCouncil", []string{"children", "--db", db}, 2},
		{"ErrUnknownCouncil", []string{"children", "--la", "E09000001", "--db", db}, 2},
		{"ErrNoDatabase", []string{"children", "--la", "E08000003", "--db", filepath.Join(t.TempDir(), "none.db")}, 2},
		{"ErrBadFormat", []string{"children", "--la", "E08000003", "--db", db, "--format", "xlsx"}, 2},
		{"ErrArgument", []string{"children", "E08000003", "--db", db}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, errOut, code := runCLI(t, nil, c.args...); code != c.code {
				t.Errorf("code %d, want %d (%s)", code, c.code, errOut)
			}
		})
	}
}
