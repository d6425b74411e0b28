package analysis

import (
	"context"
	"encoding/csv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/internal/inputfile"
	"sufficiency/refdata"
	"sufficiency/review"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/tabular"
)

// ReviewOptions choose how a review worklist is assembled.
type ReviewOptions struct {
	Options
	// Rules are the review rules; nil for review.DefaultRules().
	Rules []review.Rule
	// DistanceReasons are recorded reasons for placing children far from
	// home. A key without a council is for the scope's one council (and
	// ignored when the scope has several).
	DistanceReasons map[review.EpisodeKey]string
	// StatutoryRecords reads the SSDA903 Reviews and Missing tables stored
	// with the councils' returns (audited), so that the review-overdue and
	// missing rules are evaluated; without it they are reported as not
	// evaluated.
	StatutoryRecords bool
}

// ReviewResult is the needs-led review worklist of a scope with its tables.
type ReviewResult struct {
	Scope    Scope
	At       time.Time
	Worklist review.Worklist
	Tables   []tabular.Table
}

// Review builds the needs-led review worklist of the scope's current
// placements at the date o gives.
func Review(ctx context.Context, st Store, sc Scope, o ReviewOptions) (ReviewResult, error) {
	var reviews []review.StatutoryReview
	var missing []review.MissingEpisode
	var records func(at time.Time) error
	if o.StatutoryRecords {
		// Read while gather reads the placements and the supply.
		records = func(at time.Time) (err error) {
			reviews, missing, err = StatutoryRecords(ctx, st, sc.Councils, at)
			return err
		}
	}
	d, err := gather(ctx, st, sc, o.Options, false, loadInCare, true, records)
	if err != nil {
		return ReviewResult{}, err
	}
	at := d.At
	rules := o.Rules
	if rules == nil {
		rules = review.DefaultRules()
	}
	w := review.Build(review.Input{
		DistanceReasons: scopeReasons(o.DistanceReasons, sc.Councils),
		Scope:           sc.Councils,
		Children:        d.Children,
		Episodes:        d.Episodes,
		Provisions:      d.Provisions,
		Locate:          NewLocator(),
		Reviews:         reviews,
		Missing:         missing,
	}, rules, at)
	return ReviewResult{Scope: sc, At: at, Worklist: w, Tables: w.Tables()}, nil
}

// scopeReasons gives the reasons without a council to the scope's one
// council (a reason given for it with the council as well yields to them).
// reasons is not changed.
func scopeReasons(reasons map[review.EpisodeKey]string, councils []string) map[review.EpisodeKey]string {
	if reasons == nil || len(councils) != 1 {
		return reasons
	}
	out := make(map[review.EpisodeKey]string, len(reasons))
	for k, v := range reasons {
		if k.Council != "" {
			out[k] = v
		}
	}
	for k, v := range reasons {
		if k.Council == "" {
			k.Council = councils[0]
			out[k] = v
		}
	}
	return out
}

// StatutoryRecords reads the SSDA903 Reviews and Missing tables stored with
// the councils' returns. Each result is nil (its rule is then reported as
// not evaluated) when no stored return of any of the councils includes that
// table.
//
// Only the collection years that cover the three years to at are read: the
// rules look at the latest reviews (every 6 months at most) and at the last
// 12 months of missing episodes.
func StatutoryRecords(ctx context.Context, st Store, councils []string, at time.Time) ([]review.StatutoryReview, []review.MissingEpisode, error) {
	last := at.Year()
	if at.Month() > time.March {
		last++ // the collection year ending 31 March after at
	}
	years := []int{last - 3, last - 2, last - 1, last}
	var reviews []review.StatutoryReview
	var missing []review.MissingEpisode
	haveReviews, haveMissing := false, false
	for _, code := range councils {
		rets, err := returnTables(ctx, st, code, years, ssda903.Reviews, ssda903.Missing)
		if err != nil {
			if care.ErrorCode(err) == care.ENOTFOUND {
				continue
			}
			return nil, nil, err
		}
		for _, r := range rets {
			if t := r.Table(ssda903.Reviews); t != nil {
				haveReviews = true
				for _, row := range t.Rows {
					d, ok := ssda903.ParseDate(row.Get(ssda903.Reviews, "REVIEW"))
					if child := row.Get(ssda903.Reviews, "CHILD"); ok && child != "" {
						reviews = append(reviews, review.StatutoryReview{Council: code, ChildID: child, Date: d})
					}
				}
			}
			if t := r.Table(ssda903.Missing); t != nil {
				haveMissing = true
				for _, row := range t.Rows {
					d, ok := ssda903.ParseDate(row.Get(ssda903.Missing, "MIS_START"))
					if child := row.Get(ssda903.Missing, "CHILD"); ok && child != "" {
						missing = append(missing, review.MissingEpisode{Council: code, ChildID: child, Start: d,
							Absent: strings.EqualFold(row.Get(ssda903.Missing, "MISSING"), "A")})
					}
				}
			}
		}
	}
	if !haveReviews {
		reviews = nil
	} else if reviews == nil {
		reviews = []review.StatutoryReview{}
	}
	if !haveMissing {
		missing = nil
	} else if missing == nil {
		missing = []review.MissingEpisode{}
	}
	return reviews, missing, nil
}

// ReadDistanceReasons reads a CSV of recorded reasons for placing children
// far from home: a header naming CHILD, DECOM (the start of the episode, as
// in SSDA903) and REASON, and optionally LA (the council's ONS code, DfE code
// or name; needed when reviewing a region). EUNUSABLE when the file cannot
// be read; EINVALID, naming the line, for a missing column or a bad date.
func ReadDistanceReasons(path string) (map[review.EpisodeKey]string, error) {
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

// returnTables is the council's stored returns for years with only tables
// read, where the store can leave the others out (store.TableReader), else
// whole.
func returnTables(ctx context.Context, st Store, council string, years []int, tables ...ssda903.TableName) ([]*ssda903.Return, error) {
	if tr, ok := st.(store.TableReader); ok {
		return tr.ReturnTables(ctx, council, years, tables)
	}
	return st.Returns(ctx, council, years)
}
