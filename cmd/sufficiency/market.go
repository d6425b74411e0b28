package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"

	"sufficiency/care"
	"sufficiency/market"
	"sufficiency/refdata"
)

const marketSynopsis = `[--region NAME] [--at DATE] [--occupancy 0.83] [--top 25] [--format text|json|csv|xlsx] [--out FILE] [--db FILE]

The market of places: concentration of places and spend by owner group (HHI, top-5 and top-10 shares) per
region and for England, places by sector and owner, ratings mix, places per 10,000 children by region, prices
and price growth, value for money, and the provider-failure contingency for each owner group. Places come
from the Ofsted register embedded in the program (with any supply imported); spend, prices and children per
owner come from the children loaded in the database, when there is one.`

// runMarket is the market verb.
func runMarket(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet(env, "market", marketSynopsis)
	o := analyticsFlags(fset)
	occupancy := fset.Float64("occupancy", 0.83, "share of places assumed filled where the data cannot say (0–1)")
	top := fset.Int("top", 25, "owner groups listed in the contingency table")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if err := o.check(fset); err != nil {
		return err
	}
	if o.la != "" {
		return care.Errorf(care.EINVALID, "market works on regions: use --region NAME (or none for England), not --la")
	}
	if *occupancy <= 0 || *occupancy > 1 {
		return care.Errorf(care.EINVALID, "--occupancy %v: give a share between 0 and 1, e.g. 0.83", *occupancy)
	}
	if *top < 1 {
		return care.Errorf(care.EINVALID, "--top %d: give 1 or more", *top)
	}
	region := ""
	if o.region != "" && !strings.EqualFold(o.region, market.England) {
		r, ok := refdata.CanonicalRegion(o.region)
		if !ok {
			return care.Errorf(care.ENOTFOUND, "no region %q: use one of %s", o.region, strings.Join(refdata.Regions(), ", "))
		}
		region = r
	}

	in := market.Input{Region: region, Occupancy: *occupancy, TopOwners: *top, ChildrenInCare: map[string]int{}}
	for _, c := range refdata.Councils() {
		in.Councils = append(in.Councils, market.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17,
			Easting: c.Easting, Northing: c.Northing})
	}
	for _, r := range refdata.Regions() {
		if rows := refdata.RegionCLATotals(r); len(rows) > 0 {
			if n, ok := rows[len(rows)-1].CLA31Mar.Int(); ok {
				in.ChildrenInCare[r] = n
			}
		}
	}
	if rows := refdata.EnglandCLATotals(); len(rows) > 0 {
		if n, ok := rows[len(rows)-1].CLA31Mar.Int(); ok {
			in.ChildrenInCare[market.England] = n
		}
	}
	in.Reference = referencePrices()

	// The database is optional: without one the market is the register alone.
	var st analyticsStore
	path := o.dbPath(env)
	if _, err := os.Stat(path); err == nil {
		s, err := openAnalyticsStore(ctx, path)
		if err != nil {
			return err
		}
		defer s.Close()
		st = s
		summaries, err := st.Councils(ctx)
		if err != nil {
			return err
		}
		for _, s := range summaries {
			cs, err := st.Children(ctx, s.Council)
			if err != nil {
				return err
			}
			es, err := st.Episodes(ctx, s.Council)
			if err != nil {
				return err
			}
			in.Children = append(in.Children, cs...)
			in.Episodes = append(in.Episodes, es...)
		}
	} else if !errors.Is(err, fs.ErrNotExist) || o.db != "" {
		return care.WrapError(care.ENOTFOUND, err, "cannot read the database %s; give an existing --db FILE, or none to use the register alone", path)
	}
	provs, err := registerProvisions(ctx, st)
	if err != nil {
		return err
	}
	in.Provisions = provs
	at, err := o.date(env, in.Episodes)
	if err != nil {
		return err
	}
	m := market.Analyse(in, at)
	return writeTables(env, o.format, o.out, m.Tables())
}

// referencePrices picks the published weekly prices of the curated reference
// figures, by the placement they describe.
func referencePrices() []market.ReferencePrice {
	var out []market.ReferencePrice
	for _, r := range refdata.ReferenceFigures() {
		weekly := strings.HasPrefix(r.Unit, "GBP per child per week") || r.Unit == "GBP per week"
		if !weekly || strings.Contains(strings.ToLower(r.Metric), "highest") {
			continue
		}
		m := strings.ToLower(r.Metric)
		var g care.PlacementGroup
		var p care.ProviderType
		switch {
		case strings.Contains(m, "fostering agenc") || strings.Contains(m, "ifa"):
			g, p = care.GroupFosterOther, care.ProviderPrivate
		case strings.Contains(m, "foster"):
			g = care.GroupFosterOther
		case strings.Contains(m, "children's home") || strings.Contains(m, "residential"):
			g = care.GroupChildrensHome
		default:
			continue
		}
		out = append(out, market.ReferencePrice{Label: r.Metric, Group: g, Provider: p, Weekly: care.FromPounds(r.Value), Period: r.Period, Source: r.Source})
	}
	return out
}
