package main

import (
	"bytes"
	"context"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/market"
)

// runMarket is the market verb.
func runMarket(ctx context.Context, env *Env, args []string) error {
	fset := newFlagSet(env, "market", helpText("market"))
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
	if *occupancy <= 0 || *occupancy > 1 {
		return care.Errorf(care.EINVALID, "--occupancy %v: give a share between 0 and 1, e.g. 0.83", *occupancy)
	}
	if *top < 1 {
		return care.Errorf(care.EINVALID, "--top %d: give 1 or more", *top)
	}
	groups, owners, err := readOwnerGroups("market", *ownerFile)
	if err != nil {
		return err
	}
	if err := o.scope.parse(false); err != nil {
		return err
	}
	region, err := o.scope.parsed.MarketRegion()
	if err != nil {
		return hint(err, care.EINVALID, "use --region NAME (or none for England), not --la")
	}
	// The database is optional: without one the market is the register alone.
	var st analysis.Store
	if path := dbPath(env, *o.db); *o.db != "" || dbExists(path) {
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

// readOwnerGroups reads the --owner-groups file of verb, if one is named
// (market.ParseOwnerGroups).
func readOwnerGroups(verb, path string) (map[string]string, map[string]market.OwnerInfo, error) {
	if path == "" {
		return nil, nil, nil
	}
	data, err := readInputFile(verb, "owner-groups", path, "owner groups file")
	if err != nil {
		return nil, nil, err
	}
	groups, owners, err := market.ParseOwnerGroups(bytes.NewReader(data))
	if err != nil {
		return nil, nil, care.Errorf(care.EINVALID, "%s: %s", path, care.ErrorMessage(err))
	}
	return groups, owners, nil
}
