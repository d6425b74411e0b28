package web

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"sufficiency/analysis"
	"sufficiency/identity"
	"sufficiency/market"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/tabular"
)

// The picture, review and market are assembled by package analysis, as for
// the CLI. The web reads only the child-level data of the councils asked
// about (no in-placers from other councils, no stored statutory reviews or
// missing episodes) and, for now, shows no published comparators.

// analyst computes pictures, worklists and the market for a user.
type analyst struct {
	st          store.Store
	now         func() time.Time
	ownerGroups map[string]string
	owners      map[string]market.OwnerInfo
	cache       *pictureCache  // shared by the server's handlers (web/cache.go)
	reviews     *reviewCache   // the review worklists, likewise
	councilList *councilsCache // the loaded councils, per data version
	// heavy takes a server-wide heavy slot for computing a picture that is
	// not cached (see Server.cachedHeavy); nil: no limit.
	heavy func(context.Context) (func(), error)
}

func (s *Server) analyst() *analyst {
	if s.pictures == nil {
		s.pictures, s.reviews, s.councilList = newPictureCache(), newReviewCache(), &councilsCache{}
	}
	return &analyst{st: s.cfg.Store, now: s.cfg.Now, ownerGroups: s.cfg.OwnerGroups, owners: s.cfg.Owners, cache: s.pictures, reviews: s.reviews, councilList: s.councilList,
		heavy: func(ctx context.Context) (func(), error) { return s.limits.enterHeavy(ctx) }}
}

// Result is a set of tables of one scope, as the API returns it.
type Result struct {
	Scope string `json:"scope"`
	At    string `json:"at"` // YYYY-MM-DD
	// Suppressed is true when small numbers (1 to 4) are suppressed, as for publication.
	Suppressed bool `json:"suppressed"`
	// Tables are written as the CLI's --format json writes them (title,
	// columns, rows as objects keyed by column, notes).
	Tables []tabular.Table `json:"-"`
}

// MarshalJSON writes the result with its tables keyed in snake_case (see APITable).
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		Tables []APITable `json:"tables"`
	}{plain(r), apiTables(r.Tables)})
}

// CouncilRow is one loaded council as the dashboard and /api/v1/councils list it.
type CouncilRow struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	Years    []int  `json:"years"`
	Children string `json:"children"` // a count, or "c" when suppressed for this user
	Episodes string `json:"episodes"`
	// Own is true when the user may see the council's child-level data.
	Own bool `json:"own"`
}

// councils lists the loaded councils with counts, suppressed (1 to 4) for
// councils outside the user's scope.
func (a *analyst) councils(ctx context.Context, u identity.User) ([]CouncilRow, error) {
	sums, err := a.summaries(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CouncilRow, 0, len(sums))
	for _, s := range sums {
		row := CouncilRow{Code: s.Council, Name: s.Council, Years: s.Years, Own: u.CanSeeCouncil(s.Council)}
		if c, ok := refdata.CouncilByCode(s.Council); ok {
			row.Name, row.Region = c.Name, c.Region
		}
		row.Children, row.Episodes = count(s.Children, !row.Own), count(s.Episodes, !row.Own)
		out = append(out, row)
	}
	return out, nil
}

// count formats n, as "c" when suppress and 1 ≤ n ≤ 4.
func count(n int, suppress bool) string {
	if suppress && n >= 1 && n <= 4 {
		return tabular.Suppressed
	}
	return tabular.Format(tabular.Column{Kind: tabular.Count}, n)
}

// options are the analysis options of a request's ?at=.
func (a *analyst) options(at string) analysis.Options {
	return analysis.Options{At: at, Now: a.now}
}

// scope resolves a scope parsed at the edge (web/scopeparam.go) to the
// councils loaded, once per data version: a scope depends only on the
// councils loaded. ENOTFOUND for a scope with nothing loaded.
func (a *analyst) scope(ctx context.Context, spec analysis.ScopeSpec) (analysis.Scope, error) {
	sc, err := a.resolved(ctx, spec.String(), func() (any, error) {
		return analysis.Resolve(ctx, scopeStore{a.st, a}, spec)
	})
	if err != nil {
		return analysis.Scope{}, err
	}
	out := sc.(analysis.Scope)
	out.Councils = slices.Clone(out.Councils)
	return out, nil
}

// picture computes the picture of the scope's councils (their child-level
// data only: no in-placers from councils the user may not see) with the
// published comparators and the history of children in care; publish
// suppresses small numbers.
func (a *analyst) picture(ctx context.Context, sc analysis.Scope, at string, publish bool) (Result, analysis.PictureResult, error) {
	compute := func() (Result, analysis.PictureResult, error) {
		if a.heavy != nil {
			release, err := a.heavy(ctx)
			if err != nil {
				return Result{}, analysis.PictureResult{}, err
			}
			defer release()
		}
		return a.computePicture(ctx, sc, at, publish)
	}
	if a.cache == nil {
		return compute()
	}
	key := a.pictureKey(ctx, sc.Name, sc.Councils, at, publish)
	if key == "" {
		return compute()
	}
	return a.cache.picture(key, compute)
}

// computePicture computes a picture (see picture), uncached.
func (a *analyst) computePicture(ctx context.Context, sc analysis.Scope, at string, publish bool) (Result, analysis.PictureResult, error) {
	res, err := analysis.Picture(ctx, a.st, sc,
		analysis.PictureOptions{Options: a.options(at), Publish: publish, Published: true, History: true, ScopedSupply: true})
	if err != nil {
		return Result{}, analysis.PictureResult{}, err
	}
	// The needs profile and the map's placements and homes come from the
	// child-level data read here; only these aggregates are kept.
	tables := append(slices.Clip(res.Tables), profileTables(res, publish)...)
	return Result{Scope: sc.Name, At: res.At.Format("2006-01-02"), Suppressed: publish, Tables: tables}, res, nil
}

// market analyses the market of the register with the current placements
// of the councils the user may see; suppressed unless the user is an admin.
func (a *analyst) market(ctx context.Context, u identity.User, region, at string) (Result, error) {
	publish := !u.IsAdmin()
	compute := func() (Result, analysis.PictureResult, error) {
		res, err := analysis.Market(ctx, a.st, region, analysis.MarketOptions{Options: a.options(at), Include: u.CanSeeCouncil, Publish: publish,
			OwnerGroups: a.ownerGroups, Owners: a.owners})
		if err != nil {
			return Result{}, analysis.PictureResult{}, err
		}
		return Result{Scope: res.Region, At: res.At.Format("2006-01-02"), Suppressed: publish, Tables: res.Tables}, analysis.PictureResult{}, nil
	}
	// Cached as pictures are (per data version: an import or a supply
	// change raises it), per what the user's placements include (role and
	// scope) and suppression.
	key := a.pictureKey(ctx, "market "+region, []string{string(u.Role), u.Council, u.Region}, at, publish)
	if a.cache == nil || key == "" {
		res, _, err := compute()
		return res, err
	}
	res, _, err := a.cache.picture(key, compute)
	return res, err
}
