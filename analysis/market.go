package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/market"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/tabular"
)

// MarketOptions choose how the market is assembled.
type MarketOptions struct {
	Options
	// Occupancy is the share of places assumed filled where the data cannot
	// say, and TopOwners how many owner groups the contingency table lists
	// (market's defaults when zero).
	Occupancy float64
	TopOwners int
	// ReferencePrices sets the published weekly prices (refdata's reference
	// figures) beside the prices of loaded placements.
	ReferencePrices bool
	// Include says whose children and episodes to read, by council code;
	// nil reads every loaded council's.
	Include func(council string) bool
	// Publish suppresses small numbers (1 to 4) in every table.
	Publish bool
	// OwnerGroups and Owners join owner organisations into groups and say
	// who ultimately owns each (market.ParseOwnerGroups); optional.
	OwnerGroups map[string]string
	Owners      map[string]market.OwnerInfo
	// Provisions, when set, is the supply already read (see Provisions),
	// so a caller that has it does not read it again.
	Provisions []care.Provision
	// Data, when set, holds the whole histories (as Load reads them) of
	// every council the market includes, already read (a picture's
	// PictureResult.Data): the market takes the children and placements it
	// needs from them (store.FilterEpisodes, the meaning of the store's
	// query) instead of reading them again.
	Data *Data
}

// MarketResult is the market of a region (or England) with its tables.
type MarketResult struct {
	// Region is the region analysed, or England.
	Region string
	At     time.Time
	Market market.Market
	Tables []tabular.Table
}

// Market analyses the market of places in region (a canonical region name,
// or "" for England; see MarketRegion): the register and the store's supply,
// with the placements of the loaded councils o includes. st may be nil: the
// register alone.
func Market(ctx context.Context, st Store, region string, o MarketOptions) (MarketResult, error) {
	if o.Publish {
		o.Options.ReferenceDates = true // suppression that survives differencing
	}
	in := market.Input{Region: region, Occupancy: o.Occupancy, TopOwners: o.TopOwners, ChildrenInCare: childrenInCare(),
		OwnerGroups: o.OwnerGroups, Owners: o.Owners}
	for _, c := range refdata.Councils() {
		in.Councils = append(in.Councils, market.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17,
			Easting: c.Easting, Northing: c.Northing})
	}
	if o.ReferencePrices {
		in.Reference = referencePrices()
	}
	var at time.Time
	var err error
	in.Provisions = o.Provisions
	if st == nil {
		if in.Provisions == nil {
			if in.Provisions, err = Provisions(ctx, st); err != nil {
				return MarketResult{}, err
			}
		}
		if at, err = o.Date(nil); err != nil {
			return MarketResult{}, err
		}
	} else {
		if at, err = marketPlacements(ctx, st, region, o, &in); err != nil {
			return MarketResult{}, err
		}
	}
	m := market.Analyse(in, at)
	tables := m.Tables()
	if o.Publish {
		for i := range tables {
			tables[i] = tabular.Suppress(tables[i])
		}
	}
	name := region
	if name == "" {
		name = market.England
	}
	return MarketResult{Region: name, At: at, Market: m, Tables: tables}, nil
}

// marketPlacements chooses the date from the included councils' episodes
// and reads what the market needs of them (in.Episodes, in.Children): the
// placements current at the date (for a region, the region's councils' and
// other councils' at the region's settings; for England, all), the costed
// placements started in the two years before it in the region, and the
// region's children (for their needs tiers). Nothing else of any council's
// history is read. Unless in.Provisions is set, it reads the supply
// (Provisions) there too, while the region's children and placements are
// read (see gather).
func marketPlacements(ctx context.Context, st Store, region string, o MarketOptions, in *market.Input) (time.Time, error) {
	supply := func() (err error) {
		if in.Provisions == nil {
			in.Provisions, err = Provisions(ctx, st)
		}
		return err
	}
	summaries, err := st.Councils(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var included, inRegion []string
	var span store.Span
	all := true
	for _, s := range summaries {
		if o.Include != nil && !o.Include(s.Council) {
			all = false
			continue
		}
		included = append(included, s.Council)
		span = span.Join(s.Span)
		c, known := refdata.CouncilByCode(s.Council)
		if region == "" || (known && c.Region == region) {
			inRegion = append(inRegion, s.Council)
		}
	}
	at, err := o.dateIn(span)
	if err != nil {
		return at, err
	}
	if len(included) == 0 {
		return at, supply()
	}
	q := store.EpisodeQuery{At: at, CostedSince: care.AddYears(at, -2), CostedCouncils: inRegion,
		Purpose: fmt.Sprintf("placements current on %s and costed placements started in the two years before (market)", at.Format("2006-01-02"))}
	if !all {
		q.Councils = included
	}
	if d := o.Data; d != nil {
		for _, code := range inRegion {
			for _, c := range d.Children {
				if c.Council == code {
					in.Children = append(in.Children, c)
				}
			}
		}
		in.Episodes = store.FilterEpisodes(d.Episodes, q)
		return at, supply()
	}
	children := func() error {
		for _, code := range inRegion {
			cs, err := st.Children(ctx, code)
			if err != nil {
				return err
			}
			in.Children = append(in.Children, cs...)
		}
		return nil
	}
	if region == "" {
		err := parallel(supply, children, func() (err error) {
			in.Episodes, err = st.EpisodesWhere(ctx, q)
			return err
		})
		return at, err
	}
	// A region: of other councils' current placements, the market uses only
	// those at the region's settings (the children a failure there would
	// displace), so those are all it reads of them.
	var own, others []care.Episode
	err = parallel(supply, children, func() (err error) {
		if len(inRegion) > 0 {
			mine := q
			mine.Councils = inRegion
			own, err = st.EpisodesWhere(ctx, mine)
		}
		return err
	})
	if err != nil {
		return at, err
	}
	if urns := regionURNs(in.Provisions, region); len(urns) > 0 && len(inRegion) < len(included) {
		q := store.EpisodeQuery{At: at, Except: inRegion, URNs: urns,
			Purpose: fmt.Sprintf("placements current on %s at settings in %s (market)", at.Format("2006-01-02"), region)}
		if !all {
			q.Councils = included
		}
		if others, err = st.EpisodesWhere(ctx, q); err != nil {
			return at, err
		}
	}
	in.Episodes = concatByCouncil(own, others)
	return at, nil
}

// regionURNs is the IDs of the settings of provs in region's councils,
// sorted, without repeats.
func regionURNs(provs []care.Provision, region string) []string {
	var urns []string
	for i := range provs {
		p := &provs[i]
		if c, ok := refdata.CouncilByCode(p.Council); ok && c.Region == region && p.ID != "" {
			urns = append(urns, p.ID)
		}
	}
	slices.Sort(urns)
	return slices.Compact(urns)
}

// childrenInCare is the latest published number of children in care of each
// region and of England.
func childrenInCare() map[string]int {
	out := map[string]int{}
	for _, r := range refdata.Regions() {
		if rows := refdata.RegionCLATotals(r); len(rows) > 0 {
			if n, ok := rows[len(rows)-1].CLA31Mar.Int(); ok {
				out[r] = n
			}
		}
	}
	if rows := refdata.EnglandCLATotals(); len(rows) > 0 {
		if n, ok := rows[len(rows)-1].CLA31Mar.Int(); ok {
			out[market.England] = n
		}
	}
	return out
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
