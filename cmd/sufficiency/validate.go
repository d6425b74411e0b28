package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/tabular"
)

// validateReport is what validate found in one council-year.
type validateReport struct {
	Council  string       `json:"council"`
	Year     int          `json:"year"`
	Label    string       `json:"collection_year"`
	Errors   int          `json:"errors"`
	Warnings int          `json:"warnings"`
	RulesRun int          `json:"rules_run"`
	Previous bool         `json:"previous_year_loaded"`
	Skipped  []rules.Skip `json:"skipped,omitempty"`
}

// runValidate reads SSDA903 files and checks them against the DfE rules of
// their collection year. It returns EREJECTED when any error is found and
// EUNUSABLE when a file cannot be read at all.
func runValidate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "validate", "PATH... [--year YYYY] [--la CODE] [--format text|json|csv]")
	year := fs.Int("year", 0, "collection year ending 31 March `YYYY` (2025 = 2024/25); inferred from the data when omitted")
	la := fs.String("la", "", "council the files belong to: ONS `code` (E08000003), DfE code or name")
	format := fs.String("format", "text", "output `format`: text, json or csv")
	limit := fs.Int("limit", 10, "text format: rows listed per rule (0 lists all)")
	postcodes := fs.Bool("postcodes", true, "check postcodes against the ONS Postcode Directory (rules 392c, 454, 503G, 503H, 1015); -postcodes=false skips them")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return care.Errorf(care.EINVALID, "validate: name the SSDA903 files or folders to check, e.g. sufficiency validate ./903/2025")
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		return care.Errorf(care.EINVALID, "validate: unknown --format %q; use text, json or csv", *format)
	}
	if *year != 0 && (*year < 2000 || *year > 2100) {
		return care.Errorf(care.EINVALID, "validate: --year %d is not a collection year; give the year it ends, e.g. --year 2025 for 2024/25", *year)
	}

	opt := rules.Options{CouncilKnown: councilKnown}
	if *postcodes {
		// Load the postcode index while the files are read.
		warm := make(chan struct{})
		go func() {
			defer close(warm)
			if pc, err := geo.ParsePostcode("M1 1AE"); err == nil {
				geo.Known(pc)
			}
		}()
		defer func() { <-warm }()
		opt.PostcodeLA, opt.Distance = postcodeCouncil, placementMiles
	}
	bar := newProgressBar(env.Stderr) // drawn only when stderr is a terminal
	returns, findings, readErr := ssda903.Read(fs.Args(), ssda903.ReadOptions{Year: *year, Council: *la,
		Progress: func(done, total int64) { bar.update("read", done, total) }})
	bar.done()
	if readErr != nil && len(returns) == 0 {
		return readErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	sort.Slice(returns, func(i, j int) bool {
		if returns[i].Council != returns[j].Council {
			return returns[i].Council < returns[j].Council
		}
		return returns[i].Year < returns[j].Year
	})
	byKey := map[string]*ssda903.Return{}
	for _, r := range returns {
		byKey[r.Council+"|"+strconv.Itoa(r.Year)] = r
	}
	var reports []validateReport
	for _, r := range returns {
		prev := byKey[r.Council+"|"+strconv.Itoa(r.Year-1)]
		rep := rules.Check(r, prev, opt)
		findings = append(findings, rep.Findings...)
		reports = append(reports, validateReport{
			Council: r.Council, Year: r.Year, Label: care.YearLabel(r.Year), RulesRun: rep.Run,
			Previous: prev != nil, Skipped: rep.Skipped,
		})
	}
	errs := 0
	for _, f := range findings {
		for k := range reports {
			if reports[k].Council == f.Council && reports[k].Year == f.Year {
				if f.Severity == ssda903.SeverityError {
					reports[k].Errors += f.Count()
				} else {
					reports[k].Warnings += f.Count()
				}
			}
		}
		if f.Severity == ssda903.SeverityError {
			errs += f.Count()
		}
	}

	var err error
	switch *format {
	case "json":
		err = writeValidateJSON(env.Stdout, reports, findings)
	case "csv":
		err = writeFindingsCSV(env.Stdout, findings)
	default:
		err = writeValidateText(env.Stdout, reports, findings, *limit)
	}
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "validate: writing the report")
	}
	if readErr != nil {
		return readErr
	}
	if errs > 0 {
		return care.Errorf(care.EREJECTED, "%d validation errors: correct them in the case management system (or the files) and validate again; warnings do not block an import", errs)
	}
	return nil
}

