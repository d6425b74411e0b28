package ingest

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

const council = "E08000003"

func openDB(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func tempDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db := openDB(t, filepath.Join(t.TempDir(), "ingest.db"))
	t.Cleanup(func() { db.Close() })
	return db
}

func mustRun(t *testing.T, st store.Store, paths []string, opt Options) Result {
	t.Helper()
	if opt.Council == "" {
		opt.Council = council
	}
	res, err := Run(context.Background(), st, paths, opt)
	if err != nil {
		t.Fatalf("Run(%v): %v", paths, err)
	}
	return res
}

func TestCleanImport(t *testing.T) {
	db := tempDB(t)
	var stages []string
	res := mustRun(t, db, []string{"testdata/clean"}, Options{Actor: "tester", Progress: func(stage string, done, total int64) {
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
	}})
	if res.ImportID == 0 || res.Errors != 0 || res.Children != 3 || res.Episodes != 4 {
		t.Fatalf("result %+v", res)
	}
	if !slices.Equal(res.Years, []int{2024, 2025}) {
		t.Errorf("years %v", res.Years)
	}
	if !slices.Equal(stages, []string{"read", "validate", "stitch", "store"}) {
		t.Errorf("progress stages %v", stages)
	}
	if len(res.Files) != 4 || len(res.Files[0].SHA256) != 64 || res.Files[0].Size == 0 {
		t.Errorf("files %+v", res.Files)
	}
	b, _ := os.ReadFile(res.Files[0].Path)
	if sum := sha256.Sum256(b); res.Files[0].SHA256 != string(hexOf(sum[:])) {
		t.Errorf("hash of %s is wrong", res.Files[0].Path)
	}
	// The open 2024 episode of 1001 is closed by the 2025 return.
	eps, err := db.Episodes(context.Background(), council)
	if err != nil {
		t.Fatal(err)
	}
	if eps[0].ChildID != "1001" || !eps[0].End.Equal(care.Date(2024, 7, 1)) || eps[0].ReasonEnded != "X1" {
		t.Errorf("first episode %+v", eps[0])
	}
	recs, _ := db.Imports(context.Background(), council)
	if len(recs) != 1 || recs[0].Actor != "tester" || recs[0].AcceptedErrors {
		t.Errorf("import record %+v", recs)
	}
}

func hexOf(b []byte) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return out
}

// TestSampleRefusedThenAccepted is the acceptance test of the issue: the
// cs-demand-model sample (five years, synthetic, with invalid values) is
// refused by a plain import and imported with AcceptErrors, 820 children.
func TestSampleRefusedThenAccepted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.db")
	db := openDB(t, path)
	defer db.Close()
	// In the domain's words without an edge's hints; in the CLI's with them.
	_, err := Run(context.Background(), db, []string{"testdata/cs-demand-model"}, Options{Council: council})
	if care.ErrorCode(err) != care.EREJECTED || strings.Contains(err.Error(), "--") || strings.Contains(err.Error(), "sufficiency ") ||
		!strings.Contains(err.Error(), "see the findings by rule code and fix the files, or import accepting errors") {
		t.Errorf("refusal without hints: %v", err)
	}
	res, err := Run(context.Background(), db, []string{"testdata/cs-demand-model"}, Options{Council: council,
		Hints: Hints{SeeFindings: "sufficiency validate", AcceptErrors: "--accept-errors"}})
	if care.ErrorCode(err) != care.EREJECTED {
		t.Fatalf("plain import: %v, want EREJECTED", err)
	}
	if res.Errors == 0 || res.ImportID != 0 || !strings.Contains(err.Error(), "sufficiency validate") || !strings.Contains(err.Error(), "--accept-errors") {
		t.Errorf("refusal: %+v / %v", res.Errors, err)
	}
	if cs, _ := db.Councils(context.Background()); len(cs) != 0 {
		t.Fatalf("a refused import stored %+v", cs)
	}

	res = mustRun(t, db, []string{"testdata/cs-demand-model"}, Options{AcceptErrors: true})
	if res.Children != 820 {
		t.Errorf("%d children, want 820", res.Children)
	}
	if len(res.Years) != 5 || res.Errors == 0 || len(res.LeftOut) != 0 {
		t.Errorf("years %v, errors %d, left out %v", res.Years, res.Errors, res.LeftOut)
	}
	if len(res.StitchRules) == 0 || len(res.StitchLines) == 0 {
		t.Error("no stitching rules reported")
	}
	fs, err := db.Findings(context.Background(), res.ImportID)
	if err != nil || len(fs) != len(res.Findings) {
		t.Errorf("findings stored: %d (%v), want %d", len(fs), err, len(res.Findings))
	}
	recs, _ := db.Imports(context.Background(), council)
	if len(recs) != 1 || !recs[0].AcceptedErrors || recs[0].Errors != res.Errors || recs[0].Warnings != res.Warnings {
		t.Errorf("import record %+v", recs[0])
	}
	children, _ := db.Children(context.Background(), council)
	if len(children) != 820 {
		t.Errorf("store holds %d children", len(children))
	}
}

