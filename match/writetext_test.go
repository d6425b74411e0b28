package match

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"sufficiency/care"
)

// Tests of the printed search (WriteText, WriteJSON): what the CLI shows a
// social worker. Written from the documented output: at most top
// candidates, best first; exclusions counted by first reason, most first
// (ties by the order the constraints are checked); the nearest excluded
// listed, at most `excluded`, with "location unknown" for a provision that
// cannot be located; a sibling group larger than any home in the supply can
// take together is said so.

func name(code string) string { return "council " + code }

func search(t *testing.T, ix *Index, r care.Referral) Result {
	t.Helper()
	res, err := ix.Search(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestWriteTextTopAndExcluded(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	ref := baseReferral()
	res := search(t, ix, ref)
	if len(res.Candidates) < 3 || res.ExcludedCount() < 3 {
		t.Fatalf("the test supply gives %d candidates and %d excluded; want at least 3 of each", len(res.Candidates), res.ExcludedCount())
	}
	numbered := regexp.MustCompile(`(?m)^ ?\d+\. `)
	for _, tc := range []struct{ top, excluded int }{{2, 3}, {1, 1}, {len(res.Candidates), 0}, {len(res.Candidates) + 5, res.ExcludedCount() + 5}} {
		var b strings.Builder
		if err := WriteText(&b, ref, res, ix, tc.top, tc.excluded, name); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		head := fmt.Sprintf("Referral R1 (child C1, %s, needed under 5 days, home M14 5): %d provisions considered, %d eligible, %d excluded.\n",
			ref.Sex, res.Considered, res.Eligible, res.ExcludedCount())
		if !strings.HasPrefix(out, head) {
			t.Errorf("top %d: first line\n%q\nwant\n%q", tc.top, strings.SplitN(out, "\n", 2)[0], head)
		}
		n := min(tc.top, len(res.Candidates))
		if got := len(numbered.FindAllString(out, -1)); got != n {
			t.Errorf("top %d: %d candidates printed, want %d", tc.top, got, n)
		}
		if !strings.Contains(out, fmt.Sprintf("Candidates, best first, %d of %d:", n, res.Eligible)) {
			t.Errorf("top %d: no candidates heading", tc.top)
		}
		// The best candidate first, named with its council and explained.
		c := res.Candidates[0]
		if !strings.Contains(out, fmt.Sprintf(" 1. %s (%s), ", c.Name, c.ProvisionID)) || !strings.Contains(out, "council "+c.Council) {
			t.Errorf("top %d: best candidate %s not first:\n%s", tc.top, c.ProvisionID, out)
		}
		if !strings.Contains(out, "penalty points (lower fits better)") {
			t.Errorf("top %d: no score", tc.top)
		}
		m := min(tc.excluded, res.ExcludedCount())
		listed := strings.Contains(out, "Excluded, nearest first,")
		if listed != (m > 0) || (m > 0 && !strings.Contains(out, fmt.Sprintf("Excluded, nearest first, %d of %d:\n", m, res.ExcludedCount()))) {
			t.Errorf("excluded %d: listing wrong:\n%s", tc.excluded, out)
		}
		if m > 0 {
			tail := out[strings.Index(out, "Excluded, nearest first,"):]
			if got := strings.Count(tail, "\n  "); got != m {
				t.Errorf("excluded %d: %d listed, want %d", tc.excluded, got, m)
			}
		}
	}
}

// TestWriteTextExclusions: counted by first reason, most first, ties in the
// order the constraints are checked; distances to one decimal, and
// "location unknown" for a provision that cannot be located (0 miles is a
// distance).
func TestWriteTextExclusions(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	p := func(id string) *care.Provision {
		return &care.Provision{ID: id, Name: "Home " + id, Kind: care.KindChildrensHome}
	}
	res := Result{Considered: 6, NoVacancy: 1, Excluded: []Exclusion{
		{Provision: p("A"), Miles: 0, Reasons: []Reason{{Code: ReasonAge}}},
		{Provision: p("B"), Miles: -1, Reasons: []Reason{{Code: ReasonNoLocation}}},
		{Provision: p("C"), Miles: 2.25, Reasons: []Reason{{Code: ReasonSex}, {Code: ReasonAge}}},
		{Provision: p("D"), Miles: 3, Reasons: []Reason{{Code: ReasonSex}}},
		{Provision: p("E"), Miles: 4, Reasons: []Reason{{Code: ReasonAge}}},
	}}
	var b strings.Builder
	if err := WriteText(&b, baseReferral(), res, ix, 5, 10, name); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	want := fmt.Sprintf("Excluded by first reason: %s 2, %s 2, %s 1, %s 1.", ReasonAge.Label(), ReasonSex.Label(), ReasonNoLocation.Label(), ReasonNoVacancy.Label())
	if !strings.Contains(out, want) {
		t.Errorf("counts: want %q in\n%s", want, out)
	}
	for _, line := range []string{
		"No eligible provision. See the exclusions below.",
		"Excluded, nearest first, 6 of 6:",
		"  A Home A (childrens_home, 0.0 miles): ",
		"  C Home C (childrens_home, 2.2 miles): " + (Reason{Code: ReasonSex}).String() + "; " + (Reason{Code: ReasonAge}).String(),
		"  B Home B (childrens_home, location unknown): ",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("want %q in\n%s", line, out)
		}
	}
	if strings.Contains(out, "Sibling group") || strings.Contains(out, "sibling_count") {
		t.Errorf("a single child is not a sibling group:\n%s", out)
	}
	// Nothing excluded: no counts, no listing.
	b.Reset()
	if err := WriteText(&b, baseReferral(), Result{}, ix, 5, 10, name); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Excluded") {
		t.Errorf("nothing excluded:\n%s", b.String())
	}
}