// postcodeCouncil is the validator's postcode hook: the council of a
// postcode from the embedded ONS Postcode Directory (by sector), "" for a
// known postcode outside England, false for an unknown one. The Ofsted
// register is not connected: it is a 31 March 2025 snapshot without closed
// providers, so it would wrongly reject the URNs of homes closed since.
func postcodeCouncil(s string) (string, bool) {
	pc, err := geo.ParsePostcode(s)
	if err != nil || pc.Sector == "" || !geo.Known(pc) {
		return "", false
	}
	la, _ := geo.CouncilOf(pc)
	return la, true
}

// placementMiles is the validator's distance hook: the DfE placement
// distance (miles between postcode centroids, rounded to 0.1).
func placementMiles(home, placement string) (float64, bool) {
	d, err := geo.MilesBetween(home, placement)
	if err != nil {
		return 0, false
	}
	return math.Round(d*10) / 10, true
}

// councilKnown reports whether a council code (ONS, DfE 3-digit or name) exists.
func councilKnown(code string) bool {
	_, ok := refdata.CouncilByCode(code)
	return ok
}

// writeValidateJSON writes {"returns": [...], "findings": [...]}, one
// finding at a time (streamed: the report is never built whole in memory).
func writeValidateJSON(w io.Writer, reports []validateReport, findings []ssda903.Finding) error {
	if reports == nil {
		reports = []validateReport{}
	}
	buf := bufio.NewWriterSize(w, 64<<10)
	ew := &errWriter{w: buf}
	head, err := json.MarshalIndent(reports, "  ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(ew, "{\n  \"returns\": %s,\n  \"findings\": [", head)
	for i, f := range findings {
		b, err := json.MarshalIndent(f, "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			io.WriteString(ew, ",")
		}
		io.WriteString(ew, "\n    ")
		ew.Write(b)
		if ew.err != nil {
			return ew.err
		}
	}
	if len(findings) > 0 {
		io.WriteString(ew, "\n  ")
	}
	io.WriteString(ew, "]\n}\n")
	if ew.err != nil {
		return ew.err
	}
	return buf.Flush()
}

// writeFindingsCSV writes one row per finding with a header row.
func writeFindingsCSV(w io.Writer, findings []ssda903.Finding) error {
	cw := tabular.NewCSVWriter(w)
	_ = cw.Write([]string{"severity", "rule_code", "council", "year", "child", "table", "file", "line", "columns", "value", "message"})
	for _, f := range findings {
		year, line := "", ""
		if f.Year != 0 {
			year = strconv.Itoa(f.Year)
		}
		if f.Line != 0 {
			line = strconv.Itoa(f.Line)
		}
		_ = cw.Write([]string{string(f.Severity), f.RuleCode, f.Council, year, f.Child, string(f.Table), f.File, line,
			strings.Join(f.Columns, " "), f.Value, f.Message})
	}
	cw.Flush()
	return cw.Error()
}

// findingGroup is the findings of one rule code.
type findingGroup struct {
	code     string
	severity ssda903.Severity
	list     []ssda903.Finding
}

// writeValidateText writes, per council-year, a summary line, then the
// findings grouped by rule (errors first), each rule with its count, its
// description and up to limit rows.
func writeValidateText(w io.Writer, reports []validateReport, findings []ssda903.Finding, limit int) error {
	bw := &reportWriter{w: w}
	if len(reports) == 0 {
		bw.printf("No SSDA903 return was read.\n")
	}
	type key struct {
		council string
		year    int
	}
	groups := map[key]map[string]*findingGroup{}
	var unplaced []ssda903.Finding
	known := map[key]bool{}
	for _, r := range reports {
		known[key{r.Council, r.Year}] = true
	}
	for _, f := range findings {
		k := key{f.Council, f.Year}
		if !known[k] {
			unplaced = append(unplaced, f)
			continue
		}
		if groups[k] == nil {
			groups[k] = map[string]*findingGroup{}
		}
		g := groups[k][f.RuleCode]
		if g == nil {
			g = &findingGroup{code: f.RuleCode, severity: f.Severity}
			groups[k][f.RuleCode] = g
		}
		if f.Severity == ssda903.SeverityError {
			g.severity = f.Severity
		}
		g.list = append(g.list, f)
	}
	for n, r := range reports {
		if n > 0 {
			bw.printf("\n")
		}
		council := r.Council
		if council == "" {
			council = "council not given"
		}
		bw.printf("%s %s: %s, %s (%d rules checked", council, r.Label, countNoun(r.Errors, "error"), countNoun(r.Warnings, "warning"), r.RulesRun)
		if r.Previous {
			bw.printf(", with last year's return")
		}
		bw.printf(")\n")
		if len(r.Skipped) > 0 {
			reasons := map[string][]string{}
			var order []string
			for _, s := range r.Skipped {
				if reasons[s.Reason] == nil {
					order = append(order, s.Reason)
				}
				reasons[s.Reason] = append(reasons[s.Reason], s.Code)
			}
			for _, reason := range order {
				codes := reasons[reason]
				if strings.HasPrefix(reason, "no ") && strings.HasSuffix(reason, " table was loaded") {
					bw.printf("  not checked (%s): %s\n", reason, countNoun(len(codes), "rule"))
					continue
				}
				bw.printf("  not checked (%s): %s\n", reason, strings.Join(codes, " "))
			}
		}
		gs := groups[key{r.Council, r.Year}]
		list := make([]*findingGroup, 0, len(gs))
		for _, g := range gs {
			list = append(list, g)
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].severity != list[j].severity {
				return list[i].severity == ssda903.SeverityError
			}
			return ruleCodeLess(list[i].code, list[j].code)
		})
		for _, g := range list {
			writeRuleGroup(bw, g, limit)
		}
	}
	if len(unplaced) > 0 {
		bw.printf("\nReading the files:\n")
		gs := map[string]*findingGroup{}
		var order []string
		for _, f := range unplaced {
			if gs[f.RuleCode] == nil {
				gs[f.RuleCode] = &findingGroup{code: f.RuleCode, severity: f.Severity}
				order = append(order, f.RuleCode)
			}
			gs[f.RuleCode].list = append(gs[f.RuleCode].list, f)
		}
		for _, c := range order {
			writeRuleGroup(bw, gs[c], limit)
		}
	}
	return bw.err
}

