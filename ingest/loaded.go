package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sufficiency/care"
	"sufficiency/internal/errwriter"
	"sufficiency/store"
	"sufficiency/tabular"
)

// What is loaded: each council's years, children, episodes and last import
// (Status), a council's children as imported (ChildRecords), and the summary
// of a multi-council import (Summarise). The CLI's status, children and
// import verbs print these; the words on what to do next are the edge's.

// CouncilStatus is one council as loaded: its collection years, children,
// episodes and imports, and the findings of its last import.
type CouncilStatus struct {
	Council      string `json:"council"`
	Years        []int  `json:"years"`
	Children     int    `json:"children"`
	Episodes     int    `json:"episodes"`
	Imports      int    `json:"imports"`
	LastImportID int64  `json:"last_import_id"`
	LastImport   string `json:"last_import"`
	LastActor    string `json:"last_import_by"`
	Errors       int    `json:"last_import_errors"`
	Warnings     int    `json:"last_import_warnings"`
	Accepted     bool   `json:"last_import_accepted_errors"`
}

// Status is every council loaded in st, in the store's order.
func Status(ctx context.Context, st store.Store) ([]CouncilStatus, error) {
	summaries, err := st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	imports, err := st.Imports(ctx, "")
	if err != nil {
		return nil, err
	}
	byID := map[int64]store.ImportRecord{}
	for _, r := range imports {
		byID[r.ID] = r
	}
	out := []CouncilStatus{}
	for _, s := range summaries {
		cs := CouncilStatus{Council: s.Council, Years: s.Years, Children: s.Children, Episodes: s.Episodes, Imports: s.Imports,
			LastImportID: s.LastImportID, LastActor: s.LastActor}
		if cs.Years == nil {
			cs.Years = []int{}
		}
		if !s.LastImport.IsZero() {
			cs.LastImport = s.LastImport.UTC().Format(time.RFC3339)
		}
		if r, ok := byID[s.LastImportID]; ok {
			cs.Errors, cs.Warnings, cs.Accepted = r.Errors, r.Warnings, r.AcceptedErrors
		}
		out = append(out, cs)
	}
	return out, nil
}

// WriteStatusJSON writes the database's name and its councils as JSON.
func WriteStatusJSON(w io.Writer, database string, cs []CouncilStatus) error {
	if cs == nil {
		cs = []CouncilStatus{}
	}
	return writeJSON(w, struct {
		Database string          `json:"database"`
		Councils []CouncilStatus `json:"councils"`
	}{database, cs})
}

// WriteStatusText writes the councils as a table; with none, that nothing is
// loaded, followed by howToLoad (the edge's words).
func WriteStatusText(w io.Writer, database string, cs []CouncilStatus, howToLoad string) error {
	ew := &errwriter.Writer{W: w}
	if len(cs) == 0 {
		fmt.Fprintf(ew, "Nothing is loaded in %s yet. %s\n", database, howToLoad)
		return ew.Err
	}
	fmt.Fprintf(ew, "Database %s: %d council(s)\n\n", database, len(cs))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "council\tyears\tchildren\tepisodes\timports\tlast import\tby\tfindings")
	for _, c := range cs {
		years := "none"
		if len(c.Years) > 0 {
			years = care.YearLabel(c.Years[0])
			if len(c.Years) > 1 {
				years += " to " + care.YearLabel(c.Years[len(c.Years)-1])
				if c.Years[len(c.Years)-1]-c.Years[0]+1 != len(c.Years) {
					years += fmt.Sprintf(" (%d years)", len(c.Years))
				}
			}
		}
		findings := fmt.Sprintf("%d errors, %d warnings", c.Errors, c.Warnings)
		if c.Accepted {
			findings += " (accepted)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", c.Council, years, c.Children, c.Episodes, c.Imports,
			strings.Replace(c.LastImport, "T", " ", 1), c.LastActor, findings)
	}
	tw.Flush()
	return ew.Err
}

// ChildRecord is one child as imported, with the needs kept beside the
// return.
type ChildRecord struct {
	Council   string   `json:"council"`
	Child     string   `json:"child"`
	Sex       string   `json:"sex"`
	DOB       string   `json:"dob"`
	Ethnicity string   `json:"ethnicity"`
	UPN       string   `json:"upn"`
	UASC      bool     `json:"uasc"`
	UASCEnded string   `json:"uasc_ended"`
	NeedsTier int      `json:"needs_tier"`
	Risks     []string `json:"risks"`
}

var childColumns = []string{"council", "child", "sex", "dob", "ethnicity", "upn", "uasc", "uasc_ended", "needs_tier", "risks"}

func (c ChildRecord) values() []string {
	uasc := "N"
	if c.UASC {
		uasc = "Y"
	}
	return []string{c.Council, c.Child, c.Sex, c.DOB, c.Ethnicity, c.UPN, uasc, c.UASCEnded,
		strconv.Itoa(c.NeedsTier), strings.Join(c.Risks, ";")}
}