func TestLeftOutRowsAreCounted(t *testing.T) {
	db := tempDB(t)
	_, err := Run(context.Background(), db, []string{"testdata/keys"}, Options{Council: council})
	if care.ErrorCode(err) != care.EREJECTED {
		t.Fatalf("plain import of unreadable keys: %v", err)
	}
	res := mustRun(t, db, []string{"testdata/keys"}, Options{AcceptErrors: true})
	want := []store.LeftOut{
		{Table: ssda903.Header, Reason: "CHILD is blank", Rows: 1},
		{Table: ssda903.Header, Reason: "DOB is not a date", Rows: 1},
		{Table: ssda903.Episodes, Reason: "CHILD is blank", Rows: 1},
		{Table: ssda903.Episodes, Reason: "DECOM is not a date", Rows: 1},
	}
	if !reflect.DeepEqual(res.LeftOut, want) {
		t.Errorf("left out:\n got  %+v\n want %+v", res.LeftOut, want)
	}
	rets, err := db.Returns(context.Background(), council, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rets[0].Table(ssda903.Episodes).Rows); n != 4 {
		t.Errorf("%d episode rows stored, want 4", n)
	}
	recs, _ := db.Imports(context.Background(), council)
	if !reflect.DeepEqual(recs[0].LeftOut, want) {
		t.Errorf("left out recorded: %+v", recs[0].LeftOut)
	}
	// Child 1004 lost its Header row (unreadable DOB) but keeps its episode:
	// it is known without a date of birth, never with a guessed one.
	children, _ := db.Children(context.Background(), council)
	for _, c := range children {
		if c.ID == "1004" && !c.DOB.IsZero() {
			t.Errorf("child 1004 has a guessed DOB %v", c.DOB)
		}
	}
}

func TestReimportReplacesExactlyThatYear(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, []string{"testdata/clean"}, Options{})
	before, err := db.Returns(context.Background(), council, []int{2024})
	if err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, db, []string{"testdata/fixed2025"}, Options{})
	if !slices.Equal(res.Replaced, []int{2025}) || !slices.Equal(res.Years, []int{2025}) {
		t.Errorf("years %v replaced %v", res.Years, res.Replaced)
	}
	if !slices.Equal(res.PreviousFromStore, []int{2025}) {
		t.Errorf("2025 was not validated against the stored 2024: %v", res.PreviousFromStore)
	}
	after, _ := db.Returns(context.Background(), council, []int{2024})
	if !reflect.DeepEqual(before, after) {
		t.Error("the 2024 return changed when 2025 was re-imported")
	}
	// The history is stitched from the stored 2024 and the new 2025: 1002
	// (2024 only) is still there, 1005 (new) has arrived.
	children, _ := db.Children(context.Background(), council)
	var ids []string
	for _, c := range children {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []string{"1001", "1002", "1003", "1005"}) {
		t.Errorf("children %v", ids)
	}
	cs, _ := db.Councils(context.Background())
	if len(cs) != 1 || !slices.Equal(cs[0].Years, []int{2024, 2025}) || cs[0].Imports != 2 {
		t.Errorf("councils %+v", cs)
	}
}

