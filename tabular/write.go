package tabular

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"sufficiency/care"
)

// Formats the writers support.
const (
	FormatText = "text"
	FormatJSON = "json"
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Write writes tables in the named format. XLSX is binary: write it to a file,
// not a terminal. Returns EINVALID for an unknown format.
func Write(w io.Writer, format string, tables []Table) error {
	switch format {
	case FormatText, "":
		return WriteText(w, tables)
	case FormatJSON:
		return WriteJSON(w, tables)
	case FormatCSV:
		return WriteCSV(w, tables)
	case FormatXLSX:
		return WriteXLSX(w, tables)
	}
	return care.Errorf(care.EINVALID, "unknown format %q: use text, json, csv or xlsx", format)
}

// WriteText writes the tables as aligned plain text: the title, a header, the
// rows (numbers right-aligned) and the notes, with a blank line between tables.
func WriteText(w io.Writer, tables []Table) error {
	var b strings.Builder
	for ti, t := range tables {
		if ti > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t.Title)
		b.WriteByte('\n')
		width := make([]int, len(t.Columns))
		cells := make([][]string, len(t.Rows))
		for j, c := range t.Columns {
			width[j] = utf8.RuneCountInString(c.Name)
		}
		for i, r := range t.Rows {
			cells[i] = make([]string, len(t.Columns))
			for j, c := range t.Columns {
				var v any
				if j < len(r) {
					v = r[j]
				}
				s := FormatGrouped(c, v)
				cells[i][j] = s
				width[j] = max(width[j], utf8.RuneCountInString(s))
			}
		}
		line := func(vals []string) {
			for j, s := range vals {
				if j > 0 {
					b.WriteString("  ")
				}
				pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(s))
				if t.Columns[j].Kind == Text {
					b.WriteString(s)
					if j < len(vals)-1 {
						b.WriteString(pad)
					}
				} else {
					b.WriteString(pad + s)
				}
			}
			b.WriteByte('\n')
		}
		names := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			names[j] = c.Name
		}
		line(names)
		for i := range cells {
			line(cells[i])
		}
		for _, n := range t.Notes {
			b.WriteString("  Note: " + n + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV writes the tables as CSV: for each table a row holding its title,
// the header row, the data rows, and a blank row between tables. Numbers are
// plain (money in pounds, no separators); notes are not written. Text that a
// spreadsheet would read as a formula is neutralised (NeutralizeCell).
func WriteCSV(w io.Writer, tables []Table) error {
	cw := NewCSVWriter(w)
	for ti, t := range tables {
		if ti > 0 {
			_ = cw.Write([]string{})
		}
		if len(tables) > 1 {
			_ = cw.Write([]string{t.Title})
		}
		names := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			names[j] = c.Name
		}
		_ = cw.Write(names)
		for _, r := range t.Rows {
			rec := make([]string, len(t.Columns))
			for j, c := range t.Columns {
				if j < len(r) {
					rec[j] = csvCell(c, r[j])
				}
			}
			_ = cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(c Column, v any) string {
	switch x := plain(c, v).(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	default:
		return Format(c, x)
	}
}

// jsonTable is the JSON shape of a table: rows as objects keyed by column name.
type jsonTable struct {
	Title   string           `json:"title"`
	Columns []string         `json:"columns"`
	Rows    []map[string]any `json:"rows"`
	Notes   []string         `json:"notes,omitempty"`
}

// WriteJSON writes the tables as a JSON array of {title, columns, rows, notes},
// each row an object keyed by column name; numbers stay numbers and money is
// in pounds.
func WriteJSON(w io.Writer, tables []Table) error {
	out := make([]jsonTable, 0, len(tables))
	for _, t := range tables {
		jt := jsonTable{Title: t.Title, Notes: t.Notes, Rows: make([]map[string]any, 0, len(t.Rows))}
		for _, c := range t.Columns {
			jt.Columns = append(jt.Columns, c.Name)
		}
		for _, r := range t.Rows {
			m := make(map[string]any, len(t.Columns))
			for j, c := range t.Columns {
				if j < len(r) {
					m[c.Name] = plain(c, r[j])
				}
			}
			jt.Rows = append(jt.Rows, m)
		}
		out = append(out, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteXLSX writes the tables as an Excel workbook, one sheet per table (the
// sheet named after the title, shortened to Excel's 31 characters and made
// unique). Row 1 holds the title, row 2 the header, then the data; notes
// follow the data after a blank row. Numbers are stored as numbers.
func WriteXLSX(w io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	used := map[string]bool{}
	for ti, t := range tables {
		name := SheetName(t.Title, used)
		if ti == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return care.WrapError(care.EINTERNAL, err, "name sheet %q", name)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return care.WrapError(care.EINTERNAL, err, "add sheet %q", name)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return care.WrapError(care.EINTERNAL, err, "write sheet %q", name)
		}
		row := 1
		put := func(vals []any) error {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			row++
			return sw.SetRow(cell, vals)
		}
		if err := put([]any{t.Title}); err != nil {
			return care.WrapError(care.EINTERNAL, err, "write sheet %q", name)
		}
		head := make([]any, len(t.Columns))
		for j, c := range t.Columns {
			head[j] = c.Name
		}
		if err := put(head); err != nil {
			return care.WrapError(care.EINTERNAL, err, "write sheet %q", name)
		}
		for _, r := range t.Rows {
			vals := make([]any, len(t.Columns))
			for j, c := range t.Columns {
				if j < len(r) {
					vals[j] = plain(c, r[j])
				}
			}
			if err := put(vals); err != nil {
				return care.WrapError(care.EINTERNAL, err, "write sheet %q", name)
			}
		}
		if len(t.Notes) > 0 {
			row++
			for _, n := range t.Notes {
				if err := put([]any{n}); err != nil {
					return care.WrapError(care.EINTERNAL, err, "write sheet %q", name)
				}
			}
		}
		if err := sw.Flush(); err != nil {
			return care.WrapError(care.EINTERNAL, err, "write sheet %q", name)
		}
	}
	if len(tables) == 0 {
		_ = f.SetCellValue("Sheet1", "A1", "no tables")
	}
	if _, err := f.WriteTo(w); err != nil {
		return care.WrapError(care.EUNUSABLE, err, "write the workbook; check the output path is writable")
	}
	return nil
}

// SheetName turns a table title into a valid, unique Excel sheet name: the
// characters Excel forbids (: \ / ? * [ ]) become spaces, it is cut to 31
// characters and, if already used, numbered.
func SheetName(title string, used map[string]bool) string {
	r := strings.NewReplacer(":", " ", "\\", " ", "/", " ", "?", " ", "*", " ", "[", "(", "]", ")", "'", "")
	name := strings.Join(strings.Fields(r.Replace(title)), " ")
	if name == "" {
		name = "Table"
	}
	name = cut(name, 31)
	base := name
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := " (" + itoa(i) + ")"
		name = cut(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

func itoa(i int) string {
	return strings.TrimSpace(Format(Column{Kind: Count}, i))
}

// Value is a cell as the JSON writer writes it: a number for counts, money
// (pounds) and percentages, the suppression symbol or text as it is, nil
// for an empty cell.
func Value(c Column, v any) any { return plain(c, v) }