// ChildRecords are the children as records (dates as YYYY-MM-DD, "" for
// none; risks never nil).
func ChildRecords(children []care.Child) []ChildRecord {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	recs := make([]ChildRecord, len(children))
	for i, c := range children {
		recs[i] = ChildRecord{Council: c.Council, Child: c.ID, Sex: string(c.Sex), DOB: day(c.DOB), Ethnicity: c.Ethnicity,
			UPN: c.UPN, UASC: c.UASC, UASCEnded: day(c.UASCEnded), NeedsTier: int(c.Needs.Tier), Risks: []string{}}
		for _, r := range c.Needs.Risks {
			recs[i].Risks = append(recs[i].Risks, string(r))
		}
	}
	return recs
}

// WriteChildren writes the records as text (a table and a count), json or
// csv.
func WriteChildren(w io.Writer, format string, recs []ChildRecord) error {
	switch format {
	case "json":
		return writeJSON(w, recs)
	case "csv":
		cw := tabular.NewCSVWriter(w)
		cw.Write(childColumns)
		for _, r := range recs {
			cw.Write(r.values())
		}
		cw.Flush()
		return cw.Error()
	}
	ew := &errwriter.Writer{W: w}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(childColumns, "\t"))
	for _, r := range recs {
		fmt.Fprintln(tw, strings.Join(r.values(), "\t"))
	}
	tw.Flush()
	council := ""
	if len(recs) > 0 {
		council = " of " + recs[0].Council
	}
	fmt.Fprintf(ew, "%d children%s\n", len(recs), council)
	return ew.Err
}

// Summary is what a multi-council import came to: the councils imported,
// their children and episodes, and those refused for validation errors or
// not imported for another reason (in the order of the folders).
type Summary struct {
	Councils, Imported, Children, Episodes int
	Refused, Failed                        []string
}

// Summarise counts the outcomes RunMany returned (folders never started are
// left out of Imported).
func Summarise(outcomes []Outcome) Summary {
	s := Summary{Councils: len(outcomes)}
	for _, o := range outcomes {
		switch {
		case o.Folder.Council == "":
		case o.Err == nil:
			s.Imported++
			s.Children += o.Result.Children
			s.Episodes += o.Result.Episodes
		case care.ErrorCode(o.Err) == care.EREJECTED:
			s.Refused = append(s.Refused, o.Folder.Council)
		default:
			s.Failed = append(s.Failed, o.Folder.Council)
		}
	}
	return s
}

// WriteText writes the summary in a few sentences, wall the time taken.
func (s Summary) WriteText(w io.Writer, wall time.Duration) error {
	ew := &errwriter.Writer{W: w}
	fmt.Fprintf(ew, "Imported %d of %d councils in %.1f s: %s children, %s episodes.\n", s.Imported, s.Councils, wall.Seconds(),
		tabular.Thousands(int64(s.Children)), tabular.Thousands(int64(s.Episodes)))
	if len(s.Refused) > 0 {
		fmt.Fprintf(ew, "Refused for validation errors (nothing imported for them): %s.\n", strings.Join(s.Refused, ", "))
	}
	if len(s.Failed) > 0 {
		fmt.Fprintf(ew, "Not imported: %s.\n", strings.Join(s.Failed, ", "))
	}
	return ew.Err
}

// Err is the summary as an error: EINTERNAL when a council could not be
// imported, EREJECTED when one was refused, else nil.
func (s Summary) Err() error {
	switch {
	case len(s.Failed) > 0:
		return care.Errorf(care.EINTERNAL, "import: %d of %d councils could not be imported (%s); the others are imported", len(s.Failed), s.Councils, strings.Join(s.Failed, ", "))
	case len(s.Refused) > 0:
		return care.Errorf(care.EREJECTED, "import: %d of %d councils were refused for validation errors (%s); the others are imported", len(s.Refused), s.Councils, strings.Join(s.Refused, ", "))
	}
	return nil
}

// WriteManyJSON writes each council's outcome and the time taken as JSON;
// folders never started (RunMany's zero Outcome) are left out, as in
// Summarise.
func WriteManyJSON(w io.Writer, outcomes []Outcome, wall time.Duration) error {
	type row struct {
		Council  string `json:"council"`
		Imported bool   `json:"imported"`
		ImportID int64  `json:"import_id,omitempty"`
		Children int    `json:"children"`
		Episodes int    `json:"episodes"`
		Errors   int    `json:"errors"`
		Warnings int    `json:"warnings"`
		Error    string `json:"error,omitempty"`
	}
	rows := []row{}
	for _, d := range outcomes {
		if d.Folder.Council == "" {
			continue // never started (the context ended first): not a council imported
		}
		r := row{Council: d.Folder.Council, Imported: d.Err == nil, ImportID: d.Result.ImportID, Children: d.Result.Children,
			Episodes: d.Result.Episodes, Errors: d.Result.Errors, Warnings: d.Result.Warnings}
		if d.Err != nil {
			r.Error = d.Err.Error()
		}
		rows = append(rows, r)
	}
	return writeJSON(w, struct {
		Councils []row   `json:"councils"`
		Seconds  float64 `json:"seconds"`
	}{rows, wall.Seconds()})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
