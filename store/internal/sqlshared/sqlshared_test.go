package sqlshared

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/workflow"
)

func TestCheckReferral(t *testing.T) {
	entry := func(p, v string) workflow.Entry { return workflow.Entry{ProvisionID: p, VacancyID: v} }
	ok := workflow.SentReferral{Reference: "R1"}
	tests := []struct {
		name  string
		r     workflow.SentReferral
		group int
		list  []workflow.Entry
		code  string
		msg   string
	}{
		{"fine", ok, 1, []workflow.Entry{entry("P1", "V1")}, "", ""},
		{"no reference", workflow.SentReferral{Reference: " "}, 1, []workflow.Entry{entry("P1", "V1")}, care.EINVALID, "the referral has no reference: use workflow.NewReference"},
		{"empty shortlist", ok, 1, nil, care.EINVALID, "referral R1: the shortlist is empty; send it to at least one eligible provision"},
		{"no places", ok, 0, []workflow.Entry{entry("P1", "V1")}, care.EINVALID, "referral R1: 0 places needed; give 1 (the child) to 13 (with 12 siblings)"},
		{"too many places", ok, 14, []workflow.Entry{entry("P1", "V1")}, care.EINVALID, "referral R1: 14 places needed; give 1 (the child) to 13 (with 12 siblings)"},
		{"no vacancy", ok, 1, []workflow.Entry{entry("P1", "")}, care.EINVALID, "referral R1: a shortlist entry has no provision or vacancy id"},
		{"twice", ok, 2, []workflow.Entry{entry("P1", "V1"), entry("P1", "V2")}, care.EINVALID, "referral R1: provision P1 is on the shortlist twice; list each once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := workflow.CheckReferral(tt.r, tt.group, tt.list)
			if tt.code == "" {
				if err != nil || len(data) == 0 {
					t.Fatalf("CheckReferral = %q, %v; want the JSON, no error", data, err)
				}
				var back workflow.Sent
				if err := Sent("R1", "open", string(data), &back); err != nil || back.Referral.Reference != "R1" || back.Status != workflow.ReferralOpen {
					t.Fatalf("Sent = %+v, %v", back, err)
				}
				return
			}
			if care.ErrorCode(err) != tt.code || care.ErrorMessage(err) != tt.msg {
				t.Fatalf("CheckReferral error = %s %q; want %s %q", care.ErrorCode(err), care.ErrorMessage(err), tt.code, tt.msg)
			}
		})
	}
}

func TestErrNoVacancy(t *testing.T) {
	tests := []struct {
		group int
		start string
		want  string
	}{
		{1, "", "provision P has no vacancy with a place free any more"},
		{3, "2026-01-05", "provision P has no vacancy with 3 places together free by 2026-01-05 any more"},
	}
	for _, tt := range tests {
		err := workflow.ErrNoVacancy("P", tt.group, tt.start)
		if care.ErrorCode(err) != care.ECONFLICT || care.ErrorMessage(err)[:len(tt.want)] != tt.want {
			t.Errorf("ErrNoVacancy(P, %d, %q) = %v; want ECONFLICT starting %q", tt.group, tt.start, err, tt.want)
		}
	}
}

