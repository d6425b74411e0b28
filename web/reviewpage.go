package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/review"
	"sufficiency/store"
	"sufficiency/tabular"
)

// The review worklist is built exactly as `sufficiency review` builds it:
// analysis.Review with the embedded rules and the stored statutory reviews
// and missing episodes (reviewOptions). The page then filters, sorts and
// pages the items; the API returns them with snake_case keys.

// reviewOptions are the options of the worklist, the CLI's.
func (a *analyst) reviewOptions(at string) analysis.ReviewOptions {
	return analysis.ReviewOptions{Options: a.options(at), Rules: review.DefaultRules(), StatutoryRecords: true}
}

// worklist builds the review worklist of the councils, cached per data
// version with the reads it was computed from (reviewCache.worklist: each
// view notes them for its audit entry).
func (a *analyst) worklist(ctx context.Context, sc analysis.Scope, at string) (analysis.ReviewResult, error) {
	return a.reviews.worklist(ctx, a.worklistKey(ctx, sc, at), func(ctx context.Context) (analysis.ReviewResult, error) {
		return analysis.Review(ctx, a.st, sc, a.reviewOptions(at))
	})
}

// worklistKey is the cache key of a worklist, "" when it is not cached:
// no cache, no data version, or no read log in ctx to note its reads in
// (see reviewCache.worklist).
func (a *analyst) worklistKey(ctx context.Context, sc analysis.Scope, at string) string {
	if a.reviews == nil || store.ReadLogFrom(ctx) == nil {
		return ""
	}
	return a.pictureKey(ctx, "review "+sc.Name, sc.Councils, at, false)
}

// reviewQuery is what the worklist page is asked for.
type reviewQuery struct {
	Rule, Council, Group string
	Sort                 string // priority, age, miles, cost, since, saving, child
	Desc                 bool
	Page                 int // from 1
}

// pageSize is how many items a worklist page shows.
const pageSize = 50

// sortKeys are the columns the worklist sorts by, with their default direction.
var sortKeys = map[string]bool{"priority": true, "age": false, "miles": true, "cost": true, "since": false, "saving": true, "child": false}

// parseReviewQuery reads ?rule=&council=&group=&sort=&dir=&page=. EINVALID
// for an unknown sort or a page that is not a number.
func parseReviewQuery(q url.Values) (reviewQuery, error) {
	rq := reviewQuery{Rule: q.Get("rule"), Council: q.Get("council"), Group: q.Get("group"), Sort: q.Get("sort"), Page: 1}
	if rq.Sort == "" {
		rq.Sort = "priority"
	}
	def, ok := sortKeys[rq.Sort]
	if !ok {
		return rq, care.Errorf(care.EINVALID, "cannot sort by %q: use priority, age, miles, cost, since, saving or child", rq.Sort)
	}
	switch q.Get("dir") {
	case "":
		rq.Desc = def
	case "asc":
	case "desc":
		rq.Desc = true
	default:
		return rq, care.Errorf(care.EINVALID, "dir %q: use asc or desc", q.Get("dir"))
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return rq, care.Errorf(care.EINVALID, "page %q is not a page number: give 1 or more", s)
		}
		rq.Page = n
	}
	return rq, nil
}

// filter returns the items that match the query, sorted as asked (ties
// keep the worklist's order: priority, then as review.Build ranks them).
func (rq reviewQuery) filter(items []review.Item) []review.Item {
	var out []review.Item
	for _, it := range items {
		if rq.Rule != "" && !it.FlaggedBy(rq.Rule) {
			continue
		}
		if rq.Council != "" && it.Council != rq.Council {
			continue
		}
		if rq.Group != "" && string(it.Group) != rq.Group {
			continue
		}
		out = append(out, it)
	}
	key := func(it review.Item) float64 {
		switch rq.Sort {
		case "age":
			return float64(it.Age)
		case "miles":
			if !it.MilesKnown {
				return -1
			}
			return it.Miles
		case "cost":
			return float64(it.WeeklyCost)
		case "since":
			return float64(it.Since.Unix())
		case "saving":
			return float64(it.Saving)
		}
		return it.Priority
	}
	sort.SliceStable(out, func(i, j int) bool {
		if rq.Sort == "child" {
			a, b := out[i].Council+"|"+out[i].ChildID, out[j].Council+"|"+out[j].ChildID
			if rq.Desc {
				return a > b
			}
			return a < b
		}
		a, b := key(out[i]), key(out[j])
		if rq.Desc {
			return a > b
		}
		return a < b
	})
	return out
}

