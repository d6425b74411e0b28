package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"sufficiency/care"
	"sufficiency/ingest"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/store"
)

const importSynopsis = `PATH... --la CODE [--db FILE|URL] [--year YYYY] [--accept-errors] [--actor NAME] [--format text|json]
       sufficiency import DIR... [--db FILE|URL] [--accept-errors] [--actor NAME] [--format text|json]

Reads SSDA903 files or folders (several years at once are stitched into one history per child), validates
each council-year against the DfE rules of its year (and against the previous year, from the files or from
the database), and imports all of it in one transaction, or nothing. Re-importing a year replaces exactly that
council-year. Any error finding refuses the import unless --accept-errors is given: then what can be
interpreted is imported, every finding is recorded against the import, and rows whose key fields (CHILD,
DECOM, DOB) cannot be read at all are left out and counted.

Without --la, each DIR is a folder of council folders named by council code, as synth writes a region or all
England (DIR/E08000003/2025/...): every council is imported in its own transaction, two at a time, with a line
per council as it finishes; a council refused for validation errors leaves the others imported.`

// runImport is the import verb.
func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "import", importSynopsis)
	la := fs.String("la", "", "council the files belong to: ONS `CODE` (e.g. E08000003); required")
	db := dbFlag(fs)
	year := fs.Int("year", 0, "collection year ending 31 March `YYYY` of DfE CSV/XML files; inferred from the data when omitted")
	accept := fs.Bool("accept-errors", false, "import what can be interpreted despite validation errors, recording every finding")
	actor := fs.String("actor", "", "who is importing, recorded with the import (default: the operating-system user)")
	format := fs.String("format", "text", "output `FORMAT`: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return care.Errorf(care.EINVALID, "import: name the SSDA903 files or folders to import, e.g. sufficiency import ./903 --la E08000003")
	}
	if *format != "text" && *format != "json" {
		return care.Errorf(care.EINVALID, "import: unknown --format %q; use text or json", *format)
	}
	if strings.TrimSpace(*la) == "" {
		folders, err := councilFolders(fs.Args())
		if err != nil {
			return care.Errorf(care.EINVALID, "%v (or give the council the files belong to with --la CODE, its ONS code, e.g. E08000003)", err)
		}
		st, err := openStore(ctx, env, *db, mayCreate)
		if err != nil {
			return err
		}
		defer st.Close()
		who := cliActor(env, *actor)
		return importMany(store.WithActor(ctx, who), env, st, folders, manyOptions(*year, *accept, who), *format)
	}
	if *year != 0 && (*year < 2000 || *year > 2100) {
		return care.Errorf(care.EINVALID, "import: --year %d is not a collection year; give the year it ends, e.g. --year 2025 for 2024/25", *year)
	}
	st, err := openStore(ctx, env, *db, mayCreate)
	if err != nil {
		return err
	}
	defer st.Close()
	who := cliActor(env, *actor)
	bar := newProgressBar(env.Stderr)
	res, err := ingest.Run(store.WithActor(ctx, who), st, fs.Args(), ingest.Options{
		Council: *la, Year: *year, AcceptErrors: *accept, Actor: who, Progress: bar.update,
		Rules: ingest.RuleOptions(false), // the same reference data as validate
	})
	bar.done()
	if err != nil && care.ErrorCode(err) != care.EREJECTED {
		return err
	}
	if *format == "json" {
		if werr := writeImportJSON(env.Stdout, res); werr != nil {
			return werr
		}
	} else if werr := writeImportText(env.Stdout, res, err == nil); werr != nil {
		return werr
	}
	return err
}

// cliActor is who runs the command, for the audit log: the name given with
// --actor, else the same actor main puts in every command's context
// ($SUFFICIENCY_ACTOR, else the operating-system user; see actorName).
func cliActor(env *Env, given string) string {
	if s := strings.TrimSpace(given); s != "" {
		return s
	}
	return actorName(env.Getenv)
}

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

func writeImportText(w io.Writer, r ingest.Result, imported bool) error {
	ew := &errWriter{w: w}
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
	case !imported:
		fmt.Fprint(ew, " (see them with sufficiency validate)")
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
			fmt.Fprintf(ew, "\nRows that would be left out with --accept-errors (key fields cannot be read): %d\n", n)
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
	return ew.err
}

func writeImportJSON(w io.Writer, r ingest.Result) error {
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

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, nil
}

// progressBar draws the stage and percentage of a long run on stderr, only
// when stderr is a terminal.
type progressBar struct {
	w      io.Writer
	on     bool
	last   string
	drawn  bool
	stages map[string]string
}

func newProgressBar(w io.Writer) *progressBar {
	on := false
	if f, ok := w.(*os.File); ok {
		on = term.IsTerminal(int(f.Fd()))
	}
	return &progressBar{w: w, on: on, stages: map[string]string{
		"read": "reading files", "validate": "validating", "stitch": "stitching years", "store": "writing to the database",
		"simulate": "simulating",
	}}
}

func (p *progressBar) update(stage string, done, total int64) {
	if !p.on {
		return
	}
	pct := 100
	if total > 0 {
		pct = int(done * 100 / total)
	}
	line := fmt.Sprintf("%s %3d%%", p.stages[stage], pct)
	if line == p.last {
		return
	}
	p.last = line
	p.drawn = true
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

func (p *progressBar) done() {
	if p.on && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
