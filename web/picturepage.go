package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/tabular"
)

// pictureView is the view data of a council's, region's or England's page.
type pictureView struct {
	Tiles   []tile
	TilesAt string
	Charts  []chartView
	Pickers pickers
	// Outcomes are the referral outcomes of the year (web/outcomes.go).
	Outcomes *outcomesView
	// ChartsHTML and TablesHTML are the charts and the tables as rendered
	// for an earlier view of the same cached picture ("" when not kept).
	ChartsHTML, TablesHTML template.HTML
}

// pictureTables is what the template "picture-tables" shows: the tables and
// the address their download links start from.
type pictureTables struct {
	Tables []tabular.Table
	Path   string
}

// tile is one headline figure: its value, the change since the year before
// and, for a council, its rank and quartile among England's councils and
// its place among its statistical neighbours (as the DfE's LAIT shows).
type tile struct {
	Label, Value string
	Change       string
	Up, Down     bool
	Rank         string
	Neighbours   string
}

// pickers are the scope and date choices on a picture page.
type pickers struct {
	Scope  string // the current page's address
	Scopes []scopeGroup
	// ScopeHTML is the scope picker's options rendered (kept per data
	// version and user scope, web/scopepicker.go); "" to render Scopes.
	ScopeHTML template.HTML
	At        string // YYYY-MM-DD chosen, "" for the latest
	Dates     []choice
	// Compare chooses the published comparators shown beside the scope
	// (statistical neighbours, region, England or all).
	Compare []choice
}

type scopeGroup struct {
	Label   string
	Options []choice
}

type choice struct {
	Value, Text string
	Selected    bool
}

// scopeChoices lists what the user can pick: England, the regions loaded
// and the councils loaded (an RCC user's member councils first).
func (h *pageHandlers) scopeChoices(r *http.Request, u identity.User, current string) []scopeGroup {
	rows, err := h.data.councils(r.Context(), u)
	if err != nil {
		return nil
	}
	sel := func(v string) bool { return v == current }
	groups := []scopeGroup{{Label: "England", Options: []choice{{Value: "/england", Text: "England (every council loaded)", Selected: sel("/england")}}}}
	seen := map[string]bool{}
	var regions []choice
	for _, c := range rows {
		if c.Region != "" && !seen[c.Region] {
			seen[c.Region] = true
			v := "/regions/" + c.Region
			regions = append(regions, choice{Value: v, Text: c.Region, Selected: sel(v)})
		}
	}
	sort.Slice(regions, func(i, j int) bool { return regions[i].Text < regions[j].Text })
	if len(regions) > 0 {
		groups = append(groups, scopeGroup{Label: "Regions", Options: regions})
	}
	var own, other []choice
	for _, c := range rows {
		v := "/councils/" + c.Code
		o := choice{Value: v, Text: c.Name, Selected: sel(v)}
		if c.Own && u.Role == identity.RoleRCC {
			own = append(own, o)
		} else {
			other = append(other, o)
		}
	}
	byText := func(os []choice) { sort.Slice(os, func(i, j int) bool { return os[i].Text < os[j].Text }) }
	byText(own)
	byText(other)
	if len(own) > 0 {
		groups = append(groups, scopeGroup{Label: "Member councils of " + u.Region, Options: own})
	}
	if len(other) > 0 {
		label := "Councils"
		if len(own) > 0 {
			label = "Other councils"
		}
		groups = append(groups, scopeGroup{Label: label, Options: other})
	}
	return groups
}