// TestRefusedImportLeavesDatabaseExactlyAsItWas checks a file that fails
// validation leaves the database file byte for byte as it was.
func TestRefusedImportLeavesDatabaseExactlyAsItWas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exact.db")
	db := openDB(t, path)
	mustRun(t, db, []string{"testdata/fixed2025"}, Options{})
	db.Close()
	hash := func() [32]byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	before := hash()
	db = openDB(t, path)
	_, err := Run(context.Background(), db, []string{"testdata/keys"}, Options{Council: council})
	if care.ErrorCode(err) != care.EREJECTED {
		t.Fatalf("got %v, want EREJECTED", err)
	}
	db.Close()
	if hash() != before {
		t.Error("the database file changed after a refused import")
	}
}

// TestRefusedImportAfterPreviousYear checks that when the previous year is
// read from the store to validate against, a refused import changes nothing
// but the audit log, which records that read.
func TestRefusedImportAfterPreviousYear(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, []string{"testdata/clean/2024"}, Options{Year: 2024})
	ctx := context.Background()
	cs1, _ := db.Councils(ctx)
	im1, _ := db.Imports(ctx, "")
	au1, _ := db.AuditLog(ctx, store.AuditFilter{})
	_, err := Run(store.WithActor(ctx, "refused"), db, []string{"testdata/keys"}, Options{Council: council})
	if care.ErrorCode(err) != care.EREJECTED {
		t.Fatalf("got %v, want EREJECTED", err)
	}
	cs2, _ := db.Councils(ctx)
	im2, _ := db.Imports(ctx, "")
	au2, _ := db.AuditLog(ctx, store.AuditFilter{})
	if !reflect.DeepEqual(cs1, cs2) || !reflect.DeepEqual(im1, im2) {
		t.Error("a refused import changed what is loaded")
	}
	if len(au2) != len(au1)+1 || au2[len(au2)-1].Action != store.ActionReadReturns || au2[len(au2)-1].Actor != "refused" {
		t.Errorf("audit log after a refused import: %+v", au2[len(au1):])
	}
}

func TestRunErrors(t *testing.T) {
	db := tempDB(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	cases := []struct {
		name  string
		paths []string
		opt   Options
		code  string
	}{
		{"ErrNoCouncil", []string{"testdata/clean"}, Options{}, care.EINVALID},
		{"ErrNoPaths", nil, Options{Council: council}, care.EINVALID},
		{"ErrMissingFile", []string{filepath.Join(dir, "nope.csv")}, Options{Council: council}, care.EUNUSABLE},
		{"ErrEmptyFile", []string{empty}, Options{Council: council}, care.EUNUSABLE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), db, c.paths, c.opt)
			if care.ErrorCode(err) != c.code {
				t.Errorf("got %v (%s), want %s", err, care.ErrorCode(err), c.code)
			}
		})
	}
	if cs, _ := db.Councils(context.Background()); len(cs) != 0 {
		t.Errorf("failed runs stored %+v", cs)
	}
}

// TestCheckWritesNothing: Check finds what an import would (the same
// findings as a refused import) and writes nothing, errors or not.
func TestCheckWritesNothing(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "check.db"))
	defer db.Close()
	refused, err := Run(context.Background(), db, []string{"testdata/cs-demand-model"}, Options{Council: council})
	if care.ErrorCode(err) != care.EREJECTED {
		t.Fatalf("plain import: %v", err)
	}
	for _, accept := range []bool{false, true} {
		res, err := Run(context.Background(), db, []string{"testdata/cs-demand-model"}, Options{Council: council, Check: true, AcceptErrors: accept})
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		if res.ImportID != 0 || res.Errors != refused.Errors || res.Warnings != refused.Warnings || len(res.Findings) != len(refused.Findings) || len(res.Years) != 5 {
			t.Errorf("check (accept %v): import %d, %d errors %d warnings; refused import found %d and %d", accept, res.ImportID, res.Errors, res.Warnings, refused.Errors, refused.Warnings)
		}
		if cs, _ := db.Councils(context.Background()); len(cs) != 0 {
			t.Fatalf("a check stored %+v", cs)
		}
	}
}
