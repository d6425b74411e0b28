package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/match"
	"sufficiency/tabular"
)

const simulateMarketSynopsis = "[--referrals FILE.json | --from DATE --to DATE --db FILE] [--supply DIR|FILE.json | --db FILE] [--objective policy|distance] [--keep-siblings=true] [--hold-urgent] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format text|json]"

func runSimulateMarket(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "simulate-market", simulateMarketSynopsis)
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
	if *format != "text" && *format != "json" {
		return care.Errorf(care.EINVALID, "simulate-market: --format %q: use text or json", *format)
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
	out, err := match.SimulateMarket(ctx, ix, refs, match.MarketOptions{Objective: obj, KeepSiblings: *keep,
		HoldUrgent: *hold, From: fromDay, To: toDay})
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	// With --keep-siblings the joint batches place each group in one home
	// where one can take it, and then place the rest of a group apart rather
	// than leave them unplaced; urgent children placed on arrival take their
	// best option one by one. So groups can still be split: say so, rather
	// than "siblings kept together true" above a count of split groups.
	sibs := "sibling groups split as needed"
	if *keep {
		sibs = "sibling groups kept together where one home can take them (else placed apart)"
	}
	fmt.Fprintf(env.Stdout, "Market simulation: %d referrals, %d provisions, %d vacancies; joint objective %s, %s, urgent referrals %s.\n\n",
		len(refs), ix.Provisions(), len(ix.Vacancies()), obj, sibs, map[bool]string{true: "held for the batch", false: "placed on arrival"}[*hold])
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, o := range out {
		fmt.Fprintf(tw, "%s\t", match.ModeLabel(o.Mode))
	}
	fmt.Fprintln(tw)
	row := func(name string, f func(o match.MarketOutcome) string) {
		fmt.Fprintf(tw, "%s\t", name)
		for _, o := range out {
			fmt.Fprintf(tw, "%s\t", f(o))
		}
		fmt.Fprintln(tw)
	}
	row("children placed", func(o match.MarketOutcome) string {
		return tabular.Decimal(float64(o.Placed), 0) + " of " + tabular.Decimal(float64(o.Children), 0)
	})
	row("unplaced children", func(o match.MarketOutcome) string { return tabular.Decimal(float64(o.Unplaced), 0) })
	row("mean distance (miles)", func(o match.MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanMiles) })
	row("placed over 20 miles", func(o match.MarketOutcome) string { return fmt.Sprintf("%.1f%%", 100*o.ShareOver20) })
	row("placed in area", func(o match.MarketOutcome) string { return fmt.Sprintf("%.1f%%", 100*o.ShareInArea) })
	row("sibling groups split", func(o match.MarketOutcome) string { return fmt.Sprintf("%d of %d", o.SiblingsSplit, o.SiblingGroups) })
	row("total weekly cost (£ a week)", func(o match.MarketOutcome) string { return "£" + tabular.Decimal(o.WeeklyCost.Pounds(), 0) })
	row("mean penalty points (lower fits better)", func(o match.MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanScore) })
	row("mean wait of placed children (days)", func(o match.MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanWaitDays) })
	row("mean wait, urgent (days)", func(o match.MarketOutcome) string { return fmt.Sprintf("%.1f", o.MeanWaitUrgent) })
	row("longest wait (days)", func(o match.MarketOutcome) string { return fmt.Sprint(o.MaxWaitDays) })
	if err := tw.Flush(); err != nil {
		return err
	}
	if lines := match.ReadMarket(out, len(ix.Vacancies())); len(lines) > 0 {
		fmt.Fprintln(env.Stdout, "\nWhy these differ:")
		for _, l := range lines {
			fmt.Fprintln(env.Stdout, "- "+l)
		}
	}
	return nil
}

// referralsFromStore derives the period's referrals from the placement
// starts of every council in the database (see match.ReferralsFromEpisodes).
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
	// ctx carries the actor run set ($SUFFICIENCY_ACTOR, else the OS user):
	// every read of children and episodes below is audited under that name.
	actx := ctx
	councils, err := st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	var refs []care.Referral
	for _, c := range councils {
		kids, err := st.Children(actx, c.Council)
		if err != nil {
			return nil, err
		}
		eps, err := st.Episodes(actx, c.Council)
		if err != nil {
			return nil, err
		}
		refs = append(refs, match.ReferralsFromEpisodes(kids, eps, from, to)...)
	}
	if len(refs) == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "no placement starts between %s and %s in the database: import SSDA903 returns covering the period, or give --referrals",
			from.Format("2006-01-02"), to.Format("2006-01-02"))
	}
	return refs, nil
}
