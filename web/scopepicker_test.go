package web

import (
	"context"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sufficiency/identity"
	"sufficiency/internal/storetest"
	"sufficiency/store"
)

// The scope picker kept rendered (web/scopepicker.go) is, for every user
// scope and every option selected (or none), the bytes a fresh render of
// the user's choices gives, from the first view and from the kept one; an
// RCC user's member councils are its region's only; an import (a new data
// version) shows the new council in the next picker.
func TestScopePickerKeptSameAsRendering(t *testing.T) {
	f := newFixture(t)
	ctx := store.WithActor(context.Background(), "test")
	const trafford, leeds = "E08000009", "E08000035"
	storetest.MustImport(t, f.db, storetest.Fixture(trafford, []int{2024, 2025}, 6, "t"))
	h := &pageHandlers{data: f.srv.analyst(), fragment: f.srv.fragment, pickers: &scopePickers{}}
	users := []identity.User{
		{Name: "hart", Role: identity.RoleCouncil, Council: hartlepool},
		{Name: "ne-rcc", Role: identity.RoleRCC, Region: "North East"},
		{Name: "nw-rcc", Role: identity.RoleRCC, Region: "North West"},
		{Name: "admin", Role: identity.RoleAdmin},
	}
	check := func(wantCouncils []string) {
		t.Helper()
		for _, u := range users {
			r := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
			values := []string{"", "/nowhere"}
			for _, g := range h.scopeChoices(r, u, "") {
				for _, o := range g.Options {
					values = append(values, o.Value)
				}
			}
			for _, want := range wantCouncils {
				if !slices.Contains(values, "/councils/"+want) {
					t.Fatalf("%s: no option for %s in %v", u.Name, want, values)
				}
			}
			for pass := range 2 { // the second pass is served from the kept picker
				for _, cur := range values {
					rr := withVersionMemo(r)
					got := h.scopePicker(rr.Context(), u, func() []scopeGroup { return h.scopeChoices(rr, u, "") }, cur)
					fresh, err := h.fragment("picture", "scope-options", h.scopeChoices(rr, u, cur))
					if err != nil {
						t.Fatal(err)
					}
					if got == "" || got != fresh {
						t.Fatalf("%s, %q, pass %d: kept picker\n%s\nfresh render\n%s", u.Name, cur, pass, got, fresh)
					}
					if n := strings.Count(string(got), " selected>"); (cur == "" || cur == "/nowhere") != (n == 0) || n > 1 {
						t.Fatalf("%s, %q: %d options selected", u.Name, cur, n)
					}
				}
			}
		}
	}
	check([]string{hartlepool, middlesbrough, trafford})

	// An RCC user's member councils are its region's only.
	member := regexp.MustCompile(`<optgroup label="Member councils of ([^"]+)">(.*?)</optgroup>`)
	for _, tc := range []struct {
		u          identity.User
		in, out    []string
		wantRegion string
	}{
		{users[1], []string{hartlepool, middlesbrough}, []string{trafford}, "North East"},
		{users[2], []string{trafford}, []string{hartlepool, middlesbrough}, "North West"},
	} {
		r := withVersionMemo(httptest.NewRequest("GET", "/", nil).WithContext(ctx))
		got := string(h.scopePicker(r.Context(), tc.u, func() []scopeGroup { return h.scopeChoices(r, tc.u, "") }, ""))
		m := member.FindStringSubmatch(got)
		if m == nil || m[1] != tc.wantRegion {
			t.Fatalf("%s: member councils group %v in %s", tc.u.Name, m, got)
		}
		for _, c := range tc.in {
			if !strings.Contains(m[2], "/councils/"+c+`"`) {
				t.Errorf("%s: member councils lack %s: %s", tc.u.Name, c, m[2])
			}
		}
		for _, c := range tc.out {
			if strings.Contains(m[2], "/councils/"+c+`"`) {
				t.Errorf("%s: member councils hold %s of another region: %s", tc.u.Name, c, m[2])
			}
		}
	}

	// A new import raises the data version: the next picker lists Leeds.
	storetest.MustImport(t, f.db, storetest.Fixture(leeds, []int{2025}, 5, "l"))
	check([]string{hartlepool, middlesbrough, trafford, leeds})

	// Through the page: the council's own option is selected.
	c := f.login(t, "nw-rcc")
	for range 2 {
		page := f.get(t, c, "/councils/"+trafford)
		if page.Code != 200 || !strings.Contains(page.Body, `<option value="/councils/`+trafford+`" selected>`) ||
			!strings.Contains(page.Body, `<optgroup label="Member councils of North West">`) {
			t.Fatalf("council page: %d, picker not as expected", page.Code)
		}
	}
}

// The first view of each picture page on a new server (nothing cached)
// and after an import (a new data version) answers the page, the scope
// resolved and kept for the next views.
func TestPicturePagesFirstViewAfterImport(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "admin")
	paths := []string{"/councils/" + hartlepool, "/regions/North%20East", "/england"}
	for round := range 3 {
		for _, p := range paths {
			if r := f.get(t, c, p); r.Code != 200 {
				t.Fatalf("round %d, %s: %d", round, p, r.Code)
			}
		}
		storetest.MustImport(t, f.db, storetest.Fixture("E08000009", []int{2024 + round%2}, 4+round, "n"))
	}
}
