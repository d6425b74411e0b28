package rules

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"sufficiency/care"
	"sufficiency/internal/errwriter"
	"sufficiency/ssda903"
	"sufficiency/tabular"
)

// This file checks a set of returns together (each year beside the
// council's year before when it was read too) and writes what was found:
// JSON (the summaries, then the findings streamed one by one), CSV (one row
// a finding) and text (findings grouped by rule, errors first, a few rows a
// rule). The CLI's validate verb prints these.

// Summary is what validation found in one council-year: its counts of
// errors and warnings, the rules run, and those skipped and why.
type Summary struct {
	Council  string `json:"council"`
	Year     int    `json:"year"`
	Label    string `json:"collection_year"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	RulesRun int    `json:"rules_run"`
	Previous bool   `json:"previous_year_loaded"`
	Skipped  []Skip `json:"skipped,omitempty"`
}

// WriteJSON writes {"returns": [...], "findings": [...]}, one
// finding at a time (streamed: the report is never built whole in memory).
func WriteJSON(w io.Writer, reports []Summary, findings []ssda903.Finding) error {
	if reports == nil {
		reports = []Summary{}
	}
	buf := bufio.NewWriterSize(w, 64<<10)
	ew := &errwriter.Writer{W: buf}
	head, err := json.MarshalIndent(reports, "  ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(ew, "{\n  \"returns\": %s,\n  \"findings\": [", head)
	var b []byte
	for i := range findings {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		b = appendFindingJSON(b, &findings[i])
		ew.Write(b)
		if ew.Err != nil {
			return ew.Err
		}
	}
	if len(findings) > 0 {
		io.WriteString(ew, "\n  ")
	}
	io.WriteString(ew, "]\n}\n")
	if ew.Err != nil {
		return ew.Err
	}
	return buf.Flush()
}

// appendFindingJSON appends f as json.MarshalIndent(f, "    ", "  ") writes
// it (the same bytes: field order, omitempty, escaping), without reflection
// or an allocation per finding: a messy return has tens of thousands.
func appendFindingJSON(b []byte, f *ssda903.Finding) []byte {
	const in = "\n      " // prefix + one indent
	field := func(b []byte, name string) []byte {
		b = append(b, in...)
		b = append(b, '"')
		b = append(b, name...)
		return append(b, "\": "...)
	}
	b = append(b, '{')
	b = appendJSONString(field(b, "severity"), string(f.Severity))
	b = appendJSONString(field(append(b, ','), "rule_code"), f.RuleCode)
	if f.Council != "" {
		b = appendJSONString(field(append(b, ','), "council"), f.Council)
	}
	if f.Year != 0 {
		b = strconv.AppendInt(field(append(b, ','), "year"), int64(f.Year), 10)
	}
	if f.Child != "" {
		b = appendJSONString(field(append(b, ','), "child"), f.Child)
	}
	if f.Table != "" {
		b = appendJSONString(field(append(b, ','), "table"), string(f.Table))
	}
	if f.File != "" {
		b = appendJSONString(field(append(b, ','), "file"), f.File)
	}
	if f.Line != 0 {
		b = strconv.AppendInt(field(append(b, ','), "line"), int64(f.Line), 10)
	}
	if len(f.Columns) > 0 {
		b = append(field(append(b, ','), "columns"), '[')
		for i, c := range f.Columns {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, in+"  "...)
			b = appendJSONString(b, c)
		}
		b = append(b, in...)
		b = append(b, ']')
	}
	if f.Value != "" {
		b = appendJSONString(field(append(b, ','), "value"), f.Value)
	}
	b = appendJSONString(field(append(b, ','), "message"), f.Message)
	if f.More != 0 {
		b = strconv.AppendInt(field(append(b, ','), "more"), int64(f.More), 10)
	}
	return append(b, "\n    }"...)
}

// appendJSONString appends s as a JSON string the way encoding/json does:
// <, > and & as \u003c, \u003e, \u0026, control characters escaped,
// U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\\ufffd"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// WriteCSV writes one row per finding with a header row.
func WriteCSV(w io.Writer, findings []ssda903.Finding) error {
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

// TextHints are the caller's words for reaching the rows a text report
// leaves out: ListAll lists every row kept (the CLI's "--limit 0"), EveryRow
// gives every row (the CLI's "--format csv"). An empty hint is left out.
type TextHints struct {
	ListAll, EveryRow string
}

// WriteText writes, per council-year, a summary line, then the
// findings grouped by rule (errors first), each rule with its count, its
// description and up to limit rows; a rule with more rows ends with how many
// more, and the hints for seeing them.
func WriteText(w io.Writer, reports []Summary, findings []ssda903.Finding, limit int, hints TextHints) error {
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
			// Reading problems (rows left out, too many rows) come before
			// the rules checked on what was read.
			if ri, rj := strings.HasPrefix(list[i].code, "READ-"), strings.HasPrefix(list[j].code, "READ-"); ri != rj {
				return ri
			}
			return ruleCodeLess(list[i].code, list[j].code)
		})
		for _, g := range list {
			writeRuleGroup(bw, g, limit, hints)
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
			writeRuleGroup(bw, gs[c], limit, hints)
		}
	}
	return bw.err
}

func writeRuleGroup(bw *reportWriter, g *findingGroup, limit int, hints TextHints) {
	desc := ""
	if info, ok := Lookup(g.code); ok {
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
			var hint []string
			if more > 0 {
				kept := fmt.Sprintf("only the first %d rows of a rule are kept", len(listed))
				if hints.ListAll != "" {
					kept += ": " + hints.ListAll + " lists them"
				}
				hint = append(hint, kept, "correct these and validate again")
			} else {
				if hints.ListAll != "" {
					hint = append(hint, hints.ListAll+" lists all")
				}
				if hints.EveryRow != "" {
					hint = append(hint, hints.EveryRow+" gives every row")
				}
			}
			if len(hint) == 0 {
				bw.printf("    … and %d more\n", rest)
			} else {
				bw.printf("    … and %d more (%s)\n", rest, strings.Join(hint, "; "))
			}
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

// CheckAll checks each return against the rules of its collection year, with
// the same council's previous year when it is among returns, in order of
// council and year. It returns a summary a return, the findings (those of
// reading, given as read, then each return's) and how many errors were found.
func CheckAll(returns []*ssda903.Return, read []ssda903.Finding, opt Options) ([]Summary, []ssda903.Finding, int) {
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
	findings := read
	var reports []Summary
	for n, r := range returns {
		prev := byKey[r.Council+"|"+strconv.Itoa(r.Year-1)]
		rep := Check(r, prev, opt)
		if n == 0 && len(returns) == 1 && len(findings) == 0 {
			findings = rep.Findings // one return, nothing found reading: no copy
		} else {
			findings = append(findings, rep.Findings...)
		}
		reports = append(reports, Summary{
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
	return reports, findings, errs
}
