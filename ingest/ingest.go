// Package ingest imports SSDA903 returns into a store: read → validate →
// stitch → store, all of it in one store transaction, so an import happens
// entirely or not at all.
//
// Each council-year is validated against the council's previous year, taken
// from the files being imported or, failing that, from the store. Without
// AcceptErrors any error finding refuses the import (care.EREJECTED) and
// nothing is written. With AcceptErrors everything that can be interpreted
// is imported and every finding is recorded against the import; rows whose
// key fields (CHILD; DECOM of an episode or placement cost; DOB where the
// table has it) cannot be read at all are left out and counted by reason,
// never guessed.
//
// Re-importing a year replaces exactly that council-year: the returns of the
// council's other stored years are read back from the store and stitched
// together with the new ones, so the council's history stays whole.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/store"
)

// Options tune an import.
type Options struct {
	// Council is the council the files are for: required.
	Council string
	// Year, if set, is the collection year of every DfE CSV or XML file
	// (ending 31 March Year); 0 infers it from the data.
	Year int
	// AcceptErrors imports despite error findings (see the package doc).
	AcceptErrors bool
	// Actor is who is importing, recorded with the import; blank uses the
	// context's actor (store.WithActor).
	Actor string
	// Progress, if set, is called with the stage ("read", "validate",
	// "stitch", "store") and how far it has got (done of total; units are
	// bytes for "read", returns for "validate", rows for "store").
	Progress func(stage string, done, total int64)
	// Rules is passed to rules.Validate (reference-data hooks); its Year is
	// set per return.
	Rules rules.Options
	// Check reads and validates exactly as an import would (against the
	// previous years in the files or the store) and stops before anything
	// is written: Result has the findings, ImportID is 0, and no error is
	// returned for error findings. The web app shows them before the user
	// chooses to import.
	Check bool
	// Hints are the edge's words for what to do when errors refuse the
	// import ("" for the domain's words).
	Hints Hints
}

// Result is what an import did, or would have done when it was refused.
type Result struct {
	ImportID    int64 // 0 when nothing was imported
	Council     string
	Years       []int        // collection years imported
	Replaced    []int        // years that were already stored and were replaced
	Files       []store.File // files read, with SHA-256
	Children    int          // children of the council after the import
	Episodes    int          // stitched episodes of the council after the import
	Rows        []store.TableCount
	Findings    []ssda903.Finding
	Errors      int
	Warnings    int
	LeftOut     []store.LeftOut
	StitchRules map[string]int
	// StitchLines describes the stitching rules applied, one per line.
	StitchLines []string
	// PreviousFromStore lists the years validated against a previous year
	// taken from the store rather than from the files.
	PreviousFromStore []int
}

