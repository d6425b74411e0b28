package store

import (
	"slices"
	"strings"

	"sufficiency/care"
	"sufficiency/ssda903"
)

// PrepareImport checks an Import against the store's rules and returns it
// ready to write: council codes filled in on children and episodes, years
// sorted, children ordered by id and episodes by child then start (the order
// Children and Episodes return them in). It does not modify imp's slices.
// Implementations call it first; EINVALID says what is wrong.
func PrepareImport(imp Import) (Import, error) {
	imp.Council = strings.TrimSpace(imp.Council)
	if imp.Council == "" {
		return imp, care.Errorf(care.EINVALID, "import has no council: name the council the returns belong to")
	}
	for _, r := range imp.Council {
		if r < ' ' || r == 0x7f {
			return imp, care.Errorf(care.EINVALID, "council code %q contains control characters: give the council's ONS code", imp.Council)
		}
	}
	years := slices.Clone(imp.Years)
	slices.Sort(years)
	for i, y := range years {
		if y < 1990 || y > 2100 {
			return imp, care.Errorf(care.EINVALID, "collection year %d is out of range: give the year ending 31 March, e.g. 2025 for 2024/25", y)
		}
		if i > 0 && years[i-1] == y {
			return imp, care.Errorf(care.EINVALID, "collection year %d is listed twice in the import", y)
		}
	}
	imp.Years = years
	seenYear := map[int]bool{}
	for _, r := range imp.Returns {
		if r == nil {
			continue
		}
		if r.Council != "" && r.Council != imp.Council {
			return imp, care.Errorf(care.EINVALID, "a return for council %q is in an import for council %q: import each council separately", r.Council, imp.Council)
		}
		if _, ok := slices.BinarySearch(years, r.Year); !ok {
			return imp, care.Errorf(care.EINVALID, "a return for collection year %d is in an import that replaces only %v", r.Year, years)
		}
		if seenYear[r.Year] {
			return imp, care.Errorf(care.EINVALID, "collection year %d has two returns in the import: merge them into one", r.Year)
		}
		seenYear[r.Year] = true
		for name, t := range r.Tables {
			if !KnownTable(name) {
				return imp, care.Errorf(care.EINVALID, "table %q is not an SSDA903 table the store knows", name)
			}
			if t != nil && t.Name != "" && t.Name != name {
				return imp, care.Errorf(care.EINVALID, "table %q is filed under %q in the return for %d", t.Name, name, r.Year)
			}
		}
	}

	children := imp.Children
	if !childrenReady(imp.Council, children) {
		children = slices.Clone(children)
		for i := range children {
			if children[i].Council == "" {
				children[i].Council = imp.Council
			}
		}
		slices.SortStableFunc(children, func(a, b care.Child) int { return strings.Compare(a.ID, b.ID) })
	}
	for i := range children {
		c := &children[i]
		if c.Council != imp.Council {
			return imp, care.Errorf(care.EINVALID, "child %q of council %q is in an import for council %q", c.ID, c.Council, imp.Council)
		}
		if c.ID == "" {
			return imp, care.Errorf(care.EINVALID, "a child has a blank CHILD id: leave the row out or correct it")
		}
		if i > 0 && children[i-1].ID == c.ID {
			return imp, care.Errorf(care.EINVALID, "child %q appears twice in the import: stitching must give one record per child", c.ID)
		}
		if c.Needs.Tier < care.TierUnknown || c.Needs.Tier > care.TierHighly {
			return imp, care.Errorf(care.EINVALID, "child %q has needs tier %d: tiers run from 0 (unknown) to 4 (highly complex)", c.ID, c.Needs.Tier)
		}
	}
	episodes := imp.Episodes
	if !episodesReady(imp.Council, episodes) {
		episodes = slices.Clone(episodes)
		for i := range episodes {
			if episodes[i].Council == "" {
				episodes[i].Council = imp.Council
			}
		}
		slices.SortStableFunc(episodes, compareEpisodes)
	}
	for i := range episodes {
		e := &episodes[i]
		if e.Council != imp.Council {
			return imp, care.Errorf(care.EINVALID, "an episode of child %q of council %q is in an import for council %q", e.ChildID, e.Council, imp.Council)
		}
		if e.Start.IsZero() {
			return imp, care.Errorf(care.EINVALID, "an episode of child %q has no start date (DECOM): leave the row out or correct it", e.ChildID)
		}
	}
	imp.Children = children
	imp.Episodes = episodes
	return imp, nil
}

// childrenReady reports whether children are already as the store keeps them
// (council filled in, ordered by id), so PrepareImport need not copy them.
func childrenReady(council string, cs []care.Child) bool {
	for i := range cs {
		if cs[i].Council != council || (i > 0 && cs[i-1].ID > cs[i].ID) {
			return false
		}
	}
	return true
}

