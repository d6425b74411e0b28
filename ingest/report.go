package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"sufficiency/care"
	"sufficiency/internal/errwriter"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
)

// This file writes what an import did (or would have done) for people, as
// text, and for programs, as JSON: the years, files and rows stored, the
// findings counted by rule, the rows left out and the stitching rules
// applied.

// Hints are the edge's words for what a reader of the text report or of
// Run's errors can do next: the command that lists the findings, the option
// that imports despite errors, the option that names the council. The CLI
// gives its own; "" leaves the hint out (or says it in the domain's words).
type Hints struct {
	SeeFindings  string // e.g. "sufficiency validate"
	AcceptErrors string // e.g. "--accept-errors"
	Council      string // e.g. "--la"
}

// refused says what to do with files whose validation errors refused an
// import of paths: in the edge's words when it gave them.
func (h Hints) refused(paths []string) string {
	see := "see the findings by rule code and fix the files"
	if h.SeeFindings != "" {
		see = fmt.Sprintf("run \"%s %s\" to see them by rule code and fix the files", h.SeeFindings, strings.Join(paths, " "))
	}
	accept := "or import accepting errors, to import what can be interpreted and record the findings"
	if h.AcceptErrors != "" {
		accept = "or import with " + h.AcceptErrors + " to import what can be interpreted and record the findings"
	}
	return see + ", " + accept
}

// yearsLabel lists collection years as "2023/24, 2024/25" ("none" for none).
func yearsLabel(years []int) string {
	if len(years) == 0 {
		return "none"
	}
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = care.YearLabel(y)
	}
	return strings.Join(parts, ", ")
}

// ruleCount is how many findings one rule code gave.
type ruleCount struct {
	Severity ssda903.Severity `json:"severity"`
	RuleCode string           `json:"rule_code"`
	Count    int              `json:"count"`
}

// countByRule counts findings by severity and rule code, most frequent first.
func countByRule(findings []ssda903.Finding) []ruleCount {
	m := map[[2]string]int{}
	for _, f := range findings {
		m[[2]string{string(f.Severity), f.RuleCode}]++
	}
	out := make([]ruleCount, 0, len(m))
	for k, n := range m {
		out = append(out, ruleCount{Severity: ssda903.Severity(k[0]), RuleCode: k[1], Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity == ssda903.SeverityError
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].RuleCode < out[j].RuleCode
	})
	return out
}

