package statement

import (
	"io"

	"sufficiency/tabular"
)

// WorkbookTables are the sheets of the statement's workbook: a contents
// sheet, every table of the statement in order (each on its own sheet,
// named by its number and title), then the sources.
func WorkbookTables(r *Report) []tabular.Table {
	ts := r.Tables()
	about := tabular.Table{Title: "Contents", Columns: []tabular.Column{{Name: "Table"}, {Name: "Section"}}}
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			if b.Kind == TableBlock && b.Table != nil {
				about.AddRow(b.Table.Title, s.Title)
			}
		}
	}
	about.AddRow("Sources", "")
	about.Notes = append(about.Notes, r.Title+", figures at "+day(r.At)+", generated on "+day(r.Made)+".",
		"Small numbers: "+suppressionWords(r.Suppressed))
	if r.Synthetic {
		about.Notes = append(about.Notes, "Made from synthetic data: no real child is described.")
	}
	src := tabular.Table{Title: "Sources", Columns: []tabular.Column{{Name: "Figures"}, {Name: "Source"}, {Name: "Date"}}}
	for _, s := range r.Sources {
		src.AddRow(s.Name, s.Detail, s.Date)
	}
	out := append([]tabular.Table{about}, ts...)
	return append(out, src)
}

// WriteXLSX writes the statement's tables as an Excel workbook.
func WriteXLSX(w io.Writer, r *Report) error {
	return tabular.WriteXLSX(w, WorkbookTables(r))
}