func compareEpisodes(a, b care.Episode) int {
	if c := strings.Compare(a.ChildID, b.ChildID); c != 0 {
		return c
	}
	return a.Start.Compare(b.Start)
}

// episodesReady is childrenReady for episodes (ordered by child, then start).
func episodesReady(council string, es []care.Episode) bool {
	for i := range es {
		if es[i].Council != council || (i > 0 && compareEpisodes(es[i-1], es[i]) > 0) {
			return false
		}
	}
	return true
}

// TotalRows is the number of rows ImportReturns writes for imp (raw rows,
// children and episodes), the total its Progress callback counts towards.
func TotalRows(imp Import) int {
	n := len(imp.Children) + len(imp.Episodes)
	for _, r := range imp.Returns {
		if r == nil {
			continue
		}
		for _, t := range r.Tables {
			if t != nil {
				n += len(t.Rows)
			}
		}
	}
	return n
}

// NeedsIsZero reports whether a needs profile records nothing.
func NeedsIsZero(n care.NeedsProfile) bool {
	return n.Tier == care.TierUnknown && len(n.Risks) == 0 && !n.Disability && !n.MentalHealth &&
		len(n.CommunicationNeeds) == 0 && !n.SoloRecommended && !n.DeprivationOfLiberty
}

// JoinList stores a list as one ";"-separated text value ("" for none).
func JoinList[S ~string](xs []S) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(string(x))
	}
	return b.String()
}

// SplitList reads a list stored by JoinList (nil for "").
func SplitList[S ~string](s string) []S {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := make([]S, len(parts))
	for i, p := range parts {
		out[i] = S(p)
	}
	return out
}

// CheckSupply checks provisions and vacancies before they replace the stored
// supply: ids present and unique, every vacancy's provision among provisions.
func CheckSupply(provisions []care.Provision, vacancies []care.Vacancy) error {
	ids := make(map[string]bool, len(provisions))
	for _, p := range provisions {
		if p.ID == "" {
			return care.Errorf(care.EINVALID, "a provision (%q) has no id: give its Ofsted URN or household id", p.Name)
		}
		if ids[p.ID] {
			return care.Errorf(care.EINVALID, "provision %q appears twice: give each provision once", p.ID)
		}
		ids[p.ID] = true
	}
	vids := make(map[string]bool, len(vacancies))
	for _, v := range vacancies {
		if v.ID == "" {
			return care.Errorf(care.EINVALID, "a vacancy of provision %q has no id", v.ProvisionID)
		}
		if vids[v.ID] {
			return care.Errorf(care.EINVALID, "vacancy %q appears twice: give each vacancy once", v.ID)
		}
		vids[v.ID] = true
		if !ids[v.ProvisionID] {
			return care.Errorf(care.EINVALID, "vacancy %q is for provision %q, which is not in the supply: add the provision or drop the vacancy", v.ID, v.ProvisionID)
		}
	}
	return nil
}

func tablePos(n ssda903.TableName) int { return slices.Index(ssda903.TableNames, n) }

// SortTableCounts orders counts by year, then by the order of ssda903.TableNames.
func SortTableCounts(cs []TableCount) {
	slices.SortStableFunc(cs, func(a, b TableCount) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return tablePos(a.Table) - tablePos(b.Table)
	})
}

// SortLeftOut orders left-out counts by table (ssda903.TableNames order), then reason.
func SortLeftOut(ls []LeftOut) {
	slices.SortStableFunc(ls, func(a, b LeftOut) int {
		if a.Table != b.Table {
			return tablePos(a.Table) - tablePos(b.Table)
		}
		return strings.Compare(a.Reason, b.Reason)
	})
}

// CheckClosed checks the settings that have closed against themselves and
// the open provisions: each has an id (its URN) and a close date not before
// its registration, and no id repeats or is also an open provision's.
func CheckClosed(provisions, closed []care.Provision) error {
	open := make(map[string]bool, len(provisions))
	for _, p := range provisions {
		open[p.ID] = true
	}
	ids := make(map[string]bool, len(closed))
	for _, c := range closed {
		switch {
		case c.ID == "":
			return care.Errorf(care.EINVALID, "a closed setting (%q) has no id: give its Ofsted URN", c.Name)
		case c.Closed.IsZero():
			return care.Errorf(care.EINVALID, "closed setting %q has no close date: give the date it closed", c.ID)
		case !c.Registered.IsZero() && c.Closed.Before(c.Registered):
			return care.Errorf(care.EINVALID, "closed setting %q closed (%s) before it was registered (%s): check both dates",
				c.ID, c.Closed.Format("02/01/2006"), c.Registered.Format("02/01/2006"))
		case ids[c.ID]:
			return care.Errorf(care.EINVALID, "closed setting %q appears twice: give each setting once", c.ID)
		case open[c.ID]:
			return care.Errorf(care.EINVALID, "setting %q is both an open provision and a closed setting: keep it in one list", c.ID)
		}
		ids[c.ID] = true
	}
	return nil
}