func writeRuleGroup(bw *reportWriter, g *findingGroup, limit int) {
	desc := ""
	if info, ok := rules.Lookup(g.code); ok {
		desc = " — " + info.Description
	}
	total, more := 0, 0
	var listed []ssda903.Finding
	for _, f := range g.list {
		total += f.Count()
		if f.More > 0 {
			more += f.More
		} else {
			listed = append(listed, f)
		}
	}
	bw.printf("\n  %s %s ×%d%s\n", g.code, g.severity, total, desc)
	shown := listed
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	defer func() {
		if rest := total - len(shown); rest > 0 {
			hint := "--limit 0 lists all; --format csv gives every row"
			if more > 0 {
				hint = fmt.Sprintf("only the first %d rows of a rule are kept: --limit 0 lists them; correct these and validate again", len(listed))
			}
			bw.printf("    … and %d more (%s)\n", rest, hint)
		}
	}()
	for _, f := range shown {
		loc := f.File
		if f.Line > 0 {
			loc += ":" + strconv.Itoa(f.Line)
		}
		bw.printf("    %s", loc)
		if f.Child != "" {
			bw.printf("  child %s", f.Child)
		}
		if len(f.Columns) > 0 {
			bw.printf("  %s=%q", strings.Join(f.Columns, ","), f.Value)
		}
		bw.printf("\n      %s\n", f.Message)
	}
}

// ruleCodeLess orders rule codes as rules.List does (numbers numerically).
func ruleCodeLess(a, b string) bool {
	na, ra := ruleCodeParts(a)
	nb, rb := ruleCodeParts(b)
	if (na >= 0) != (nb >= 0) {
		return na >= 0
	}
	if na != nb {
		return na < nb
	}
	return ra < rb
}

func ruleCodeParts(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 {
		return -1, s
	}
	return n, s[i:]
}

func countNoun(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// reportWriter remembers the first write error.
type reportWriter struct {
	w   io.Writer
	err error
}

func (e *reportWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}
