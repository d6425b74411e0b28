package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/review"
)

func testWorklist(n int) analysis.ReviewResult {
	var items []review.Item
	for i := range n {
		it := review.Item{Council: hartlepool, ChildID: fmt.Sprintf("C%03d", i), Age: i % 18, Priority: float64(n - i),
			Group: care.GroupChildrensHome, Placement: "K2", Since: care.Date(2020, 1, 1).AddDate(0, 0, i), WeeklyCost: care.Pence(i * 1000),
			Miles: float64(i), MilesKnown: i%2 == 0, Flags: []review.Flag{{Rule: "far-from-home", Detail: "far"}}}
		if i%3 == 0 {
			it.Council = middlesbrough
			it.Group = care.GroupFosterOther
			it.Flags = append(it.Flags, review.Flag{Rule: "high-cost", Detail: "dear"})
		}
		items = append(items, it)
	}
	return analysis.ReviewResult{At: care.Date(2025, 3, 31), Worklist: review.Worklist{At: care.Date(2025, 3, 31), Reviewed: 2 * n, Items: items,
		Rules: []review.RuleResult{{Rule: review.Rule{ID: "far-from-home", Description: "Far from home"}, Evaluated: true}, {Rule: review.Rule{ID: "high-cost"}, Evaluated: true}}}}
}

func TestReviewQuery(t *testing.T) {
	for _, bad := range []string{"sort=colour", "dir=up", "page=0", "page=x", "page=-1"} {
		q, _ := url.ParseQuery(bad)
		if _, err := parseReviewQuery(q); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%s: %v, want EINVALID", bad, err)
		}
	}
	res := testWorklist(120)
	q, _ := url.ParseQuery("rule=high-cost&sort=age&dir=desc")
	rq, err := parseReviewQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	got := rq.filter(res.Worklist.Items)
	if len(got) != 40 {
		t.Fatalf("%d items flagged high-cost, want 40", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Age > got[i-1].Age {
			t.Fatalf("not sorted by age descending at %d", i)
		}
	}
	// Ties keep the worklist's order (priority).
	if got[0].Age != 15 || got[0].ChildID != "C015" {
		t.Errorf("first %s aged %d, want C015 aged 15 (highest priority of the oldest)", got[0].ChildID, got[0].Age)
	}
	// Paging: 50 a page, the last page partial; a page past the end shows the last.
	all, _ := parseReviewQuery(url.Values{"page": {"3"}})
	v := buildReviewView(res, all, "/councils/x/review")
	if v.From != 101 || v.To != 120 || v.Shown != 20 || v.Next != "" || v.Prev != "/councils/x/review?page=2" {
		t.Errorf("page 3: %d to %d, %d shown, prev %q next %q", v.From, v.To, v.Shown, v.Prev, v.Next)
	}
	past, _ := parseReviewQuery(url.Values{"page": {"9"}})
	if v := buildReviewView(res, past, "/r"); v.From != 101 || v.Query.Page != 3 {
		t.Errorf("page 9 of 3: from %d, page %d", v.From, v.Query.Page)
	}
	// Sorting links: the current column flips, and the filters are kept.
	v = buildReviewView(res, rq, "/r")
	for _, h := range v.Headers {
		if h.Text == "Age" && (h.AriaSort != "descending" || strings.Contains(h.Href, "dir=") || !strings.Contains(h.Href, "sort=age") || !strings.Contains(h.Href, "rule=high-cost")) {
			t.Errorf("age heading %+v", h)
		}
	}
	// The API response has every matching item (no paging) with snake_case keys.
	r := reviewResponse("Hartlepool", res, rq)
	if r.Matching != 40 || len(r.Items) != 40 || r.Flagged != 120 || r.Reviewed != 240 {
		t.Errorf("API: matching %d, items %d, flagged %d", r.Matching, len(r.Items), r.Flagged)
	}

}