// TestWriteTextSiblingGroup: a group is announced; when no home can take
// it and it is larger than the most any one vacancy takes together (places,
// and a fostering household's sibling capacity), the text says so. The test
// supply takes at most 3 together (Oldham carers: 3 places, capacity 3).
func TestWriteTextSiblingGroup(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	if got := largestTogether(ix); got != 3 {
		t.Fatalf("largestTogether = %d, want 3", got)
	}
	for _, tc := range []struct {
		group      int
		tooLarge   bool
		mostInText string
	}{{3, false, ""}, {4, true, "a group of 4 is larger than any home in the supply can take together (the most is 3)"}} {
		ref := baseReferral()
		ref.SiblingCount = tc.group - 1
		var b strings.Builder
		if err := WriteText(&b, ref, Result{Considered: 8}, ix, 5, 0, name); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, fmt.Sprintf("Sibling group of %d to be placed together.", tc.group)) {
			t.Errorf("group %d: not announced:\n%s", tc.group, out)
		}
		if strings.Contains(out, "sibling_count:") != tc.tooLarge || (tc.tooLarge && !strings.Contains(out, tc.mostInText)) {
			t.Errorf("group %d: too large %v, text:\n%s", tc.group, tc.tooLarge, out)
		}
	}
}

// TestLargestTogether: a fostering household takes at most its sibling
// capacity together, whatever its places; capacity 0 (not given) does not
// limit; a home's places are its limit.
func TestLargestTogether(t *testing.T) {
	for _, tc := range []struct {
		f2Capacity, f2Places int
		want                 int
	}{
		{3, 3, 3}, {1, 3, 2}, {0, 3, 3}, {5, 4, 4}, {2, 4, 2},
	} {
		provs, vacs := testSupply()
		for i := range provs {
			if provs[i].ID == "F2" {
				provs[i].SiblingCapacity = tc.f2Capacity
			}
		}
		for i := range vacs {
			if vacs[i].ProvisionID == "F2" {
				vacs[i].Places = tc.f2Places
			}
		}
		ix, err := NewIndex(provs, vacs, DefaultPolicy(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := largestTogether(ix); got != tc.want {
			t.Errorf("F2 capacity %d, %d places: %d, want %d", tc.f2Capacity, tc.f2Places, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 places", 1: "1 place", 2: "2 places"} {
		if got := plural(n, "place"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestWriteJSON: at most top candidates (a negative top: all) and at most
// `excluded` exclusions, with the totals; empty lists are [] not null.
func TestWriteJSON(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	res := search(t, ix, baseReferral())
	type out struct {
		Candidates       []json.RawMessage `json:"candidates"`
		Excluded         []json.RawMessage `json:"excluded"`
		ExcludedTotal    int               `json:"excluded_total"`
		CandidatesTotal  int               `json:"candidates_total"`
		ExcludedByReason map[string]int    `json:"excluded_by_first_reason"`
	}
	for _, tc := range []struct{ top, excluded, wantC, wantE int }{
		{1, 2, 1, 2},
		{-1, 0, len(res.Candidates), 0},
		{len(res.Candidates), 1, len(res.Candidates), 1},
		{len(res.Candidates) - 1, 1, len(res.Candidates) - 1, 1},
	} {
		var b strings.Builder
		if err := WriteJSON(&b, res, tc.top, tc.excluded); err != nil {
			t.Fatal(err)
		}
		var o out
		if err := json.Unmarshal([]byte(b.String()), &o); err != nil {
			t.Fatal(err)
		}
		if len(o.Candidates) != tc.wantC || len(o.Excluded) != tc.wantE {
			t.Errorf("top %d excluded %d: %d candidates, %d excluded; want %d, %d", tc.top, tc.excluded, len(o.Candidates), len(o.Excluded), tc.wantC, tc.wantE)
		}
		sum := 0
		for _, n := range o.ExcludedByReason {
			sum += n
		}
		if o.ExcludedTotal != res.ExcludedCount() || o.CandidatesTotal != res.Eligible || sum != res.ExcludedCount() {
			t.Errorf("totals %d %d %d, want %d %d", o.ExcludedTotal, o.CandidatesTotal, sum, res.ExcludedCount(), res.Eligible)
		}
	}
	var b strings.Builder
	if err := WriteJSON(&b, Result{}, 5, 5); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"candidates": []`) || !strings.Contains(b.String(), `"excluded": []`) {
		t.Errorf("empty result:\n%s", b.String())
	}
}
