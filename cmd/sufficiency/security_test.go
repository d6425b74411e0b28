package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/web"
)

// Issue 15 item 5: a council not in the embedded register is refused on
// every entry point that takes one, and nothing is written.
func TestUnknownCouncilRefusedEverywhere(t *testing.T) {
	db := importClean(t)
	for _, args := range [][]string{
		{"import", ingestData + "clean", "--la", "Hartlepol", "--db", db},
		{"import", ingestData + "clean", "--la", "E99999999", "--db", db},
		{"validate", ingestData + "clean", "--la", "E99999999"},
		{"children", "--la", "E99999999", "--db", db},
		{"forecast", "--la", "Hartlepol", "--db", db},
		{"offer", "list", "--council", "E99999999", "--db", db},
		{"offer", "declines", "--council", "E99999999", "--db", db},
	} {
		_, err := runCLIErr(t, nil, args...)
		code, errOut := exitCode(err), errText(err)
		if code != 2 || !strings.Contains(errOut, "no English children's services council has the code or name") {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
	out, _, code := runCLI(t, nil, "status", "--db", db)
	if code != 0 || strings.Contains(out, "E99999999") || strings.Contains(out, "Hartlepol") || !strings.Contains(out, "1 council") {
		t.Errorf("status after refused imports: code %d\n%s", code, out)
	}
	// A name or DfE code of a real council is stored under its ONS code.
	db2 := filepath.Join(t.TempDir(), "named.db")
	if out, errOut, code := runCLI(t, nil, "import", ingestData+"clean", "--la", "manchester", "--db", db2); code != 0 || !strings.Contains(out, "Imported E08000003") {
		t.Errorf("import --la manchester: code %d %s %s", code, out, errOut)
	}
}

// A folder named for one council imported as another says so, instead of
// "no SSDA903 table was found".
func TestImportFolderOfAnotherCouncil(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "E06000002")
	for _, y := range []string{"2024", "2025"} {
		if err := os.MkdirAll(filepath.Join(dir, y), 0o755); err != nil {
			t.Fatal(err)
		}
		ents, err := os.ReadDir(filepath.Join(ingestData+"clean", y))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			b, err := os.ReadFile(filepath.Join(ingestData+"clean", y, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, y, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, err := runCLIErr(t, nil, "import", dir, "--la", "Hartlepool", "--db", filepath.Join(t.TempDir(), "x.db"))
	code, errOut := exitCode(err), errText(err)
	if code != 2 || !strings.Contains(errOut, "in a folder for council E06000002, not E06000001") || !strings.Contains(errOut, "check --la Hartlepool") {
		t.Errorf("code %d: %s", code, errOut)
	}
}

// Issue 15 item 10: a named pipe given as input is refused at once (it used
// to hang, deaf to SIGTERM, waiting for a writer).
func TestFIFOInputRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "episodes.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	folder := filepath.Join(dir, "E08000003")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(folder, "header.csv"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate", fifo, "--la", "E08000003"},
		{"import", fifo, "--la", "E08000003", "--db", filepath.Join(dir, "x.db")},
		{"validate", folder, "--la", "E08000003"},
		{"match", "--referral", fifo, "--supply", fifo},
		{"review", "--la", "E08000003", "--db", filepath.Join(dir, "x.db"), "--distance-reasons", fifo},
	} {
		done := make(chan [2]string, 1)
		go func() {
			_, err := runCLIErr(t, nil, args...)
			done <- [2]string{errText(err), strings.Repeat("x", exitCode(err))}
		}()
		select {
		case r := <-done:
			if r[1] == "" {
				t.Errorf("%v: exit 0", args)
			}
			if args[1] != folder && !strings.Contains(r[0], "not a regular file") && !strings.Contains(r[0], "no CSV or XML") {
				t.Errorf("%v: %s", args, r[0])
			}
		case <-time.After(10 * time.Second):
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
			t.Fatalf("%v hung on a FIFO", args)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Issue 15 item 6: validate of a file with many bad rows lists at most
// rules.DefaultMaxPerRule per rule, counts the rest exactly, and writes
// valid JSON one finding at a time.
func TestValidateCapsFindingsPerRule(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "2025")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n")
	const rows = 3000
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "junk%d,xx/yy/zzzz,Q,ZZ,N9,W9,PRX,,,,,,\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "episodes.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCLIErr(t, nil, "validate", dir, "--la", "E08000003", "--format", "json", "--postcodes=false")
	if exitCode(err) != 1 {
		t.Fatalf("exit %d: %v", exitCode(err), err)
	}
	var rep struct {
		Returns []struct {
			Errors int `json:"errors"`
		} `json:"returns"`
		Findings []ssda903.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%.500s", err, out)
	}
	listed, total := map[string]int{}, map[string]int{}
	errs := 0
	for _, f := range rep.Findings {
		total[f.RuleCode] += f.Count()
		if f.More == 0 {
			listed[f.RuleCode]++
		}
		if f.Severity == ssda903.SeverityError {
			errs += f.Count()
		}
	}
	if total["141"] != rows || listed["141"] != rules.DefaultMaxPerRule {
		t.Errorf("rule 141: %d listed of %d, want %d of %d", listed["141"], total["141"], rules.DefaultMaxPerRule, rows)
	}
	for code, n := range listed {
		if n > rules.DefaultMaxPerRule {
			t.Errorf("rule %s: %d listed", code, n)
		}
	}
	if len(rep.Returns) != 1 || rep.Returns[0].Errors != errs || !strings.Contains(err.Error(), fmt.Sprintf("%d validation errors", errs)) {
		t.Errorf("errors: report %+v, findings %d, %v", rep.Returns, errs, err)
	}
	text, _ := runCLIErr(t, nil, "validate", dir, "--la", "E08000003", "--postcodes=false")
	if !strings.Contains(text, "141 error ×3000") || !strings.Contains(text, fmt.Sprintf("… and %d more (only the first %d rows of a rule are kept", rows-10, rules.DefaultMaxPerRule)) {
		t.Errorf("text report:\n%.1500s", text)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := web.ParseTrustedProxies(" 10.0.0.5, 192.168.0.0/24,::1 ")
	if err != nil || len(got) != 3 || got[0].String() != "10.0.0.5/32" || got[1].String() != "192.168.0.0/24" || got[2].String() != "::1/128" {
		t.Errorf("%v %v", got, err)
	}
	if got, err := web.ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
	for _, bad := range []string{"proxy.example", "10.0.0.300", "10.0.0.0/40"} {
		if _, err := web.ParseTrustedProxies(bad); exitCode(err) != 2 {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
