package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/refdata"
	"sufficiency/scenario"
	"sufficiency/statement"
	"sufficiency/store"
	"sufficiency/tabular"
)

// The sufficiency statement: a page that previews it (its sentences, charts
// and tables in the app's own style) with a form for the commissioning
// intentions and the saved scenario runs to attach, downloads as HTML, PDF
// or Excel (GET ?format= or the form's POST; the form can also preview the
// statement with them), and the same files from the API (?scenario=ID).

// reportHandlers serve the statement's page, downloads and API.
type reportHandlers struct {
	st     analysis.Store
	scen   store.ScenarioStore // nil when the store keeps no scenarios
	now    func() time.Time
	render renderFunc
}

func (s *Server) reportHandlers() *reportHandlers {
	now := s.cfg.Now
	if now == nil {
		now = time.Now
	}
	scen, _ := s.cfg.Store.(store.ScenarioStore)
	return &reportHandlers{st: s.cfg.Store, scen: scen, now: now, render: s.render}
}

// maxIntentions bounds the commissioning intentions a form may send.
const maxIntentions = 64 << 10

// reportFormats are the files a statement downloads as, with their media types.
var reportFormats = map[string]string{
	"html": "text/html; charset=utf-8",
	"pdf":  "application/pdf",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// scope resolves the council ({code}) or region ({name}) of the request and
// checks the user may see its child-level figures.
func (h *reportHandlers) scope(ctx context.Context, u identity.User, r *http.Request) (analysis.Scope, string, error) {
	// The user's right is checked before anything about the data is said.
	spec, err := regionParam(r)
	path, name := "/regions/"+url.PathEscape(spec.Region)+"/report", spec.Region
	if r.PathValue("code") != "" {
		spec, err = councilParam(r)
		path, name = "/councils/"+spec.LA()+"/report", refdata.CouncilName(spec.LA())
	}
	if err != nil {
		return analysis.Scope{}, "", err
	}
	if !maySeeScope(u, spec) {
		return analysis.Scope{}, "", forbidden("the sufficiency statement of " + name)
	}
	sc, err := analysis.Resolve(ctx, h.st, spec)
	return sc, path, err
}

// runsFor lists the saved scenario runs the user may attach to the
// statement of sc: those the user may see covering exactly its councils.
func (h *reportHandlers) runsFor(ctx context.Context, u identity.User, sc analysis.Scope) ([]store.SavedScenario, error) {
	if h.scen == nil || u.Role == identity.RoleProvider {
		return nil, nil
	}
	all, err := h.scen.Scenarios(ctx, store.ScenarioFilter{})
	if err != nil {
		return nil, err
	}
	var out []store.SavedScenario
	for _, s := range all {
		if maySee(u, s) == nil && statement.SameCouncils(s.Councils, sc.Councils) {
			out = append(out, s)
		}
	}
	return out, nil
}

// maxAttached bounds the scenario runs one statement attaches.
const maxAttached = 10

// attached reads the saved runs named by ids (the form's or the query's
// scenario values) for the statement of sc: each must exist, be visible to
// the user and cover the statement's councils.
func (h *reportHandlers) attached(ctx context.Context, u identity.User, sc analysis.Scope, ids []string) ([]*scenario.Result, []int64, error) {
	if len(ids) == 0 {
		return nil, nil, nil
	}
	if h.scen == nil {
		return nil, nil, care.Errorf(care.EINVALID, "this database keeps no scenario runs to attach")
	}
	if u.Role == identity.RoleProvider {
		return nil, nil, forbidden("scenario runs")
	}
	if len(ids) > maxAttached {
		return nil, nil, care.Errorf(care.EINVALID, "%d scenario runs attached: attach at most %d", len(ids), maxAttached)
	}
	var out []*scenario.Result
	var got []int64
	seen := map[int64]bool{}
	for _, v := range ids {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return nil, nil, care.Errorf(care.EINVALID, "scenario %q: give the number of a saved scenario run (see /scenarios)", v)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		s, err := h.scen.Scenario(ctx, id)
		if err == nil {
			err = maySee(u, s)
		}
		if err != nil {
			return nil, nil, err
		}
		if !statement.SameCouncils(s.Councils, sc.Councils) {
			return nil, nil, care.Errorf(care.EINVALID, "scenario run %d (%s) is of %s, the statement of %s: attach runs of the same council or region", id, s.Name, s.Scope, sc.Name)
		}
		res, err := scenario.Decode(s)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, res)
		got = append(got, id)
	}
	return out, got, nil
}