// reviewView is the worklist page's data.
type reviewView struct {
	Query                 reviewQuery
	Base                  string // the page's address without the query
	Items                 []reviewRow
	Total, Shown, Flagged int
	Reviewed              int
	From, To              int
	Prev, Next            string
	Pages                 []pageLink
	Rules, Councils       []choice
	Groups                []choice
	Headers               []sortHeader
	Tables                []tabular.Table // rules, step-down and funders
}

type pageLink struct {
	N       int
	Href    string
	Current bool
}

// sortHeader is a sortable column heading.
type sortHeader struct {
	Text, Href, AriaSort string
	Numeric              bool
}

// reviewRow is one item as the page shows it.
type reviewRow struct {
	Priority                      float64
	Council, CouncilName, ChildID string
	Age                           int
	Tier                          string
	Placement                     string
	Provider                      string
	Since                         time.Time
	Miles                         string
	Cost                          care.Pence
	Why                           []reviewFlag
	StepDownTo                    string
	Saving                        care.Pence
}

type reviewFlag struct{ Rule, Description, Detail string }

// link returns the page's address with the query changed by set.
func (rq reviewQuery) link(base string, set func(*reviewQuery)) string {
	q := rq
	set(&q)
	v := url.Values{}
	if q.Rule != "" {
		v.Set("rule", q.Rule)
	}
	if q.Council != "" {
		v.Set("council", q.Council)
	}
	if q.Group != "" {
		v.Set("group", q.Group)
	}
	if q.Sort != "priority" {
		v.Set("sort", q.Sort)
	}
	if q.Desc != sortKeys[q.Sort] {
		if q.Desc {
			v.Set("dir", "desc")
		} else {
			v.Set("dir", "asc")
		}
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// buildReviewView filters, sorts and pages the worklist for the page.
func buildReviewView(res analysis.ReviewResult, rq reviewQuery, base string) reviewView {
	w := res.Worklist
	items := rq.filter(w.Items)
	v := reviewView{Query: rq, Base: base, Total: len(items), Flagged: len(w.Items), Reviewed: w.Reviewed}
	pages := (len(items) + pageSize - 1) / pageSize
	if rq.Page > pages && pages > 0 {
		rq.Page = pages
		v.Query.Page = pages
	}
	from := (rq.Page - 1) * pageSize
	to := min(from+pageSize, len(items))
	if from > to {
		from = to
	}
	v.From, v.To = from+1, to
	desc := map[string]string{}
	for _, r := range w.Rules {
		desc[r.Rule.ID] = r.Rule.Description
		v.Rules = append(v.Rules, choice{Value: r.Rule.ID, Text: r.Rule.ID + ": " + r.Rule.Description, Selected: r.Rule.ID == rq.Rule})
	}
	seenC := map[string]bool{}
	seenG := map[string]bool{}
	for _, it := range w.Items {
		if !seenC[it.Council] {
			seenC[it.Council] = true
			name := it.Council
			if c, ok := refdata.CouncilByCode(it.Council); ok {
				name = c.Name
			}
			v.Councils = append(v.Councils, choice{Value: it.Council, Text: name, Selected: it.Council == rq.Council})
		}
		seenG[string(it.Group)] = true
	}
	sort.Slice(v.Councils, func(i, j int) bool { return v.Councils[i].Text < v.Councils[j].Text })
	for _, g := range care.PlacementGroups {
		if seenG[string(g)] || string(g) == rq.Group {
			v.Groups = append(v.Groups, choice{Value: string(g), Text: g.Label(), Selected: string(g) == rq.Group})
		}
	}
	for _, it := range items[from:to] {
		row := reviewRow{Priority: it.Priority, Council: it.Council, CouncilName: it.Council, ChildID: it.ChildID, Age: it.Age,
			Placement: label("PLACE", string(it.Placement)), Provider: label("PLACE_PROVIDER", string(it.Provider)), Since: it.Since, Cost: it.WeeklyCost,
			StepDownTo: it.StepDownTo, Saving: it.Saving}
		if c, ok := refdata.CouncilByCode(it.Council); ok {
			row.CouncilName = c.Name
		}
		if it.Tier != care.TierUnknown {
			row.Tier = strconv.Itoa(int(it.Tier))
		}
		if it.MilesKnown {
			row.Miles = formatNumber(it.Miles, 1)
		}
		for _, f := range it.Flags {
			row.Why = append(row.Why, reviewFlag{Rule: f.Rule, Description: desc[f.Rule], Detail: f.Detail})
		}
		v.Items = append(v.Items, row)
	}
	v.Shown = len(v.Items)
	if rq.Page > 1 {
		v.Prev = rq.link(base, func(q *reviewQuery) { q.Page-- })
	}
	if rq.Page < pages {
		v.Next = rq.link(base, func(q *reviewQuery) { q.Page++ })
	}
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || n >= rq.Page-2 && n <= rq.Page+2 {
			v.Pages = append(v.Pages, pageLink{N: n, Href: rq.link(base, func(q *reviewQuery) { q.Page = n }), Current: n == rq.Page})
		}
	}
	for _, h := range []struct{ key, text string }{{"priority", "Priority"}, {"child", "Child"}, {"age", "Age"}, {"", "Placement"},
		{"since", "Since"}, {"miles", "Miles from home"}, {"cost", "Weekly cost"}, {"", "Why it is flagged"}, {"saving", "Step down to (weekly saving)"}} {
		sh := sortHeader{Text: h.text, Numeric: h.key == "priority" || h.key == "age" || h.key == "miles" || h.key == "cost"}
		if h.key != "" {
			desc := sortKeys[h.key]
			if rq.Sort == h.key {
				desc = !rq.Desc
				sh.AriaSort = "ascending"
				if rq.Desc {
					sh.AriaSort = "descending"
				}
			}
			key := h.key
			sh.Href = rq.link(base, func(q *reviewQuery) { q.Sort, q.Desc, q.Page = key, desc, 1 })
		}
		v.Headers = append(v.Headers, sh)
	}
	if len(res.Tables) > 1 {
		v.Tables = res.Tables[1:]
	}
	return v
}

// filteredTables are the worklist's tables with the items table holding
// the filtered items only (for downloads of what the page shows).
func filteredTables(res analysis.ReviewResult, rq reviewQuery) []tabular.Table {
	w := res.Worklist
	w.Items = rq.filter(w.Items)
	return w.Tables()
}

func (h *pageHandlers) reviewPage(w http.ResponseWriter, r *http.Request, sc analysis.Scope, base string, crumbs []link) {
	name := sc.Name
	rq, err := parseReviewQuery(r.URL.Query())
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	res, err := h.data.worklist(r.Context(), sc, r.URL.Query().Get("at"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	v := buildReviewView(res, rq, base)
	recordAction(r, "view review worklist", name+" at "+formatDate(res.At))
	h.render(w, r, 0, "review", pageData{Title: "Needs-led review worklist", Caption: name + " at " + formatDate(res.At), Data: v,
		Message:     "This worklist names children by their council's ids. It is for the council's own staff; your viewing it is recorded.",
		Download:    filteredTables(res, rq),
		Breadcrumbs: crumbs})
}

func (h *pageHandlers) review(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	spec, err := councilParam(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	// The user's right is checked before anything about the data is said.
	if !maySeeScope(u, spec) {
		pageError(h.render, w, r, forbidden("the review worklist of "+refdata.CouncilName(spec.Councils[0])))
		return
	}
	sc, err := h.data.scope(r.Context(), spec)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	c := sc.Council
	h.reviewPage(w, r, sc, "/councils/"+c.Code+"/review",
		[]link{{"/", "Home"}, {"/regions/" + c.Region, c.Region}, {"/councils/" + c.Code, c.Name}})
}

func (h *pageHandlers) regionReview(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	spec, err := regionParam(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	if !maySeeScope(u, spec) {
		pageError(h.render, w, r, forbidden("the review worklist of "+spec.Region))
		return
	}
	sc, err := h.data.scope(r.Context(), spec)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	name := sc.Name
	h.reviewPage(w, r, sc, "/regions/"+name+"/review", []link{{"/", "Home"}, {"/regions/" + name, name}})
}

// ReviewItem is one flagged placement in the API's worklist.
type ReviewItem struct {
	Council         string       `json:"council"`
	ChildID         string       `json:"child_id"`
	Age             int          `json:"age"`
	NeedsTier       *int         `json:"needs_tier"`
	Placement       string       `json:"placement"`
	PlacementLabel  string       `json:"placement_label"`
	PlacementGroup  string       `json:"placement_group"`
	Provider        string       `json:"provider"`
	URN             string       `json:"urn,omitempty"`
	Since           string       `json:"since,omitempty"`
	Miles           *float64     `json:"miles"`
	WeeklyCostPence int64        `json:"weekly_cost_pence"`
	Priority        float64      `json:"priority"`
	Flags           []ReviewFlag `json:"flags"`
	StepDownTo      string       `json:"step_down_to,omitempty"`
	WeeklySavingP   int64        `json:"weekly_saving_pence"`
}

// ReviewFlag is one rule flagging an item.
type ReviewFlag struct {
	Rule   string  `json:"rule"`
	Detail string  `json:"detail"`
	Weight float64 `json:"weight"`
}

// ReviewRule says how one rule fared.
type ReviewRule struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Evaluated   bool   `json:"evaluated"`
	Why         string `json:"why,omitempty"`
	Flagged     int    `json:"flagged"`
}

// ReviewResponse is the API's worklist: the filtered, sorted items (all
// pages), the rules, and the tables as the CLI writes them.
type ReviewResponse struct {
	Scope    string       `json:"scope"`
	At       string       `json:"at"`
	Reviewed int          `json:"reviewed"`
	Flagged  int          `json:"flagged"`
	Matching int          `json:"matching"`
	Items    []ReviewItem `json:"items"`
	Rules    []ReviewRule `json:"rules"`
	// Tables are the worklist's tables, keyed in snake_case.
	Tables []APITable `json:"tables"`
}

// reviewResponse builds the API's worklist.
func reviewResponse(name string, res analysis.ReviewResult, rq reviewQuery) ReviewResponse {
	w := res.Worklist
	items := rq.filter(w.Items)
	out := ReviewResponse{Scope: name, At: res.At.Format("2006-01-02"), Reviewed: w.Reviewed, Flagged: len(w.Items), Matching: len(items),
		Items: []ReviewItem{}}
	out.Tables = apiTables(res.Tables)
	for _, it := range items {
		ri := ReviewItem{Council: it.Council, ChildID: it.ChildID, Age: it.Age, Placement: string(it.Placement), PlacementLabel: label("PLACE", string(it.Placement)),
			PlacementGroup: string(it.Group), Provider: string(it.Provider), URN: it.URN, WeeklyCostPence: int64(it.WeeklyCost), Priority: it.Priority,
			StepDownTo: it.StepDownTo, WeeklySavingP: int64(it.Saving), Flags: []ReviewFlag{}}
		if it.Tier != care.TierUnknown {
			t := int(it.Tier)
			ri.NeedsTier = &t
		}
		if !it.Since.IsZero() {
			ri.Since = it.Since.Format("2006-01-02")
		}
		if it.MilesKnown {
			m := it.Miles
			ri.Miles = &m
		}
		for _, f := range it.Flags {
			ri.Flags = append(ri.Flags, ReviewFlag{Rule: f.Rule, Detail: f.Detail, Weight: f.Weight})
		}
		out.Items = append(out.Items, ri)
	}
	for _, r := range w.Rules {
		out.Rules = append(out.Rules, ReviewRule{ID: r.Rule.ID, Description: r.Rule.Description, Evaluated: r.Evaluated, Why: r.Why, Flagged: r.Flagged})
	}
	return out
}