func TestWhere(t *testing.T) {
	f := workflow.Filter{Reference: "R1", Status: workflow.ReferralOpen, ProvisionID: "P1"}
	tests := []struct {
		name        string
		placeholder func(int) string
		first, want string
	}{
		{"sqlite", Question, "WHERE 1=1", "WHERE 1=1 AND r.reference = ? AND r.status = ? AND EXISTS (SELECT 1 FROM offers x WHERE x.referral = r.reference AND x.provision_id = ?)"},
		{"postgres", Dollar, "WHERE true", "WHERE true AND r.reference = $1 AND r.status = $2 AND EXISTS (SELECT 1 FROM offers x WHERE x.referral = r.reference AND x.provision_id = $3)"},
	}
	for _, tt := range tests {
		w := ReferralWhere(f, tt.first, tt.placeholder)
		if w.String() != tt.want || !reflect.DeepEqual(w.Args, []any{"R1", "open", "P1"}) {
			t.Errorf("%s: ReferralWhere = %q %v; want %q [R1 open P1]", tt.name, w.String(), w.Args, tt.want)
		}
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := DeclineWhere(workflow.DeclineFilter{From: from, Provider: "X"}, Dollar, func(t time.Time) any { return store.TimeString(t) })
	if want := "WHERE o.status = 'declined' AND o.responded_at >= $1 AND o.provider = $2"; w.String() != want ||
		!reflect.DeepEqual(w.Args, []any{store.TimeString(from), "X"}) {
		t.Errorf("DeclineWhere = %q %v; want %q", w.String(), w.Args, want)
	}
}

// row is a one-row result whose Scan sets each destination from values.
type row []any

func (r row) Scan(dest ...any) error {
	for i, d := range dest {
		reflect.ValueOf(d).Elem().Set(reflect.ValueOf(r[i]))
	}
	return nil
}

func TestCodecs(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 8000, time.FixedZone("x", 3600))
	day := care.Date(2026, 3, 4)
	ptr := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name           string
		c              Codec
		instant, date  any // as scanned
		noneI, noneD   any // NULL as scanned
		encInst, encDt any // at and day encoded
		encTrue        any
	}{
		{"text", Text, store.TimeString(at), store.DateString(day), "", "", store.TimeString(at), "2026-03-04", 1},
		{"native", Native, ptr(at), ptr(time.Date(2026, 3, 4, 0, 0, 0, 0, time.Local)), (*time.Time)(nil), (*time.Time)(nil), at, day, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.EncodeInstant(at); !reflect.DeepEqual(got, tt.encInst) {
				t.Errorf("EncodeInstant = %v; want %v", got, tt.encInst)
			}
			if got := tt.c.EncodeDate(day); !reflect.DeepEqual(got, tt.encDt) {
				t.Errorf("EncodeDate = %v; want %v", got, tt.encDt)
			}
			if tt.c.EncodeInstant(time.Time{}) != nil || tt.c.EncodeDate(time.Time{}) != nil {
				t.Errorf("zero times not encoded as NULL")
			}
			if got := tt.c.EncodeBool(true); got != tt.encTrue {
				t.Errorf("EncodeBool(true) = %v; want %v", got, tt.encTrue)
			}
			for _, s := range []struct {
				scanned any
				date    bool
				want    time.Time
			}{{tt.instant, false, at.UTC()}, {tt.date, true, day}, {tt.noneI, false, time.Time{}}, {tt.noneD, true, time.Time{}}} {
				d := tt.c.Instant()
				if s.date {
					d = tt.c.Date()
				}
				if err := (row{s.scanned}).Scan(d.Dest()); err != nil {
					t.Fatal(err)
				}
				got, err := d.Value()
				if err != nil || !got.Equal(s.want) || got.Location() != s.want.Location() {
					t.Errorf("scanned %v (date %v) = %v, %v; want %v", s.scanned, s.date, got, err, s.want)
				}
			}
		})
	}
}

