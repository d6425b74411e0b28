package main

import (
	"context"
	"time"

	"sufficiency/analysis"
	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
)

// runOfferOutcomes prints the referral outcomes of a council or region:
// sufficiency evidence from the workflow (offers.ComputeOutcomes), read as a
// user allowed to see them (auth.Permit, as the pages and API decide).
func runOfferOutcomes(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "offer outcomes", helpText("offer-outcomes"))
	council := fs.String("council", "", "the placing council (ONS or DfE code, or name)")
	region := fs.String("region", "", "the region (its councils' referrals)")
	from := fs.String("from", "", "first day counted (referrals sent from)")
	to := fs.String("to", "", "first day not counted")
	format := fs.String("format", "text", "output format: text, csv, json or xlsx")
	out := fs.String("out", "", "write to FILE instead of standard output (needed for xlsx)")
	as := fs.String("as", "", "who reads (a user: default $SUFFICIENCY_TOKEN's user, else $SUFFICIENCY_ACTOR, else the OS user)")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*council == "") == (*region == "") {
		return care.Errorf(care.EINVALID, "offer outcomes: give --council CODE or --region NAME (one of them)")
	}
	if err := checkFormat("offer outcomes", *format, "text", "csv", "json", "xlsx"); err != nil {
		return err
	}
	fromDay, err := parseDate("from", *from)
	if err != nil {
		return err
	}
	toDay, err := parseDate("to", *to)
	if err != nil {
		return err
	}
	if !fromDay.IsZero() && !toDay.IsZero() && !toDay.After(fromDay) {
		return care.Errorf(care.EINVALID, "offer outcomes: the period is empty: --to must be after --from")
	}
	sc, err := auth.OutcomesOf(*council, *region)
	if *council != "" {
		err = hint(err, care.ENOTFOUND, "give an ONS code (E06000001), a DfE code (805) or a name")
	}
	if err != nil {
		return err
	}
	st, err := openOffers(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := actAs(ctx, env, st, *as, sc.Act, sc.Resource); err != nil {
		return err
	}
	o, err := outcomesOf(ctx, st, sc.Name, sc.Councils, fromDay, toDay, env.Now())
	if err != nil {
		return err
	}
	if *format == "json" && *out == "" {
		return writeJSON(env.Stdout, o)
	}
	return writeTables(env, *format, *out, o.Tables())
}

// outcomesOf computes the outcomes of the councils' referrals sent in
// [from, to), with the drafts that found no eligible home.
func outcomesOf(ctx context.Context, st Store, scope string, councils []string, from, to, now time.Time) (offers.Outcomes, error) {
	ost, ok := st.(offers.OutcomeStore)
	if !ok {
		return offers.Outcomes{}, care.Errorf(care.EUNUSABLE, "this database does not keep referral drafts")
	}
	index := func() (*match.Index, error) { return analysis.SupplyIndex(ctx, st) }
	return offers.GatherOutcomes(ctx, ost, index, scope, councils, from, to, now)
}
