package main

import (
	"bytes"
	"context"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/review"
)

// runReview is the review verb.
func runReview(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "review", helpText("review"))
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
		if reasons, err = analysis.ReadDistanceReasons(*reasonsFile); err != nil {
			return err
		}
	}
	st, sc, err := o.openScope(ctx, env, false)
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
