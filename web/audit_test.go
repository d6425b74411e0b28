package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

// auditOf returns the audit entries by actor.
func auditOf(t *testing.T, f *fixture, actor string) []store.AuditEvent {
	t.Helper()
	evs, err := f.db.AuditLog(context.Background(), store.AuditFilter{Actor: actor})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestAuditOneEntryPerAction: a page view, an API call and an export are
// each one audit entry naming the action, the scope and the councils whose
// child-level data it read, not one entry per store read (issue 10 item 7).
func TestAuditOneEntryPerAction(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	rcc := f.login(t, "ne-rcc")
	tests := []struct {
		name, user, path string
		cookie           *http.Cookie
		action, council  string
		councils         []string
		detail           []string // substrings of the detail
	}{
		{"council review page", "hart", "/councils/" + hartlepool + "/review", hart, "view review worklist", hartlepool, []string{hartlepool},
			[]string{"GET /councils/" + hartlepool + "/review", store.ActionReadChildren + " of " + hartlepool}},
		{"council review API", "hart", "/api/v1/councils/" + hartlepool + "/review", hart, "api review worklist", hartlepool, []string{hartlepool},
			[]string{"GET /api/v1/councils/" + hartlepool + "/review", store.ActionReadChildren + " of " + hartlepool}},
		{"council picture", "hart", "/councils/" + hartlepool + "?at=2023-09-30", hart, "view picture", hartlepool, []string{hartlepool},
			[]string{"at=2023-09-30", store.ActionReadEpisodes}},
		{"review export", "hart", "/councils/" + hartlepool + "/review?format=csv", hart, "export", hartlepool, []string{hartlepool},
			[]string{"csv of"}},
		// The region's picture reads the loaded councils' children and episodes,
		// and every council's referral drafts (its referral outcomes).
		{"region picture", "ne-rcc", "/regions/North%20East?at=2023-09-30", rcc, "view picture", "", northEast(t),
			[]string{"region North East", store.ActionReadEpisodes + " of 2 councils", "read referral draft of 12 councils"}},
		{"region API", "ne-rcc", "/api/v1/regions/North%20East/picture?at=2024-03-31", rcc, "API call", "", []string{hartlepool, middlesbrough},
			[]string{"region North East", "GET /api/v1/regions/North East/picture"}},
		{"a page with no child-level data", "hart", "/imports", hart, "view page", "", nil, []string{"GET /imports"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(auditOf(t, f, tt.user))
			w := f.do(t, "GET", tt.path, nil, withCookie(tt.cookie))
			if w.Code != 200 {
				t.Fatalf("%s: %d %.400s", tt.path, w.Code, w.Body)
			}
			evs := auditOf(t, f, tt.user)
			if len(evs) != before+1 {
				for _, e := range evs[before:] {
					t.Logf("%+v", e)
				}
				t.Fatalf("%s wrote %d audit entries, want 1", tt.path, len(evs)-before)
			}
			e := evs[len(evs)-1]
			if e.Action != tt.action || e.Council != tt.council || !slices.Equal(e.Councils, tt.councils) {
				t.Errorf("entry %+v: want action %q, council %q, councils %v", e, tt.action, tt.council, tt.councils)
			}
			for _, d := range tt.detail {
				if !strings.Contains(e.Detail, d) {
					t.Errorf("detail %q lacks %q", e.Detail, d)
				}
			}
		})
	}

	// A refused read reads nothing: the entry records the attempt and no council read.
	before := len(auditOf(t, f, "hart"))
	if w := f.do(t, "GET", "/councils/"+middlesbrough+"/review", nil, withCookie(hart)); w.Code != http.StatusForbidden {
		t.Fatalf("another council's review: %d", w.Code)
	}
	evs := auditOf(t, f, "hart")
	if len(evs) != before+1 || len(evs[len(evs)-1].Councils) != 0 || evs[len(evs)-1].Council != middlesbrough {
		t.Errorf("a refused review: entries %+v", evs[before:])
	}
	// No store-read entries are written for web requests any more.
	for _, a := range []string{store.ActionReadChildren, store.ActionReadEpisodes} {
		if got, _ := f.db.AuditLog(context.Background(), store.AuditFilter{Actor: "hart", Action: a}); len(got) != 0 {
			t.Errorf("%d %q entries by hart, want none (reads are in the action's entry)", len(got), a)
		}
	}
}

// TestAuditPageFilters: the audit page and API filter by person, council
// (as the entry's council or a council read), action and dates, and export.
func TestAuditPageFilters(t *testing.T) {
	f := newFixture(t)
	rcc := f.login(t, "ne-rcc")
	hart := f.login(t, "hart")
	admin := f.login(t, "admin")
	f.do(t, "GET", "/regions/North%20East", nil, withCookie(rcc))
	f.do(t, "GET", "/councils/"+hartlepool, nil, withCookie(hart))
	get := func(q string) []auditEventJSON {
		t.Helper()
		w := f.do(t, "GET", "/api/v1/audit?"+q, nil, withCookie(admin))
		if w.Code != 200 {
			t.Fatalf("audit ?%s: %d %s", q, w.Code, w.Body)
		}
		var out struct{ Events []auditEventJSON }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out.Events
	}
	actors := func(evs []auditEventJSON) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Actor+" "+e.Action)
		}
		return out
	}
	// Middlesbrough: only the region view read its records.
	if got := actors(get("council=" + middlesbrough + "&action=view+picture")); !slices.Equal(got, []string{"ne-rcc view picture"}) {
		t.Errorf("entries reading Middlesbrough: %v", got)
	}
	// Hartlepool: both, newest first.
	if got := actors(get("council=" + hartlepool + "&action=view+picture")); !slices.Equal(got, []string{"hart view picture", "ne-rcc view picture"}) {
		t.Errorf("entries reading Hartlepool: %v", got)
	}
	if got := actors(get("actor=ne-rcc&action=view+picture")); !slices.Equal(got, []string{"ne-rcc view picture"}) {
		t.Errorf("rcc's views: %v", got)
	}
	// The fixture's clock says 1 June 2025: until the day before finds nothing, the day itself everything.
	if got := get("until=2025-05-31&actor=hart"); len(got) != 0 {
		t.Errorf("entries until 31 May 2025: %v", actors(got))
	}
	if got := get("since=2025-06-01&until=2025-06-01&actor=hart"); len(got) == 0 {
		t.Error("no entries by hart on 1 June 2025")
	}
	if got := get("since=2025-06-02&actor=hart"); len(got) != 0 {
		t.Errorf("entries since 2 June 2025: %v", actors(got))
	}
	if w := f.do(t, "GET", "/api/v1/audit?until=yesterday", nil, withCookie(admin)); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "YYYY-MM-DD") {
		t.Errorf("a bad date: %d %s", w.Code, w.Body)
	}
	// The page shows the filters and the export carries every council read.
	w := f.do(t, "GET", "/audit?council="+middlesbrough, nil, withCookie(admin))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `name="until"`) || !strings.Contains(w.Body.String(), "ne-rcc") {
		t.Fatalf("audit page: %d", w.Code)
	}
	w = f.do(t, "GET", "/audit?council="+middlesbrough+"&format=csv", nil, withCookie(admin))
	if w.Code != 200 || !strings.Contains(w.Body.String(), hartlepool+" "+middlesbrough) {
		t.Errorf("audit CSV: %d\n%s", w.Code, w.Body)
	}
}

