package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/refdata"
	"sufficiency/review"
	"sufficiency/ssda903"
)

const reviewSynopsis = `[--la CODE | --region NAME] [--at DATE] [--rules FILE] [--distance-reasons FILE] [--format text|json|csv|xlsx]
        [--out FILE] [--db FILE]

The needs-led review worklist: every current placement of a council or region checked against the review
rules (the embedded rules, or a JSON file given with --rules in the same form), listed with the rules that
flagged it and a priority, with the estimated saving of step-down candidates and each funder's share. The
worklist names children by their council's ids: it is for the council's own staff. SSDA903 records no reason
for a placement far from home: give them with --distance-reasons (CSV: CHILD, DECOM, REASON, and LA for a
region). Statutory reviews and missing episodes come from the stored Reviews and Missing tables.`

// runReview is the review verb.
func runReview(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "review", reviewSynopsis)
	o := analyticsFlags(fs)
	rulesFile := fs.String("rules", "", "review rules `FILE` (JSON, as the embedded rules); default the embedded rules")
	reasonsFile := fs.String("distance-reasons", "", "CSV `FILE` of recorded reasons for placing far from home: columns CHILD, DECOM, REASON (and LA for a region)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := o.check(fs); err != nil {
		return err
	}
	rules := review.DefaultRules()
	if *rulesFile != "" {
		data, err := readInputFile("review", "rules", *rulesFile, "a JSON rules file in the form of the embedded rules (review/rules.json)")
		if err != nil {
			return err
		}
		if rules, err = review.ParseRules(bytes.NewReader(data)); err != nil {
			return care.WrapError(care.EINVALID, err, "%s", *rulesFile)
		}
	}
	var reasons map[review.EpisodeKey]string
	if *reasonsFile != "" {
		var err error
		if reasons, err = readDistanceReasons(*reasonsFile); err != nil {
			return err
		}
	}
	st, sc, err := o.openScope(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := analysis.Review(ctx, st, sc, analysis.ReviewOptions{
		Options: o.options(env), Rules: rules, DistanceReasons: reasons, StatutoryRecords: true,
	})
	if err != nil {
		return err
	}
	res.Tables[0].Title = sc.Name + ": " + res.Tables[0].Title
	return writeTables(env, o.format, o.out, res.Tables)
}

// readDistanceReasons reads a CSV of recorded reasons for placing children far
// from home: a header naming CHILD, DECOM (the start of the episode, as in
// SSDA903) and REASON, and optionally LA (the council's ONS code, DfE code or
// name; needed when reviewing a region). EUNUSABLE when the file cannot be
// read; EINVALID, naming the line, for a missing column or a bad date.
func readDistanceReasons(path string) (map[review.EpisodeKey]string, error) {
	f, err := inputfile.Open(path)
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "cannot read the distance reasons file %s", path)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, care.WrapError(care.EINVALID, err, "the distance reasons file %s is not CSV", path)
	}
	if len(recs) == 0 {
		return nil, care.Errorf(care.EINVALID, "the distance reasons file %s is empty: give a header CHILD,DECOM,REASON and one row per placement", path)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"CHILD", "DECOM", "REASON"} {
		if _, ok := col[need]; !ok {
			return nil, care.Errorf(care.EINVALID, "the distance reasons file %s has no %s column: its header must name CHILD, DECOM and REASON (and LA for a region)", path, need)
		}
	}
	get := func(rec []string, c string) string {
		i, ok := col[c]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	out := map[review.EpisodeKey]string{}
	for n, rec := range recs[1:] {
		reason := get(rec, "REASON")
		if reason == "" {
			continue
		}
		start, ok := ssda903.ParseDate(get(rec, "DECOM"))
		if !ok {
			return nil, care.Errorf(care.EINVALID, "%s line %d: DECOM %q is not a date: write it as DD/MM/YYYY or YYYY-MM-DD", path, n+2, get(rec, "DECOM"))
		}
		council := get(rec, "LA")
		if council != "" {
			if c, ok := refdata.CouncilByCode(council); ok {
				council = c.Code
			}
		}
		out[review.EpisodeKey{Council: council, ChildID: get(rec, "CHILD"), Start: start}] = reason
	}
	return out, nil
}