// build makes the statement of the request's scope: ?at= (or the form's at),
// the intentions given and the scenario runs attached.
func (h *reportHandlers) build(ctx context.Context, sc analysis.Scope, at, intentions string, runs []*scenario.Result) (*statement.Report, error) {
	if len(intentions) > maxIntentions {
		return nil, care.Errorf(care.EINVALID, "the commissioning intentions are %d characters long: keep them under %d (link to longer plans instead)", len(intentions), maxIntentions)
	}
	src := ""
	if strings.TrimSpace(intentions) != "" {
		src = "the statement page's form"
	}
	return statement.Build(ctx, h.st, sc, statement.Options{Options: analysis.Options{At: at, Now: h.now},
		Intentions: intentions, IntentionsSource: src, Results: runs})
}

// file writes the statement as format (html, pdf or xlsx) for download.
func (h *reportHandlers) file(ctx context.Context, w http.ResponseWriter, rep *statement.Report, format string) error {
	ct, ok := reportFormats[format]
	if !ok {
		return care.Errorf(care.EINVALID, "format %q: use html, pdf or xlsx", format)
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "html":
		err = statement.WriteHTML(&buf, rep)
	case "pdf":
		err = statement.WritePDF(ctx, &buf, rep)
	case "xlsx":
		err = statement.WriteXLSX(&buf, rep)
	}
	if err != nil {
		return err
	}
	name := fmt.Sprintf("sufficiency-statement-%s-%s.%s", slug(rep.Area), rep.At.Format("2006-01-02"), format)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
	return nil
}

// reportView is the page's own data.
type reportView struct {
	Base, At, Intentions string
	Area                 string
	Made                 string
	Sections             []reportSectionView
	// Runs are the saved scenario runs that may be attached; Query carries
	// the attached ones into the download links.
	Runs      []reportRunView
	Query     template.URL // "&scenario=ID..." (IDs are numbers)
	Previewed bool         // the form's intentions and runs are in the preview
}

// reportRunView is one saved scenario run offered on the form.
type reportRunView struct {
	ID      int64
	Label   string
	Checked bool
}

type reportSectionView struct {
	ID, Title string
	Number    int
	Blocks    []reportBlockView
}

type reportBlockView struct {
	Kind  string // para, heading, list, chart, table, quote
	Text  string
	Items []string
	Title string
	SVG   template.HTML
	Table *tableView
}

func reportViewOf(rep *statement.Report, base, at, intentions string, runs []store.SavedScenario, chosen []int64) reportView {
	v := reportView{Base: base, At: at, Intentions: intentions, Area: rep.Area, Made: formatDate(rep.Made)}
	on := map[int64]bool{}
	q := url.Values{}
	for _, id := range chosen {
		on[id] = true
		q.Add("scenario", strconv.FormatInt(id, 10))
	}
	if len(q) > 0 {
		v.Query = template.URL("&" + q.Encode())
	}
	for _, s := range runs {
		v.Runs = append(v.Runs, reportRunView{ID: s.ID, Checked: on[s.ID],
			Label: fmt.Sprintf("%s (version %d), from %s, run by %s on %s", s.Name, s.Version, formatDate(s.Origin.Format("2006-01-02")), s.Actor, s.At.Format("2 January 2006"))})
	}
	kinds := map[statement.BlockKind]string{statement.Paragraph: "para", statement.Heading: "heading", statement.List: "list",
		statement.Figure: "chart", statement.TableBlock: "table", statement.Quote: "quote"}
	for _, s := range rep.Sections {
		sv := reportSectionView{ID: s.ID, Title: s.Title, Number: s.Number}
		for bi, b := range s.Blocks {
			bv := reportBlockView{Kind: kinds[b.Kind], Text: b.Text, Items: b.Items}
			switch b.Kind {
			case statement.Figure:
				bv.Title = b.Chart.Title
				bv.SVG = statement.ChartSVG(b.Chart, fmt.Sprintf("rc-%s-%d", s.ID, bi))
			case statement.TableBlock:
				tv := tableViews([]tabular.Table{*b.Table}, "")[0]
				tv.ID = fmt.Sprintf("rt-%s-%d", s.ID, bi)
				bv.Table = &tv
			}
			sv.Blocks = append(sv.Blocks, bv)
		}
		v.Sections = append(v.Sections, sv)
	}
	return v
}