// failingAudit is a store whose action entries cannot be written.
type failingAudit struct{ *sqlite.DB }

func (failingAudit) AppendAudit(context.Context, store.AuditEntry) error {
	return care.Errorf(care.EINTERNAL, "the audit log is full")
}

// TestAuditFailureShowsNothing: when a user action's entry cannot be
// written, what was read is not shown: the user gets an error instead.
func TestAuditFailureShowsNothing(t *testing.T) {
	f := newFixture(t)
	hart := f.login(t, "hart")
	srv, err := New(Config{Store: failingAudit{f.db}, InsecureCookies: true, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/councils/" + hartlepool + "/review", "/api/v1/councils/" + hartlepool + "/review", "/councils/" + hartlepool + "/review?format=csv"} {
		r, _ := http.NewRequest("GET", path, nil)
		r.AddCookie(hart)
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "child") && strings.Contains(w.Body.String(), "Why") {
			t.Errorf("%s with a failing audit: %d %.300s", path, w.Code, w.Body)
		}
		if w.Header().Get("Content-Disposition") != "" {
			t.Errorf("%s: still an attachment", path)
		}
	}
}

// northEast is the codes of the North East's councils, sorted.
func northEast(t *testing.T) []string {
	cs, err := refdata.CouncilsInRegion("North East")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	slices.Sort(out)
	return out
}
