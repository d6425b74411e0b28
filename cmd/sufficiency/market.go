package main

import (
	"bytes"
	"context"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/market"
)

const marketSynopsis = `[--region NAME] [--at DATE] [--occupancy 0.83] [--top 25] [--owner-groups FILE] [--format text|json|csv|xlsx] [--out FILE] [--db FILE]

The market of places: concentration of places and spend by owner group (HHI, top-5 and top-10 shares) per
region and for England, places by sector and owner, ratings mix, places per 10,000 children by region, prices
and price growth, value for money, and the provider-failure contingency for each owner group. Places come
from the Ofsted register embedded in the program (with any supply imported); spend, prices and children per
owner come from the children loaded in the database, when there is one. The register names only each setting's
owner organisation: --owner-groups FILE (CSV: owner_organisation,group,ultimate_owner,ownership) joins companies
into groups and names their ultimate owners and kind of ownership (e.g. private equity), from public sources.`

// runMarket is the market verb.
func runMarket(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet(env, "market", marketSynopsis)
	o := analyticsFlags(fset)
	occupancy := fset.Float64("occupancy", 0.83, "share of places assumed filled where the data cannot say (0–1)")
	top := fset.Int("top", 25, "owner groups listed in the contingency table")
	ownerFile := fset.String("owner-groups", "", "CSV joining owner organisations into groups with their ultimate owner and ownership")
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
	var groups map[string]string
	var owners map[string]market.OwnerInfo
	if *ownerFile != "" {
		data, err := readInputFile("market", "owner-groups", *ownerFile, "owner groups file")
		if err != nil {
			return err
		}
		if groups, owners, err = market.ParseOwnerGroups(bytes.NewReader(data)); err != nil {
			return care.Errorf(care.EINVALID, "%s: %s", *ownerFile, care.ErrorMessage(err))
		}
	}
	region, err := analysis.MarketRegion(o.region)
	if err != nil {
		return err
	}
	// The database is optional: without one the market is the register alone.
	var st analysis.Store
	if path := dbPath(env, o.db); o.db != "" || dbExists(path) {
		s, err := openStore(ctx, env, path, mustExist)
		if err != nil {
			return err
		}
		defer s.Close()
		st = s
	}
	res, err := analysis.Market(ctx, st, region, analysis.MarketOptions{
		Options: o.options(env), Occupancy: *occupancy, TopOwners: *top, ReferencePrices: true,
		OwnerGroups: groups, Owners: owners,
	})
	if err != nil {
		return err
	}
	return writeTables(env, o.format, o.out, res.Tables)
}
