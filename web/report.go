package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/statement"
	"sufficiency/tabular"
)

// The sufficiency statement: a page that previews it (its sentences, charts
// and tables in the app's own style) with a form for the commissioning
// intentions, downloads as HTML, PDF or Excel (GET ?format= or the form's
// POST), and the same files from the API.

// reportHandlers serve the statement's page, downloads and API.
type reportHandlers struct {
	st     analysis.Store
	now    func() time.Time
	render renderFunc
}

func (s *Server) reportHandlers() *reportHandlers {
	now := s.cfg.Now
	if now == nil {
		now = time.Now
	}
	return &reportHandlers{st: s.cfg.Store, now: now, render: s.render}
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
func (h *reportHandlers) scope(ctx context.Context, u auth.User, r *http.Request) (analysis.Scope, string, error) {
	// The user's right is checked before anything about the data is said.
	if code := r.PathValue("code"); code != "" {
		c, ok := refdata.CouncilByCode(code)
		if !ok {
			return analysis.Scope{}, "", care.Errorf(care.ENOTFOUND, "no council %q: give an ONS code (E08000003), a DfE code (352) or a name", code)
		}
		if !u.CanSeeCouncil(c.Code) {
			return analysis.Scope{}, "", forbidden("the sufficiency statement of " + c.Name)
		}
		sc, err := analysis.CouncilScope(ctx, h.st, c.Code)
		return sc, "/councils/" + c.Code + "/report", err
	}
	region, err := analysis.MarketRegion(r.PathValue("name"))
	if err != nil || region == "" {
		return analysis.Scope{}, "", care.Errorf(care.ENOTFOUND, "no region %q: use one of %s", r.PathValue("name"), strings.Join(refdata.Regions(), ", "))
	}
	if !u.CanSeeRegion(region) {
		return analysis.Scope{}, "", forbidden("the sufficiency statement of " + region)
	}
	sc, err := analysis.RegionScope(ctx, h.st, region)
	return sc, "/regions/" + url.PathEscape(region) + "/report", err
}

// build makes the statement of the request's scope: ?at= (or the form's at)
// and the intentions given.
func (h *reportHandlers) build(ctx context.Context, sc analysis.Scope, at, intentions string) (*statement.Report, error) {
	if len(intentions) > maxIntentions {
		return nil, care.Errorf(care.EINVALID, "the commissioning intentions are %d characters long: keep them under %d (link to longer plans instead)", len(intentions), maxIntentions)
	}
	src := ""
	if strings.TrimSpace(intentions) != "" {
		src = "the statement page's form"
	}
	return statement.Build(ctx, h.st, sc, statement.Options{Options: analysis.Options{At: at, Now: h.now},
		Intentions: intentions, IntentionsSource: src})
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

func reportViewOf(rep *statement.Report, base, at, intentions string) reportView {
	v := reportView{Base: base, At: at, Intentions: intentions, Area: rep.Area, Made: formatDate(rep.Made)}
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
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			pageError(h.render, w, r, care.WrapError(care.EINVALID, err, "the form could not be read; send it again"))
			return
		}
		at, intentions, format = r.PostForm.Get("at"), r.PostForm.Get("intentions"), r.PostForm.Get("format")
		if format == "" {
			format = "html"
		}
	}
	if format != "" {
		if _, ok := reportFormats[format]; !ok {
			pageError(h.render, w, r, care.Errorf(care.EINVALID, "format %q: use html, pdf or xlsx", format))
			return
		}
	}
	rep, err := h.build(r.Context(), sc, at, intentions)
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
	h.render(w, r, 0, "report", pageData{Title: "Sufficiency statement", Caption: sc.Name + " at " + formatDate(rep.At),
		Breadcrumbs: crumbs, Data: reportViewOf(rep, base, rep.At.Format("2006-01-02"), intentions)})
}

// api serves GET /api/v1/councils/{code}/report?format=html|pdf|xlsx[&at=]
// (and the region's): the statement as a file.
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
	rep, err := h.build(r.Context(), sc, r.URL.Query().Get("at"), "")
	if err != nil {
		apiError(w, r, err)
		return
	}
	if err := h.file(r.Context(), w, rep, format); err != nil {
		apiError(w, r, err)
	}
}