// WriteText writes r as text; imported says whether the import was
// committed (false: refused for validation errors).
func (r Result) WriteText(w io.Writer, imported bool, h Hints) error {
	ew := &errwriter.Writer{W: w}
	if imported {
		fmt.Fprintf(ew, "Imported %s as import %d: collection years %s", r.Council, r.ImportID, yearsLabel(r.Years))
		if len(r.Replaced) > 0 {
			fmt.Fprintf(ew, " (replacing %s)", yearsLabel(r.Replaced))
		}
		fmt.Fprintf(ew, ", %d files.\n", len(r.Files))
		fmt.Fprintf(ew, "The council now has %d children and %d episodes.\n", r.Children, r.Episodes)
	} else {
		fmt.Fprintf(ew, "Nothing was imported for %s (collection years %s, %d files): the files have validation errors.\n", r.Council, yearsLabel(r.Years), len(r.Files))
	}
	if len(r.Rows) > 0 {
		fmt.Fprintln(ew, "\nRows stored:")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		var tables []ssda903.TableName
		have := map[ssda903.TableName]bool{}
		for _, c := range r.Rows {
			have[c.Table] = true
		}
		for _, n := range ssda903.TableNames {
			if have[n] {
				tables = append(tables, n)
			}
		}
		fmt.Fprint(tw, "year\t")
		for _, n := range tables {
			fmt.Fprintf(tw, "%s\t", n)
		}
		fmt.Fprintln(tw)
		byYear := map[int]map[ssda903.TableName]int{}
		var years []int
		for _, c := range r.Rows {
			if byYear[c.Year] == nil {
				byYear[c.Year] = map[ssda903.TableName]int{}
				years = append(years, c.Year)
			}
			byYear[c.Year][c.Table] = c.Rows
		}
		for _, y := range years {
			fmt.Fprintf(tw, "%s\t", care.YearLabel(y))
			for _, n := range tables {
				fmt.Fprintf(tw, "%d\t", byYear[y][n])
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	if len(r.PreviousFromStore) > 0 {
		fmt.Fprintf(ew, "\nValidated against the previous year held in the database: %s.\n", yearsLabel(r.PreviousFromStore))
	}
	fmt.Fprintf(ew, "\nFindings: %d errors, %d warnings", r.Errors, r.Warnings)
	switch {
	case imported && len(r.Findings) > 0:
		fmt.Fprintf(ew, " (recorded against import %d)", r.ImportID)
	case !imported && h.SeeFindings != "":
		fmt.Fprintf(ew, " (see them with %s)", h.SeeFindings)
	}
	fmt.Fprintln(ew)
	counts := countByRule(r.Findings)
	const top = 15
	for i, c := range counts {
		if i == top {
			fmt.Fprintf(ew, "  ... and %d more rule codes\n", len(counts)-top)
			break
		}
		desc := ""
		if info, ok := rules.Lookup(c.RuleCode); ok {
			desc = info.Description
			if len(desc) > 90 {
				desc = desc[:87] + "..."
			}
		}
		fmt.Fprintf(ew, "  %-7s %-10s %6d  %s\n", c.Severity, c.RuleCode, c.Count, desc)
	}
	if len(r.LeftOut) == 0 {
		fmt.Fprintln(ew, "\nRows left out: none")
	} else {
		n := 0
		for _, l := range r.LeftOut {
			n += l.Rows
		}
		if imported {
			fmt.Fprintf(ew, "\nRows left out (key fields cannot be read): %d\n", n)
		} else {
			fmt.Fprintf(ew, "\nRows that would be left out with %s (key fields cannot be read): %d\n", h.AcceptErrors, n)
		}
		for _, l := range r.LeftOut {
			fmt.Fprintf(ew, "  %-15s %-24s %d\n", l.Table, l.Reason, l.Rows)
		}
	}
	if len(r.StitchLines) > 0 {
		fmt.Fprintln(ew, "\nStitching rules applied:")
		for _, l := range r.StitchLines {
			fmt.Fprintln(ew, "  "+strings.TrimSpace(l))
		}
	}
	return ew.Err
}

// WriteJSON writes r as one JSON object.
func (r Result) WriteJSON(w io.Writer) error {
	type table struct {
		Year  int    `json:"year"`
		Table string `json:"table"`
		Rows  int    `json:"rows"`
	}
	type leftOut struct {
		Table  string `json:"table"`
		Reason string `json:"reason"`
		Rows   int    `json:"rows"`
	}
	type file struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
		Size   int64  `json:"size"`
	}
	out := struct {
		Imported    bool           `json:"imported"`
		ImportID    int64          `json:"import_id,omitempty"`
		Council     string         `json:"council"`
		Years       []int          `json:"years"`
		Replaced    []int          `json:"replaced,omitempty"`
		Files       []file         `json:"files"`
		Children    int            `json:"children"`
		Episodes    int            `json:"episodes"`
		Rows        []table        `json:"rows"`
		Errors      int            `json:"errors"`
		Warnings    int            `json:"warnings"`
		ByRule      []ruleCount    `json:"findings_by_rule"`
		LeftOut     []leftOut      `json:"left_out"`
		StitchRules map[string]int `json:"stitch_rules"`
	}{Imported: r.ImportID != 0, ImportID: r.ImportID, Council: r.Council, Years: r.Years, Replaced: r.Replaced,
		Children: r.Children, Episodes: r.Episodes, Errors: r.Errors, Warnings: r.Warnings, ByRule: countByRule(r.Findings),
		StitchRules: r.StitchRules, Files: []file{}, Rows: []table{}, LeftOut: []leftOut{}}
	for _, f := range r.Files {
		out.Files = append(out.Files, file{f.Path, f.SHA256, f.Size})
	}
	for _, c := range r.Rows {
		out.Rows = append(out.Rows, table{c.Year, string(c.Table), c.Rows})
	}
	for _, l := range r.LeftOut {
		out.LeftOut = append(out.LeftOut, leftOut{string(l.Table), l.Reason, l.Rows})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
