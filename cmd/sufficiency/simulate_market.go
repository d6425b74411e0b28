package main

import (
	"context"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/match"
)

func runSimulateMarket(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "simulate-market", helpText("simulate-market"))
	refPath := fs.String("referrals", "", "referrals of the period: a JSON array with received dates (default: the placement starts from --from to --to in the database)")
	supplyPath := fs.String("supply", "", "supply file set directory or JSON supply file (vacancies open from valid_from)")
	db := fs.String("db", "", "database to read the supply from when --supply is not given (default $SUFFICIENCY_DB)")
	objective := fs.String("objective", "policy", "objective of the joint allocations: policy or distance")
	keep := fs.Bool("keep-siblings", true, "joint allocations keep sibling groups together where a home can take them")
	hold := fs.Bool("hold-urgent", false, "hold referrals needed today for the next batch (default: place them on arrival)")
	from := fs.String("from", "", "first day of the period (default: first referral)")
	to := fs.String("to", "", "last day of the period (default: last referral)")
	policyPath := fs.String("policy", "", "policy file overriding the default weights")
	format := fs.String("format", "text", "output format: text or json (json includes every placement)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat("simulate-market", *format, "text", "json"); err != nil {
		return err
	}
	obj := match.Objective(*objective)
	if obj != match.ObjectivePolicy && obj != match.ObjectiveDistance {
		return care.Errorf(care.EINVALID, "simulate-market: --objective %q: use policy or distance", *objective)
	}
	fromDay, err := parseDate("from", *from)
	if err != nil {
		return err
	}
	toDay, err := parseDate("to", *to)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policyPath)
	if err != nil {
		return err
	}
	var refs []care.Referral
	if *refPath != "" {
		f, err := inputfile.Open(*refPath)
		if err != nil {
			return care.WrapError(care.EUNUSABLE, err, "simulate-market: cannot read the referrals")
		}
		refs, err = care.ReadReferrals(f)
		f.Close()
		if err != nil {
			return err
		}
	} else {
		if fromDay.IsZero() || toDay.IsZero() {
			return care.Errorf(care.EINVALID, "simulate-market: give --referrals FILE.json, or --from and --to to replay the placement starts imported in the database")
		}
		if refs, err = referralsFromStore(ctx, env, *db, fromDay, toDay); err != nil {
			return err
		}
	}
	ix, err := supplySource{path: *supplyPath, db: *db}.index(ctx, env, pol)
	if err != nil {
		return err
	}
	mo := match.MarketOptions{Objective: obj, KeepSiblings: *keep, HoldUrgent: *hold, From: fromDay, To: toDay}
	out, err := match.SimulateMarket(ctx, ix, refs, mo)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(env.Stdout, out)
	}
	return match.WriteMarketRun(env.Stdout, len(refs), ix, mo, out)
}

// referralsFromStore derives the period's referrals from the placement
// starts of every council in the database (analysis.ReferralsFrom).
func referralsFromStore(ctx context.Context, env *Env, db string, from, to time.Time) ([]care.Referral, error) {
	if to.Before(from) {
		return nil, care.Errorf(care.EINVALID, "--from %s is after --to %s: give the first day of the period as --from and the last as --to",
			from.Format("2006-01-02"), to.Format("2006-01-02"))
	}
	st, err := openStore(ctx, env, db, mustExist)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	refs, err := analysis.ReferralsFrom(ctx, st, from, to)
	return refs, hint(err, care.ENOTFOUND, "import SSDA903 returns covering the period, or give --referrals")
}