// Run imports the SSDA903 files or folders at paths into st for one council.
// Errors: EINVALID for a missing council; EUNUSABLE when a file cannot be
// read at all (nothing is imported); EREJECTED when validation finds errors
// and AcceptErrors is off (nothing is imported; Result lists the findings);
// otherwise what the store returns.
func Run(ctx context.Context, st store.Store, paths []string, opt Options) (Result, error) {
	res := Result{Council: strings.TrimSpace(opt.Council)}
	if res.Council == "" {
		return res, care.Errorf(care.EINVALID, "no council given: name the council the files belong to (its ONS code, e.g. E08000003)")
	}
	// Only a council of the embedded register may be imported (any of its
	// codes or its name), and it is stored under its ONS code.
	c, err := refdata.LookupCouncil(res.Council)
	if err != nil {
		return res, care.WrapError(care.EINVALID, err, "the council the files belong to")
	}
	res.Council = c.Code
	if len(paths) == 0 {
		return res, care.Errorf(care.EINVALID, "no files given: pass the SSDA903 files or folders to import")
	}
	progress := func(stage string, done, total int64) {
		if opt.Progress != nil {
			opt.Progress(stage, done, total)
		}
	}

	// Read.
	returns, findings, err := ssda903.Read(paths, ssda903.ReadOptions{
		Year: opt.Year, Council: res.Council,
		Progress: func(done, total int64) { progress("read", done, total) },
	})
	if err != nil {
		return res, err
	}
	if len(returns) == 0 {
		for _, f := range findings {
			if f.RuleCode == "READ-OTHER-COUNCIL" {
				return res, care.Errorf(care.EINVALID, "%s: %s. Nothing was imported: check %s is the council the files belong to, or move them to a folder named for it", f.File, f.Message, strings.TrimSpace(opt.Hints.Council+" "+opt.Council))
			}
		}
		return res, care.Errorf(care.EUNUSABLE, "no SSDA903 table was found in %s: give the folder or files of the return (Header, Episodes, ... as CSV, or the XML return)", strings.Join(paths, ", "))
	}
	council := returns[0].Council
	for _, r := range returns {
		if r.Council != council {
			return res, care.Errorf(care.EINVALID, "the files hold returns of councils %s and %s: import one council at a time", council, r.Council)
		}
	}
	res.Council = council
	slices.SortFunc(returns, func(a, b *ssda903.Return) int { return a.Year - b.Year })
	for i := 1; i < len(returns); i++ {
		if returns[i].Year == returns[i-1].Year {
			return res, care.Errorf(care.EUNUSABLE, "two returns for %s %d were read: give each year's files once", council, returns[i].Year)
		}
	}
	for _, r := range returns {
		res.Years = append(res.Years, r.Year)
	}
	if res.Files, err = hashFiles(returns); err != nil {
		return res, err
	}

	// Years already stored for the council. Only the previous years needed
	// for validation are read now; the rest only once the import is accepted,
	// so a refused first import leaves the database untouched (reads of
	// stored returns are audited).
	var storedYears []int
	var base int64
	summaries, err := st.Councils(ctx)
	if err != nil {
		return res, err
	}
	for _, s := range summaries {
		if s.Council == council {
			storedYears, base = s.Years, s.LastImportID
		}
	}
	byYear := map[int]*ssda903.Return{}
	var prevYears []int
	for _, r := range returns {
		byYear[r.Year] = r
	}
	for _, r := range returns {
		if byYear[r.Year-1] == nil && slices.Contains(storedYears, r.Year-1) {
			prevYears = append(prevYears, r.Year-1)
		}
	}
	var stored []*ssda903.Return
	if len(prevYears) > 0 {
		prev, err := st.Returns(ctx, council, prevYears)
		if err != nil {
			return res, err
		}
		for _, r := range prev {
			byYear[r.Year] = r
		}
		stored = append(stored, prev...)
	}

	// Validate each council-year against its previous year, with the
	// provider list the store knows (open and closed settings) unless one is
	// given.
	if opt.Rules.Provider == nil {
		if opt.Rules.Provider, err = ProviderList(ctx, st); err != nil {
			return res, err
		}
	}
	for i, r := range returns {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		ro := opt.Rules
		ro.Year = r.Year
		prev := byYear[r.Year-1]
		if prev != nil && slices.Contains(prevYears, r.Year-1) {
			res.PreviousFromStore = append(res.PreviousFromStore, r.Year)
		}
		findings = append(findings, rules.Validate(r, prev, ro)...)
		progress("validate", int64(i+1), int64(len(returns)))
	}
	res.Findings = findings
	for _, f := range findings {
		if f.Severity == ssda903.SeverityError {
			res.Errors += f.Count()
		} else {
			res.Warnings += f.Count()
		}
	}
	// Rows whose key fields cannot be read are left out, never guessed.
	kept := make([]*ssda903.Return, len(returns))
	for i, r := range returns {
		var lo []store.LeftOut
		kept[i], lo = leaveOutUnreadable(r)
		res.LeftOut = mergeLeftOut(res.LeftOut, lo)
	}
	if opt.Check {
		return res, nil
	}
	if res.Errors > 0 && !opt.AcceptErrors {
		return res, care.Errorf(care.EREJECTED, "%d errors (and %d warnings) were found in the files, so nothing was imported: %s",
			res.Errors, res.Warnings, opt.Hints.refused(paths))
	}

	// Stitch the council's whole history: stored years not being replaced,
	// and the new ones.
	var rest []int
	for _, y := range storedYears {
		if !slices.Contains(res.Years, y) && !slices.Contains(prevYears, y) {
			rest = append(rest, y)
		}
	}
	if len(rest) > 0 {
		more, err := st.Returns(ctx, council, rest)
		if err != nil {
			return res, err
		}
		stored = append(stored, more...)
	}
	var all []*ssda903.Return
	for _, r := range stored {
		if !slices.Contains(res.Years, r.Year) {
			all = append(all, r)
		}
	}
	all = append(all, kept...)
	for _, r := range all {
		r.Council = council
	}
	progress("stitch", 0, 1)
	hist, rep := ssda903.Stitch(all)
	progress("stitch", 1, 1)
	res.StitchRules = rep.Applied
	res.StitchLines = rep.Lines()

	imp := store.Import{
		Council:        council,
		Years:          res.Years,
		Returns:        kept,
		Children:       hist.Children,
		Episodes:       hist.Episodes,
		Files:          res.Files,
		Findings:       findings,
		LeftOut:        res.LeftOut,
		StitchRules:    rep.Applied,
		AcceptedErrors: res.Errors > 0,
		Actor:          opt.Actor,
		Base:           &base,
		Progress:       func(done, total int) { progress("store", int64(done), int64(total)) },
	}
	out, err := st.ImportReturns(ctx, imp)
	if err != nil {
		return res, err
	}
	res.ImportID = out.ImportID
	res.Children, res.Episodes = out.Children, out.Episodes
	res.Rows = out.Rows
	res.Replaced = out.Replaced
	return res, nil
}