func TestImportHelpers(t *testing.T) {
	if got := Replaced([]int64{2022, 2023, 2024}, []int{2023, 2024, 2025}); !reflect.DeepEqual(got, []int{2023, 2024}) {
		t.Errorf("Replaced = %v", got)
	}
	fs := []ssda903.Finding{{Severity: ssda903.SeverityError}, {Severity: ssda903.SeverityWarning}, {Severity: "other"}}
	if e, w := CountFindings(fs); e != 1 || w != 2 {
		t.Errorf("CountFindings = %d, %d; want 1, 2", e, w)
	}
	if Severity("other") != string(ssda903.SeverityWarning) || Severity(ssda903.SeverityError) != string(ssda903.SeverityError) {
		t.Errorf("Severity does not store non-errors as warnings")
	}
	name := ssda903.TableNames[0]
	n := len(ssda903.Columns[name])
	if got := Present(name, &ssda903.Table{Present: []bool{true, false}}); len(got) != n || got[:2] != "10" {
		t.Errorf("Present = %q; want %d columns starting 10", got, n)
	}
	if got := YearsText(nil); got != "none" {
		t.Errorf("YearsText(nil) = %q", got)
	}
	for _, c := range []struct {
		years  []int
		tables []ssda903.TableName
		want   string
	}{
		{nil, nil, "all years"},
		{[]int{2023, 2024}, nil, "years 2023, 2024"},
		{[]int{2024}, []ssda903.TableName{ssda903.Reviews, ssda903.Missing}, "years 2024, tables " + string(ssda903.Reviews) + ", " + string(ssda903.Missing)},
	} {
		if got := ReturnsDetail(c.years, c.tables); got != c.want {
			t.Errorf("ReturnsDetail(%v, %v) = %q, want %q", c.years, c.tables, got, c.want)
		}
	}
	lo := LeftOutTotals([]store.LeftOut{{Table: name, Reason: "r", Rows: 2}, {Table: name, Reason: "r", Rows: 3}})
	if lo[[2]string{string(name), "r"}] != 5 || len(lo) != 1 {
		t.Errorf("LeftOutTotals = %v", lo)
	}
}

// TestCollector: the values come back in the order added, as many as were
// added, at and around the chunk sizes (16 first, doubling, at most
// collectorChunk); nil when none was added, as appending to a nil slice
// gives.
func TestCollector(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, collectorChunk - 1, collectorChunk, collectorChunk + 1, 3*collectorChunk + 7} {
		var c Collector[int]
		var want []int
		for i := range n {
			c.Add(i * 7)
			want = append(want, i*7)
		}
		got := c.Slice()
		if c.Len() != n || len(got) != n || (n == 0) != (got == nil) {
			t.Fatalf("n=%d: Len %d, %d values, nil %v", n, c.Len(), len(got), got == nil)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("n=%d: value %d is %d, want %d", n, i, got[i], want[i])
			}
		}
	}
}

// Dialect.SQL: a statement written once with $n reads ?n in SQLite (the same
// number, so a parameter used twice is bound once; two digits kept whole)
// and is unchanged for PostgreSQL.
func TestDialectSQL(t *testing.T) {
	const s = `SELECT a FROM t WHERE ($1 = '' OR b = $1) AND c = $2 AND d = $10`
	for _, tt := range []struct {
		d    Dialect
		want string
	}{
		{SQLite, `SELECT a FROM t WHERE (?1 = '' OR b = ?1) AND c = ?2 AND d = ?10`},
		{Postgres, s},
	} {
		if got := tt.d.SQL(s); got != tt.want {
			t.Errorf("dialect %d: %s, want %s", tt.d, got, tt.want)
		}
	}
	if got := SQLite.SQL(InsertForecast); strings.Contains(got, "$") || !strings.Contains(got, "?13) RETURNING id") {
		t.Errorf("InsertForecast for SQLite: %s", got)
	}
}

// TestMergeKeys checks the merge of the referrals list's two halves: newest
// first, the same instant by reference, at most the limit.
func TestMergeKeys(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	k := func(ref string, min int) caseKey {
		return caseKey{ref: ref, at: t0.Add(time.Duration(min) * time.Minute)}
	}
	drafts := []caseKey{k("R-D3", 30), k("R-B", 20), k("R-D1", 10)}
	sent := []caseKey{k("R-S4", 40), k("R-A", 20), k("R-S0", 0)}
	for _, tc := range []struct {
		limit int
		want  string
	}{{6, "R-S4 R-D3 R-A R-B R-D1 R-S0"}, {3, "R-S4 R-D3 R-A"}, {1, "R-S4"}, {9, "R-S4 R-D3 R-A R-B R-D1 R-S0"}} {
		var got []string
		for _, x := range mergeKeys(drafts, sent, tc.limit) {
			got = append(got, x.ref)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("limit %d: %s, want %s", tc.limit, g, tc.want)
		}
	}
	if got := mergeKeys(nil, sent[:1], 2); len(got) != 1 || got[0].ref != "R-S4" {
		t.Errorf("no drafts: %+v", got)
	}
}