// page serves GET (the preview, or ?format= a download) and POST (the
// form: a download with the intentions typed).
func (h *reportHandlers) page(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, base, err := h.scope(r.Context(), u, r)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	at, intentions, format := r.URL.Query().Get("at"), "", r.URL.Query().Get("format")
	ids := r.URL.Query()["scenario"]
	preview := false
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			pageError(h.render, w, r, care.WrapError(care.EINVALID, err, "the form could not be read; send it again"))
			return
		}
		at, intentions, format, ids = r.PostForm.Get("at"), r.PostForm.Get("intentions"), r.PostForm.Get("format"), r.PostForm["scenario"]
		if format == "" {
			format = "html"
		}
		if r.PostForm.Get("preview") != "" {
			format, preview = "", true
		}
	}
	if format != "" {
		if _, ok := reportFormats[format]; !ok {
			pageError(h.render, w, r, care.Errorf(care.EINVALID, "format %q: use html, pdf or xlsx", format))
			return
		}
	}
	runs, chosen, err := h.attached(r.Context(), u, sc, ids)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	rep, err := h.build(r.Context(), sc, at, intentions, runs)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	if format != "" {
		if err := h.file(r.Context(), w, rep, format); err != nil {
			pageError(h.render, w, r, err)
		}
		return
	}
	crumbs := []link{{"/", "Home"}}
	if sc.Council != nil {
		crumbs = append(crumbs, link{"/regions/" + sc.Council.Region, sc.Council.Region}, link{"/councils/" + sc.Council.Code, sc.Name})
	} else {
		crumbs = append(crumbs, link{"/regions/" + sc.Region, sc.Region})
	}
	offered, err := h.runsFor(r.Context(), u, sc)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	v := reportViewOf(rep, base, rep.At.Format("2006-01-02"), intentions, offered, chosen)
	v.Previewed = preview
	h.render(w, r, 0, "report", pageData{Title: "Sufficiency statement", Caption: sc.Name + " at " + formatDate(rep.At),
		Breadcrumbs: crumbs, Data: v})
}

// api serves GET /api/v1/councils/{code}/report?format=html|pdf|xlsx[&at=]
// [&scenario=ID...] (and the region's): the statement as a file, with the
// saved scenario runs named attached.
func (h *reportHandlers) api(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, _, err := h.scope(r.Context(), u, r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "html"
	}
	if _, ok := reportFormats[format]; !ok {
		apiError(w, r, care.Errorf(care.EINVALID, "format %q: use html, pdf or xlsx", format))
		return
	}
	runs, _, err := h.attached(r.Context(), u, sc, r.URL.Query()["scenario"])
	if err != nil {
		apiError(w, r, err)
		return
	}
	rep, err := h.build(r.Context(), sc, r.URL.Query().Get("at"), "", runs)
	if err != nil {
		apiError(w, r, err)
		return
	}
	if err := h.file(r.Context(), w, rep, format); err != nil {
		apiError(w, r, err)
	}
}
