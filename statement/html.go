package statement

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"sufficiency/care"
	"sufficiency/tabular"
)

//go:embed report.html.tmpl
var reportTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"chart":   func(ch *Chart, s, b int) template.HTML { return svgChart(ch, fmt.Sprintf("c%d-%d", s, b)) },
	"cell":    cell,
	"numeric": func(c tabular.Column) bool { return c.Kind != tabular.Text },
	"day":     day,
	"page": func(pages map[string]int, id string) string {
		if n, ok := pages[id]; ok {
			return fmt.Sprint(n)
		}
		return ""
	},
}).Parse(reportTemplate))

// cell formats a table cell as tabular does, with thousands separated in
// whole numbers and counts (1,234), as people read them.
func cell(c tabular.Column, v any) string { return tabular.FormatGrouped(c, v) }

// htmlView is what the template reads.
type htmlView struct {
	*Report
	// Print lays the page out for A4 print (a contents page, sections
	// starting on new pages).
	Print bool
	// Pages gives each section's page number in the printed document.
	Pages map[string]int
}

// WriteHTML writes the statement as one standalone HTML file: styles and
// charts inline, no script, no external resource.
func WriteHTML(w io.Writer, r *Report) error {
	return writeHTML(w, htmlView{Report: r})
}

func writeHTML(w io.Writer, v htmlView) error {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return care.WrapError(care.EINTERNAL, err, "render the statement")
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return care.WrapError(care.EUNUSABLE, err, "write the statement")
	}
	return nil
}
