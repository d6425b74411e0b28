package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"sufficiency/care"
	"sufficiency/tabular"
)

// download writes tables as a CSV file or an Excel workbook (format "csv" or
// "xlsx"), with the same writers as the CLI's --format. ?table=N picks one
// table. The tables are what the page shows the viewer, so the suppression of
// the viewer's role has been applied already.
func download(w http.ResponseWriter, r *http.Request, title, format string, tables []tabular.Table) {
	name := slug(title)
	if name == "" {
		name = "tables"
	}
	if s := r.URL.Query().Get("table"); s != "" {
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= len(tables) {
			pageErrorPlain(w, r, care.Errorf(care.EINVALID, "no table %q on this page: give table=0 to %d", s, len(tables)-1))
			return
		}
		tables = tables[i : i+1]
		if t := slug(tables[0].Title); t != "" {
			name = t
		}
	}
	var buf bytes.Buffer
	var ctype string
	switch format {
	case "csv":
		ctype = "text/csv; charset=utf-8"
		if err := tabular.WriteCSV(&buf, tables); err != nil {
			pageErrorPlain(w, r, care.WrapError(care.EINTERNAL, err, "write CSV"))
			return
		}
	case "xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		if err := tabular.WriteXLSX(&buf, tables); err != nil {
			pageErrorPlain(w, r, care.WrapError(care.EINTERNAL, err, "write Excel workbook"))
			return
		}
	default:
		pageErrorPlain(w, r, care.Errorf(care.EINVALID, "no download format %q: use csv or xlsx", format))
		return
	}
	if len(name) > 80 {
		name = name[:80]
	}
	recordAction(r, "export", format+" of "+title) // before the first byte: it is in the request's audit entry
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"."+format))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// pageErrorPlain answers err as plain text with its status (downloads).
func pageErrorPlain(w http.ResponseWriter, r *http.Request, err error) {
	logFault(r, err)
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, publicMessage(err), status(err))
}