// dateChoices are the 31 Marches the loaded returns cover, latest first,
// after the latest date the data covers.
func dateChoices(res analysis.PictureResult, chosen string, latest time.Time) []choice {
	text := "The latest date in the data"
	if !latest.IsZero() {
		text = "Latest: " + formatDate(latest)
	}
	out := []choice{{Value: "", Text: text, Selected: chosen == ""}}
	for i := len(res.History) - 1; i >= 0; i-- {
		d := care.Date(res.History[i].Year, time.March, 31)
		v := d.Format("2006-01-02")
		if d.Equal(latest) {
			continue
		}
		out = append(out, choice{Value: v, Text: formatDate(d), Selected: v == chosen})
	}
	if chosen != "" {
		found := false
		for _, o := range out {
			found = found || o.Selected
		}
		if !found {
			out = append(out, choice{Value: chosen, Text: formatDate(chosen), Selected: true})
		}
	}
	return out
}

// go answers the scope picker: it redirects to the page chosen (only
// addresses of this app's picture pages are followed).
func (h *pageHandlers) goTo(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	to := q.Get("scope")
	if !(to == "/england" || strings.HasPrefix(to, "/regions/") || strings.HasPrefix(to, "/councils/")) || strings.Contains(to, "//") || strings.ContainsAny(to, "?#\\") {
		pageError(h.render, w, r, care.Errorf(care.EINVALID, "choose a council, a region or England from the list"))
		return
	}
	v := url.Values{}
	if at := q.Get("at"); at != "" {
		if _, err := time.Parse("2006-01-02", at); err != nil {
			pageError(h.render, w, r, care.Errorf(care.EINVALID, "date %q is not a date: write it as YYYY-MM-DD, e.g. 2025-03-31", at))
			return
		}
		v.Set("at", at)
	}
	if cmp := q.Get("compare"); cmp != "" && cmp != compareAll {
		if _, err := parseCompare(cmp); err != nil {
			pageError(h.render, w, r, err)
			return
		}
		v.Set("compare", cmp)
	}
	if len(v) > 0 {
		to += "?" + v.Encode()
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *pageHandlers) council(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, err := h.data.councilScope(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	c := sc.Council
	var links []link
	if u.CanSeeCouncil(c.Code) {
		links = append(links, link{"/councils/" + c.Code + "/review", "Needs-led review worklist"}, link{"/councils/" + c.Code + "/report", "Sufficiency statement (PDF, HTML, Excel)"})
	}
	links = append(links, link{"/regions/" + c.Region, "The " + c.Region + " region"}, link{"/api/v1/councils/" + c.Code + "/picture", "This picture as JSON"})
	links = append(links, outcomesLink(u, c.Code, "")...) // placements: web/outcomes.go
	h.picturePage(w, r, sc, "/councils/"+c.Code, !u.CanSeeCouncil(c.Code), links,
		[]link{{"/", "Home"}, {"/regions/" + c.Region, c.Region}})
}

func (h *pageHandlers) region(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, err := h.data.regionScope(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	name := sc.Name
	h.picturePage(w, r, sc, "/regions/"+name, !u.CanSeeRegion(name),
		append([]link{{"/api/v1/regions/" + name + "/picture", "This picture as JSON"}}, outcomesLink(u, "", name)...), []link{{"/", "Home"}})
}

func (h *pageHandlers) england(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, err := h.data.englandScope(r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	h.picturePage(w, r, sc, "/england", !u.IsAdmin(),
		[]link{{"/api/v1/england/picture", "This picture as JSON"}}, []link{{"/", "Home"}})
}

// picturePage renders the picture of the councils: headline tiles, pickers,
// charts, then every table.
func (h *pageHandlers) picturePage(w http.ResponseWriter, r *http.Request, sc analysis.Scope, path string, publish bool, links, crumbs []link) {
	name, codes := sc.Name, sc.Councils
	u, _ := userFrom(r.Context())
	at := r.URL.Query().Get("at")
	cmp, err := parseCompare(r.URL.Query().Get("compare"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	res, pr, err := h.data.picture(r.Context(), sc, at, publish)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	// The comparison picker: the comparison table (and the charts drawn
	// from it) keep only the chosen comparators (web/compare.go).
	if cmp != compareAll {
		res.Tables = compareTables(res.Tables, pr, cmp)
	}
	latest := time.Time{}
	if at == "" {
		latest = pr.At
	}
	// Tiles and charts are derived once per cached picture, and the charts
	// and tables (the same for every user of the picture: the suppression
	// is in the key) rendered once, for the page's plain address (with
	// ?at= when given; other queries change the tables' download links).
	type derived struct {
		tiles          []tile
		charts         []chartView
		chartsHTML     template.HTML
		tablesHTML     template.HTML
		tablesRendered bool
	}
	plain := r.URL.EscapedPath()
	if at != "" {
		plain += "?at=" + url.QueryEscape(at)
	}
	mk := func() any {
		d := derived{tiles: headlineTiles(pr, publish), charts: pictureCharts(pr, res.Tables, publish)}
		if h.fragment == nil {
			return d
		}
		var err1, err2 error
		d.chartsHTML, err1 = h.fragment("picture", "picture-charts", d.charts)
		d.tablesHTML, err2 = h.fragment("picture", "picture-tables", pictureTables{res.Tables, plain})
		d.tablesRendered = err1 == nil && err2 == nil
		return d
	}
	var d derived
	cached := false
	if key := h.data.pictureKey(r.Context(), name, codes, at, publish); key != "" && h.data.cache != nil && cmp == compareAll {
		d, cached = h.data.cache.derived(key, "page", mk).(derived), true
	} else {
		d = mk().(derived)
	}
	v := pictureView{
		Tiles:   d.tiles,
		Charts:  d.charts,
		Pickers: pickers{Scope: path, At: at, Dates: dateChoices(pr, at, latest), Compare: compareChoices(pr, cmp)},
	}
	v.Pickers.ScopeHTML = h.scopePicker(r.Context(), u, func() []scopeGroup { return h.scopeChoices(r, u, "") }, path)
	if v.Pickers.ScopeHTML == "" {
		v.Pickers.Scopes = h.scopeChoices(r, u, path)
	}
	var splice []template.HTML
	if cached && d.tablesRendered && r.URL.RequestURI() == plain {
		v.ChartsHTML, v.TablesHTML = spliceMark(0), spliceMark(1)
		splice = append(splice, d.chartsHTML, d.tablesHTML)
	}
	if v.Pickers.ScopeHTML != "" {
		splice = append(splice, v.Pickers.ScopeHTML)
		v.Pickers.ScopeHTML = spliceMark(len(splice) - 1)
	}
	var council, region string
	if strings.HasPrefix(path, "/councils/") && len(codes) == 1 {
		council = codes[0]
	} else if strings.HasPrefix(path, "/regions/") {
		region = name
	}
	if council != "" || region != "" {
		// The latest picture shows the referrals of the year to today; a
		// picture at a chosen date, those of the year to that date.
		var when time.Time
		if at != "" {
			when = pr.At
		}
		if v.Outcomes, err = h.outcomes.pictureOutcomes(r.Context(), u, council, region, when, publish); err != nil {
			pageError(h.render, w, r, err)
			return
		}
	}
	recordAction(r, "view picture", name+" at "+formatDate(res.At))
	h.render(w, r, 0, "picture", pageData{Title: name, Caption: "Sufficiency picture at " + formatDate(res.At), Result: &res, Links: links,
		Breadcrumbs: crumbs, Data: v, Splice: splice})
}

// headlineTiles are the headline figures of a picture. For one council each
// measure with published figures is ranked among England's councils'
// published figures of the latest published year (1 = highest) and among
// its statistical neighbours.
func headlineTiles(pr analysis.PictureResult, publish bool) []tile {
	p := pr.Picture
	hide := func(base int) bool { return publish && base >= 1 && base <= 4 }
	var out []tile
	inCare := tile{Label: "Children in care", Value: formatInt(int64(p.InCare))}
	if hide(p.InCare) {
		inCare.Value = "c"
	} else if prev, ok := yearBefore(pr); ok && !hide(prev.InCare) {
		d := p.InCare - prev.InCare
		inCare.Up, inCare.Down = d > 0, d < 0
		sign := ""
		if d > 0 {
			sign = "+"
		}
		inCare.Change = fmt.Sprintf("%s%s since 31 March %d", sign, formatInt(int64(d)), prev.Year)
	}
	out = append(out, inCare)
	year := analysis.PublishedYear(pr.At)
	measure := func(id, label string, f func(float64) string) {
		v, ok := p.Measures[id]
		if !ok {
			return
		}
		t := tile{Label: label, Value: f(v)}
		if hide(p.MeasureBase[id]) {
			t.Value = "c"
			out = append(out, t)
			return
		}
		if pr.Scope.Council != nil {
			t.Rank, t.Neighbours = rankAmong(pr.Scope.Council, id, v, year)
		}
		out = append(out, t)
	}
	if p.RatePer10k > 0 {
		measure(picture.MeasureRate, "Per 10,000 children", func(v float64) string { return formatNumber(v, 1) })
	}
	measure(picture.MeasureStarted, "Started in the year", func(v float64) string { return formatNumber(v, 0) })
	measure(picture.MeasurePctOver20, "Placed over 20 miles from home", percent)
	measure(picture.MeasurePctHomes, "In children's homes", percent)
	measure(picture.MeasurePctPrivate, "In private provision", percent)
	if p.Cost.Placements > 0 && !hide(p.Cost.Placements) {
		out = append(out, tile{Label: "Weekly spend on current placements", Value: formatMoney(p.Cost.Weekly),
			Change: formatMoney(p.Cost.Annualised()) + " a year at this rate"})
	}
	return out
}

// yearBefore is the children in care at the 31 March a year before the
// picture's date (or the last 31 March before it).
func yearBefore(pr analysis.PictureResult) (analysis.YearCount, bool) {
	want := pr.At.AddDate(-1, 0, 0)
	var best analysis.YearCount
	ok := false
	for _, h := range pr.History {
		d := care.Date(h.Year, time.March, 31)
		if !d.After(want) {
			best, ok = h, true
		}
	}
	return best, ok
}

// rankAmong ranks v among England's councils' published values of measure
// id in the year (1 = highest), with its quartile, and among the council's
// statistical neighbours.
func rankAmong(c *refdata.Council, id string, v float64, year int) (rank, neighbours string) {
	if year == 0 {
		return "", ""
	}
	var all []float64
	snSet := map[string]bool{}
	for _, s := range c.StatNeighbours {
		snSet[s] = true
	}
	var sn []float64
	for _, o := range refdata.Councils() {
		if o.Code == c.Code {
			continue
		}
		m := analysis.PublishedMeasures(o.Code, year)
		x, ok := m[id]
		if !ok || math.IsNaN(x) {
			continue
		}
		all = append(all, x)
		if snSet[o.Code] {
			sn = append(sn, x)
		}
	}
	if len(all) == 0 {
		return "", ""
	}
	pos := func(vals []float64) int {
		n := 1
		for _, x := range vals {
			if x > v {
				n++
			}
		}
		return n
	}
	r, n := pos(all), len(all)+1
	q := []string{"top", "second", "third", "bottom"}[min(3, (r-1)*4/n)]
	rank = fmt.Sprintf("%s of %d councils in England (1 = highest, published %d); %s quartile", ordinal(r), n, year, q)
	if len(sn) > 0 {
		neighbours = fmt.Sprintf("%s of %d with its statistical neighbours", ordinal(pos(sn)), len(sn)+1)
	}
	return rank, neighbours
}

// ordinal writes 1 → "1st", 22 → "22nd", 13 → "13th".
func ordinal(n int) string {
	suf := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suf = "st"
		case 2:
			suf = "nd"
		case 3:
			suf = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suf)
}