// keyColumns are the fields that identify a row: a row where one of them
// (present in its table) cannot be read at all is left out.
var keyColumns = []string{"CHILD", "DECOM", "DOB"}

// leaveOutUnreadable returns a copy of r without the rows whose key fields
// are blank or (for dates) not dates, and counts what it left out.
func leaveOutUnreadable(r *ssda903.Return) (*ssda903.Return, []store.LeftOut) {
	out := &ssda903.Return{Council: r.Council, Year: r.Year, Tables: make(map[ssda903.TableName]*ssda903.Table, len(r.Tables))}
	var lo []store.LeftOut
	for name, t := range r.Tables {
		if t == nil {
			continue
		}
		type key struct{ col, why string }
		var idx []int
		var cols []string
		for _, c := range keyColumns {
			if i := ssda903.Col(name, c); i >= 0 && (i >= len(t.Present) || t.Present[i]) {
				idx = append(idx, i)
				cols = append(cols, c)
			}
		}
		counts := map[key]int{}
		var rows []ssda903.Row
		for _, row := range t.Rows {
			reason := key{}
			for k, i := range idx {
				v := ""
				if i < len(row.Values) {
					v = row.Values[i]
				}
				switch {
				case v == "":
					reason = key{cols[k], "is blank"}
				case cols[k] != "CHILD":
					if _, ok := ssda903.ParseDate(v); !ok {
						reason = key{cols[k], "is not a date"}
					}
				}
				if reason.col != "" {
					break
				}
			}
			if reason.col != "" {
				counts[reason]++
				continue
			}
			rows = append(rows, row)
		}
		if len(counts) == 0 {
			out.Tables[name] = t
			continue
		}
		nt := *t
		nt.Rows = rows
		out.Tables[name] = &nt
		for k, n := range counts {
			lo = append(lo, store.LeftOut{Table: name, Reason: k.col + " " + k.why, Rows: n})
		}
	}
	return out, lo
}

func mergeLeftOut(a, b []store.LeftOut) []store.LeftOut {
	for _, x := range b {
		found := false
		for i := range a {
			if a[i].Table == x.Table && a[i].Reason == x.Reason {
				a[i].Rows += x.Rows
				found = true
				break
			}
		}
		if !found {
			a = append(a, x)
		}
	}
	store.SortLeftOut(a)
	return a
}

// hashFiles returns every file the returns' tables were read from, with its
// SHA-256 and size, in path order.
func hashFiles(returns []*ssda903.Return) ([]store.File, error) {
	seen := map[string]bool{}
	var paths []string
	for _, r := range returns {
		for _, t := range r.Tables {
			if t != nil && t.File != "" && !seen[t.File] {
				seen[t.File] = true
				paths = append(paths, t.File)
			}
		}
	}
	sort.Strings(paths)
	out := make([]store.File, 0, len(paths))
	for _, p := range paths {
		f, err := inputfile.Open(p)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // a table from a source without a file of its own
			}
			return nil, care.WrapError(care.EUNUSABLE, err, "%s: cannot read it again to record its checksum", p)
		}
		h := sha256.New()
		n, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, care.WrapError(care.EUNUSABLE, err, "%s: cannot read it again to record its checksum", p)
		}
		out = append(out, store.File{Path: p, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n})
	}
	return out, nil
}
