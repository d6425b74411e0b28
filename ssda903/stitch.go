package ssda903

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
)

// History is the care history of every child of one or more councils,
// stitched from several years' returns. Child identifiers are scoped by
// council throughout: two councils may use the same CHILD.
type History struct {
	Children []care.Child   // sorted by council, then CHILD
	Episodes []care.Episode // sorted by council, child, start
	Origins  []EpisodeOrigin
	// Tables holds the rows of the other tables (everything but Header,
	// Episodes, UASC, PlacementCosts and Needs, which are folded into
	// Children and Episodes) by council and table, all years together in
	// year order, with rows repeated word for word in a later return
	// removed.
	Tables map[string]map[TableName][]Record
}

// EpisodeOrigin says where History.Episodes[i] came from: the return (year)
// and file row it was read from, and the stitch rules that changed it.
type EpisodeOrigin struct {
	Year  int
	File  string
	Line  int
	Fixes []string // names of the StitchRules applied to this episode
}

// Record is one row of a table with the return it came from.
type Record struct {
	Year int
	File string
	Row  Row
}

// StitchRule is one documented rule applied by Stitch.
type StitchRule struct {
	Name        string
	Description string
}

// ReasonUnknownExit is the REC that Stitch gives an episode it closes because
// the child is no longer in the data, when the real reason is not known. It
// is not a DfE code (LIIA's episode fix uses the same value), so analyses can
// tell these exits apart.
const ReasonUnknownExit = "E99"

// StitchRules lists, in the order they are applied, every rule Stitch may
// apply. The episode rules follow the LIIA multi-year "episode fix" (RULE_1
// to RULE_5 in liia-tools' fix_episodes.py, named in brackets) and the
// demand models' cleaning rules (data-to-insight cs-demand-model and the
// regional engine, design/ssda903.md §2.1–2.2).
var StitchRules = []StitchRule{
	{"episode-no-child", "an episode row with a blank CHILD was left out"},
	{"episode-no-start", "an episode row whose DECOM is blank or not a date was left out"},
	{"episode-end-before-start", "an episode row whose DEC is before its DECOM was left out"},
	{"episode-end-unreadable", "an episode whose DEC is not a date was treated as open"},
	{"same-episode-later-return", "the same episode (child and DECOM) was in several returns: the latest return's version was kept"},
	{"same-start-in-return", "two episodes of one child in one return start on the same day: the closed one was kept (else the later row)"},
	{"open-duplicate", "an episode left open in an earlier return repeats the episode before or after it (same RNE, LS, PLACE, PLACE_PROVIDER, PL_POST, URN, another DECOM): it was removed [RULE_3]"},
	{"open-replaced", "an episode left open in an earlier return was replaced by a later return (the episode before it comes from a later return): it was removed [RULE_3A]"},
	{"open-closed-by-next", "an episode left open in an earlier return was ended on the next episode's DECOM, with REC X1 [RULE_1]"},
	{"open-closed-before-reentry", "an episode left open in an earlier return, where the next episode starts a new period of care (RNE S), was ended the day before it or on 31 March of its year, whichever is earlier, with REC " + ReasonUnknownExit + " [RULE_1A]"},
	{"open-closed-at-year-end", "an episode left open in an earlier return, with nothing after it in later returns, was ended on 31 March of its year with REC " + ReasonUnknownExit + " (the child left care) [RULE_2]"},
	{"overlap-later-return", "an episode ran past the start of the next episode, which came from a later return: it was ended on that start [RULE_4]"},
	{"x1-gap-later-return", "an episode ended with X1 (care continues) before the next episode, which came from a later return: it was extended to that start [RULE_5]"},
	{"same-end-keep-longer", "two closed episodes of one child end on the same day: the shorter one was removed"},
	{"open-closed-within-return", "an open episode followed by another episode was ended on the next DECOM with REC X1 (or the day before with REC " + ReasonUnknownExit + " when the next one starts a new period of care)"},
	{"overlap-trimmed", "an episode ran past the next episode's DECOM: it was ended on that DECOM"},
	{"header-duplicate-in-return", "a child had two Header rows in one return: the later row was kept"},
	{"header-changed", "a child's Header differs between returns: each field was taken from the latest return that has it"},
	{"child-without-header", "a child has episodes but no Header row in any return: sex unknown, no date of birth"},
	{"sex-1-2", "a child's SEX was recorded as 1/2 (before 2024/25) and read as M/F"},
	{"sex-unknown", "a child's SEX is blank or not a known code: read as U"},
	{"dob-unreadable", "a child's DOB is not a date: left empty"},
	{"uasc", "a child is in a UASC table in some return: marked UASC (DUC from the latest return that has one)"},
	{"cost-attached", "a PlacementCosts row was attached to its episode (child and DECOM; latest return wins)"},
	{"cost-without-episode", "a PlacementCosts row matches no episode: ignored"},
	{"cost-unreadable", "a PlacementCosts amount is not a number: ignored"},
	{"needs-attached", "a Needs row was attached to its child (latest return wins)"},
	{"needs-without-child", "a Needs row matches no child: ignored"},
	{"duplicate-row-removed", "a row of another table was repeated word for word in a later return: one copy was kept"},
}

// StitchReport counts the rules Stitch applied.
type StitchReport struct {
	Returns     int            // returns stitched
	Councils    int            // councils
	EpisodeRows int            // Episodes rows in all returns
	Episodes    int            // episodes in the history
	Children    int            // children in the history
	Applied     map[string]int // StitchRules name → times applied
}

func (r *StitchReport) add(rule string, n int) {
	if n == 0 {
		return
	}
	if r.Applied == nil {
		r.Applied = map[string]int{}
	}
	r.Applied[rule] += n
}

// Lines describes the rules applied, one line per rule in StitchRules order.
func (r StitchReport) Lines() []string {
	var out []string
	for _, rule := range StitchRules {
		if n := r.Applied[rule.Name]; n > 0 {
			out = append(out, fmt.Sprintf("%6d × %s: %s", n, rule.Name, rule.Description))
		}
	}
	return out
}

// String summarises the report on several lines.
func (r StitchReport) String() string {
	s := fmt.Sprintf("%d returns of %d councils: %d episode rows → %d episodes of %d children", r.Returns, r.Councils, r.EpisodeRows, r.Episodes, r.Children)
	for _, l := range r.Lines() {
		s += "\n" + l
	}
	return s
}

// ep is an episode being stitched.
type ep struct {
	e      care.Episode
	rne    string
	year   int
	file   string
	line   int
	fixes  []string
	drop   bool
	closed bool // has a DEC
}

func (x *ep) fix(rule string, r *StitchReport) {
	x.fixes = append(x.fixes, rule)
	r.add(rule, 1)
}

// Stitch joins several years' returns into one history per child. Returns
// may be for several councils; each council is stitched on its own. The
// rules applied, in order, are those of StitchRules; each application is
// counted in the report and named in the episode's EpisodeOrigin.
//
// Children: one per CHILD in any Header or Episodes table of the council.
// Each Header field comes from the latest return where it is not blank; SEX
// 1/2 (returns before 2024/25) is read as M/F and anything unknown as U. A
// child in any return's UASC table is UASC. Needs come from the Needs
// extension table (latest return).
//
// Episodes: the rows of every return are deduplicated on (CHILD, DECOM),
// the latest return winning. Then, child by child in DECOM order, episodes
// left open in a return that is not the council's latest are removed when
// they repeat a neighbour or were replaced (LIIA RULE_3/3A) and otherwise
// closed from the next year's data (RULE_1/1A/2); episodes that overlap or
// leave an X1 gap before an episode of a later return are cut or extended to
// it (RULE_4/5); of two closed episodes ending the same day the longer is
// kept; finally any remaining open episode that is not the child's last is
// closed at the next start, and overlaps are cut at the next start (demand
// model rule 6). Unlike the demand model, two open episodes are not
// deduplicated on their (blank) end: the earlier is closed at the later's
// start. Weekly costs and funding come from the PlacementCosts extension
// table, matched on CHILD and DECOM.
func Stitch(returns []*Return) (*History, StitchReport) {
	var rep StitchReport
	h := &History{Tables: map[string]map[TableName][]Record{}}
	byCouncil := map[string][]*Return{}
	var councils []string
	for _, r := range returns {
		if r == nil {
			continue
		}
		if _, ok := byCouncil[r.Council]; !ok {
			councils = append(councils, r.Council)
		}
		byCouncil[r.Council] = append(byCouncil[r.Council], r)
		rep.Returns++
	}
	sort.Strings(councils)
	rep.Councils = len(councils)
	n := 0
	for _, r := range returns {
		if t := r.Table(Episodes); t != nil {
			n += len(t.Rows)
		}
	}
	h.Episodes = make([]care.Episode, 0, n)
	h.Origins = make([]EpisodeOrigin, 0, n)
	for _, c := range councils {
		rs := byCouncil[c]
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].Year < rs[j].Year })
		stitchCouncil(c, rs, h, &rep)
	}
	rep.Episodes = len(h.Episodes)
	rep.Children = len(h.Children)
	return h, rep
}

func stitchCouncil(council string, rs []*Return, h *History, rep *StitchReport) {
	// --- Episodes -------------------------------------------------------
	latest, nrows := 0, 0
	for _, r := range rs {
		if t := r.Table(Episodes); t != nil {
			nrows += len(t.Rows)
		}
	}
	type key struct {
		child string
		start int64 // days since 1970
	}
	kept := make(map[key]*ep, nrows)
	all := make([]*ep, 0, nrows)
	store := make([]ep, nrows) // one allocation for every episode
	for _, r := range rs {
		t := r.Table(Episodes)
		if t == nil {
			continue
		}
		if r.Year > latest {
			latest = r.Year
		}
		for _, row := range t.Rows {
			rep.EpisodeRows++
			x := &store[0]
			store = store[1:]
			if rule := episodeFromRow(council, row, x); rule != "" {
				rep.add(rule, 1)
				continue
			}
			x.year, x.file, x.line = r.Year, t.File, row.Line
			if x.closed && x.e.End.IsZero() {
				x.fix("episode-end-unreadable", rep)
				x.closed = false
			}
			k := key{x.e.ChildID, x.e.Start.Unix() / 86400}
			old := kept[k]
			switch {
			case old == nil:
				kept[k] = x
				all = append(all, x)
				continue
			case old.year < x.year:
				rep.add("same-episode-later-return", 1)
			default: // same return
				rep.add("same-start-in-return", 1)
				if old.closed && !x.closed {
					continue
				}
			}
			*old = *x
		}
	}
	// Group by child, in DECOM order.
	slices.SortStableFunc(all, func(a, b *ep) int {
		if c := strings.Compare(a.e.ChildID, b.e.ChildID); c != 0 {
			return c
		}
		return a.e.Start.Compare(b.e.Start)
	})
	out := make([]*ep, 0, len(all))
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].e.ChildID == all[i].e.ChildID {
			j++
		}
		out = append(out, stitchChild(all[i:j], latest, rep)...)
		i = j
	}

	// --- Children -------------------------------------------------------
	children, index := stitchChildren(council, rs, out, rep)

	// --- Extension tables ----------------------------------------------
	attachCosts(rs, out, rep)
	attachNeeds(rs, children, index, rep)

	for _, x := range out {
		h.Episodes = append(h.Episodes, x.e)
		h.Origins = append(h.Origins, EpisodeOrigin{Year: x.year, File: x.file, Line: x.line, Fixes: x.fixes})
	}
	h.Children = append(h.Children, children...)

	// --- Other tables ---------------------------------------------------
	other := map[TableName][]Record{}
	for _, name := range TableNames {
		switch name {
		case Header, Episodes, UASC, PlacementCosts, Needs:
			continue
		}
		seen := map[string]int{} // row text → index in recs
		var recs []Record
		for _, r := range rs {
			t := r.Table(name)
			if t == nil {
				continue
			}
			for _, row := range t.Rows {
				k := strings.Join(row.Values, "\x1f")
				if i, dup := seen[k]; dup {
					if recs[i].Year != r.Year {
						rep.add("duplicate-row-removed", 1)
						recs[i] = Record{Year: r.Year, File: t.File, Row: row}
						continue
					}
				}
				seen[k] = len(recs)
				recs = append(recs, Record{Year: r.Year, File: t.File, Row: row})
			}
		}
		if recs != nil {
			other[name] = recs
		}
	}
	if len(other) > 0 {
		h.Tables[council] = other
	}
}

// Positions of the Episodes columns.
var (
	epCHILD, epDECOM, epRNE, epLS, epCIN, epPLACE, epPROVIDER = Col(Episodes, "CHILD"), Col(Episodes, "DECOM"), Col(Episodes, "RNE"), Col(Episodes, "LS"), Col(Episodes, "CIN"), Col(Episodes, "PLACE"), Col(Episodes, "PLACE_PROVIDER")
	epDEC, epREC, epRPC, epHOME, epPLPOST, epURN              = Col(Episodes, "DEC"), Col(Episodes, "REC"), Col(Episodes, "REASON_PLACE_CHANGE"), Col(Episodes, "HOME_POST"), Col(Episodes, "PL_POST"), Col(Episodes, "URN")
)

// episodeFromRow converts an Episodes row into x. It returns the name of
// the rule that leaves the row out, if any.
func episodeFromRow(council string, row Row, x *ep) string {
	if len(row.Values) != len(Columns[Episodes]) {
		return "episode-no-child"
	}
	v := func(i int) string { return row.Values[i] }
	child := v(epCHILD)
	if child == "" {
		return "episode-no-child"
	}
	start, ok := ParseDate(v(epDECOM))
	if !ok {
		return "episode-no-start"
	}
	x.rne = v(epRNE)
	if s := v(epDEC); s != "" {
		x.closed = true
		if end, ok := ParseDate(s); ok {
			if end.Before(start) {
				return "episode-end-before-start"
			}
			x.e.End = end
		}
	}
	x.e.Council = council
	x.e.ChildID = child
	x.e.Start = start
	x.e.ReasonNew = x.rne
	x.e.LegalStatus = v(epLS)
	x.e.CategoryOfNeed = v(epCIN)
	x.e.Placement = care.PlacementType(v(epPLACE))
	x.e.Provider = care.ProviderType(v(epPROVIDER))
	x.e.ReasonEnded = v(epREC)
	x.e.ReasonPlaceChange = v(epRPC)
	x.e.HomePostcode = v(epHOME)
	x.e.PlacementPostcode = v(epPLPOST)
	x.e.URN = v(epURN)
	return ""
}

func yearEnd(year int) time.Time { return care.Date(year, time.March, 31) }

// sameCare reports whether two episodes repeat each other in the fields LIIA
// compares (RULE_3).
func sameCare(a, b *ep) bool {
	return a.rne == b.rne && a.e.LegalStatus == b.e.LegalStatus && a.e.Placement == b.e.Placement &&
		a.e.Provider == b.e.Provider && a.e.PlacementPostcode == b.e.PlacementPostcode && a.e.URN == b.e.URN
}

// stitchChild applies the episode rules to one child's episodes (sorted by
// DECOM, unique DECOMs).
func stitchChild(eps []*ep, latest int, rep *StitchReport) []*ep {
	stale := func(x *ep) bool { return !x.closed && x.year != latest }
	// RULE_3 / RULE_3A: judged on the neighbours as read.
	for i, x := range eps {
		if !stale(x) {
			continue
		}
		prevDup := i > 0 && sameCare(eps[i-1], x)
		nextDup := i+1 < len(eps) && sameCare(eps[i+1], x)
		switch {
		case prevDup || nextDup:
			x.drop = true
			rep.add("open-duplicate", 1)
		case i > 0 && eps[i-1].year > x.year:
			x.drop = true
			rep.add("open-replaced", 1)
		}
	}
	eps = compact(eps)
	// RULE_1 / 1A / 2.
	for i, x := range eps {
		if !stale(x) {
			continue
		}
		ye := yearEnd(x.year)
		switch {
		case i+1 == len(eps):
			x.e.End, x.e.ReasonEnded = maxDate(ye, x.e.Start), ReasonUnknownExit
			x.fix("open-closed-at-year-end", rep)
		case eps[i+1].rne == "S":
			end := eps[i+1].e.Start.AddDate(0, 0, -1)
			if ye.Before(end) {
				end = ye
			}
			x.e.End, x.e.ReasonEnded = maxDate(end, x.e.Start), ReasonUnknownExit
			x.fix("open-closed-before-reentry", rep)
		default:
			x.e.End, x.e.ReasonEnded = eps[i+1].e.Start, "X1"
			x.fix("open-closed-by-next", rep)
		}
		x.closed = true
	}
	// RULE_4 / RULE_5: against an episode from a later return.
	for i := 0; i+1 < len(eps); i++ {
		x, nx := eps[i], eps[i+1]
		if !x.closed || x.e.End.IsZero() || x.year >= nx.year {
			continue
		}
		switch {
		case x.e.End.After(nx.e.Start):
			x.e.End = nx.e.Start
			x.fix("overlap-later-return", rep)
		case x.e.End.Before(nx.e.Start) && x.e.ReasonEnded == "X1":
			x.e.End = nx.e.Start
			x.fix("x1-gap-later-return", rep)
		}
	}
	// Two closed episodes ending the same day: keep the longer (earlier).
	for i, x := range eps {
		if x.e.End.IsZero() {
			continue
		}
		for _, y := range eps[:i] {
			if !y.drop && y.e.End.Equal(x.e.End) {
				x.drop = true
				rep.add("same-end-keep-longer", 1)
				break
			}
		}
	}
	eps = compact(eps)
	// Demand model rule 6: close open episodes that are followed by
	// another, and cut overlaps.
	for i := 0; i+1 < len(eps); i++ {
		x, nx := eps[i], eps[i+1]
		switch {
		case x.e.End.IsZero() && nx.rne == "S":
			x.e.End, x.e.ReasonEnded = maxDate(nx.e.Start.AddDate(0, 0, -1), x.e.Start), ReasonUnknownExit
			x.fix("open-closed-within-return", rep)
		case x.e.End.IsZero():
			x.e.End = nx.e.Start
			if x.e.ReasonEnded == "" {
				x.e.ReasonEnded = "X1"
			}
			x.fix("open-closed-within-return", rep)
		case x.e.End.After(nx.e.Start):
			x.e.End = nx.e.Start
			x.fix("overlap-trimmed", rep)
		}
	}
	return eps
}

func maxDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

func compact(eps []*ep) []*ep {
	out := eps[:0]
	for _, x := range eps {
		if !x.drop {
			out = append(out, x)
		}
	}
	return out
}

// stitchChildren builds the council's children from Header, UASC and the
// stitched episodes. index maps CHILD to its position in the result.
func stitchChildren(council string, rs []*Return, eps []*ep, rep *StitchReport) ([]care.Child, map[string]int) {
	type hdr struct {
		vals    []string // latest non-blank value per Header column
		first   []string // the first return's values, to notice changes
		changed bool
	}
	heads := map[string]*hdr{}
	ncols := len(Columns[Header])
	for _, r := range rs {
		t := r.Table(Header)
		if t == nil {
			continue
		}
		inReturn := map[string]bool{}
		for _, row := range t.Rows {
			id := row.Get(Header, "CHILD")
			if id == "" {
				continue
			}
			h := heads[id]
			if h == nil {
				h = &hdr{vals: make([]string, ncols)}
				heads[id] = h
			}
			if inReturn[id] {
				rep.add("header-duplicate-in-return", 1)
			}
			inReturn[id] = true
			if h.first == nil {
				h.first = row.Values
			} else if !h.changed {
				for i := range h.first {
					if i < len(row.Values) && row.Values[i] != h.first[i] {
						h.changed = true
						break
					}
				}
			}
			for i := 0; i < ncols && i < len(row.Values); i++ {
				if row.Values[i] != "" {
					h.vals[i] = row.Values[i]
				}
			}
		}
	}
	ids := map[string]bool{}
	for id := range heads {
		ids[id] = true
	}
	for _, x := range eps {
		ids[x.e.ChildID] = true
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)

	uasc := map[string]time.Time{}
	for _, r := range rs {
		t := r.Table(UASC)
		if t == nil {
			continue
		}
		for _, row := range t.Rows {
			id := row.Get(UASC, "CHILD")
			if id == "" {
				continue
			}
			d, ok := ParseDate(row.Get(UASC, "DUC"))
			if _, seen := uasc[id]; ok || !seen {
				uasc[id] = d // zero when DUC is blank
			}
		}
	}

	children := make([]care.Child, 0, len(sorted))
	index := make(map[string]int, len(sorted))
	col := func(name string) int { return Col(Header, name) }
	for _, id := range sorted {
		c := care.Child{Council: council, ID: id, Sex: care.Unknown}
		if h := heads[id]; h != nil {
			if h.changed {
				rep.add("header-changed", 1)
			}
			switch sex := h.vals[col("SEX")]; sex {
			case "1":
				c.Sex = care.Male
				rep.add("sex-1-2", 1)
			case "2":
				c.Sex = care.Female
				rep.add("sex-1-2", 1)
			case "M", "F", "U":
				c.Sex = care.Sex(sex)
			default:
				rep.add("sex-unknown", 1)
			}
			if s := h.vals[col("DOB")]; s != "" {
				if d, ok := ParseDate(s); ok {
					c.DOB = d
				} else {
					rep.add("dob-unreadable", 1)
				}
			}
			c.Ethnicity = h.vals[col("ETHNIC")]
			c.UPN = h.vals[col("UPN")]
		} else {
			rep.add("child-without-header", 1)
		}
		if duc, ok := uasc[id]; ok {
			c.UASC = true
			c.UASCEnded = duc
			rep.add("uasc", 1)
		}
		index[id] = len(children)
		children = append(children, c)
	}
	return children, index
}

// attachCosts sets WeeklyCost and Funding from the PlacementCosts table.
func attachCosts(rs []*Return, eps []*ep, rep *StitchReport) {
	type key struct {
		child string
		start time.Time
	}
	var byKey map[key]*ep
	for _, r := range rs {
		if r.Table(PlacementCosts) != nil && byKey == nil {
			byKey = make(map[key]*ep, len(eps))
			for _, x := range eps {
				byKey[key{x.e.ChildID, x.e.Start}] = x
			}
		}
	}
	for _, r := range rs { // ascending years: later returns overwrite
		t := r.Table(PlacementCosts)
		if t == nil {
			continue
		}
		for _, row := range t.Rows {
			start, ok := ParseDate(row.Get(PlacementCosts, "DECOM"))
			x := byKey[key{row.Get(PlacementCosts, "CHILD"), start}]
			if !ok || x == nil {
				rep.add("cost-without-episode", 1)
				continue
			}
			weekly, ok1 := parsePounds(row.Get(PlacementCosts, "WEEKLY_COST"))
			sc, ok2 := parsePounds(row.Get(PlacementCosts, "SOCIAL_CARE"))
			ed, ok3 := parsePounds(row.Get(PlacementCosts, "EDUCATION"))
			he, ok4 := parsePounds(row.Get(PlacementCosts, "HEALTH"))
			if !ok1 || !ok2 || !ok3 || !ok4 {
				rep.add("cost-unreadable", 1)
				continue
			}
			x.e.WeeklyCost = weekly
			x.e.Funding = care.Funding{SocialCare: sc, Education: ed, Health: he}
			rep.add("cost-attached", 1)
		}
	}
}

// parsePounds reads an amount in pounds as written in a spreadsheet: "1234.5",
// "£1,234.50", " 1 234 ". Blank is zero.
func parsePounds(s string) (care.Pence, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '£', ',', ' ', '\u00a0':
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f || f > 1e12 || f < -1e12 {
		return 0, false
	}
	return care.FromPounds(f), true
}

// attachNeeds sets each child's needs profile from the Needs table.
func attachNeeds(rs []*Return, children []care.Child, index map[string]int, rep *StitchReport) {
	for _, r := range rs {
		t := r.Table(Needs)
		if t == nil {
			continue
		}
		for _, row := range t.Rows {
			i, ok := index[row.Get(Needs, "CHILD")]
			if !ok {
				rep.add("needs-without-child", 1)
				continue
			}
			children[i].Needs = needsFromRow(row)
			rep.add("needs-attached", 1)
		}
	}
}

func needsFromRow(row Row) care.NeedsProfile {
	var n care.NeedsProfile
	switch strings.ReplaceAll(row.Get(Needs, "NEEDS_TIER"), " ", "_") {
	case "1", "STANDARD":
		n.Tier = care.TierStandard
	case "2", "ENHANCED":
		n.Tier = care.TierEnhanced
	case "3", "COMPLEX":
		n.Tier = care.TierComplex
	case "4", "HIGHLY_COMPLEX", "HIGHLY":
		n.Tier = care.TierHighly
	}
	for _, part := range strings.FieldsFunc(row.Get(Needs, "RISKS"), func(r rune) bool { return r == ';' || r == ',' }) {
		part = strings.TrimSpace(part)
		for _, r := range care.Risks {
			if string(r) == part {
				n.Risks = append(n.Risks, r)
			}
		}
	}
	n.Disability = yes(row.Get(Needs, "DISABILITY"))
	n.MentalHealth = yes(row.Get(Needs, "MENTAL_HEALTH"))
	n.SoloRecommended = yes(row.Get(Needs, "SOLO"))
	n.DeprivationOfLiberty = yes(row.Get(Needs, "DOLO"))
	return n
}

func yes(s string) bool {
	switch s {
	case "Y", "YES", "1", "TRUE":
		return true
	}
	return false
}

// MergeRedundant merges, for analysis, episodes that change only the legal
// status or the placement with the same carer into the episode before them:
// an episode with RNE L (legal status only), T (placement, same carer) or U
// (legal status and placement, same carer) that starts the day the previous
// episode of the same child ends. The merged episode keeps the first
// episode's start, legal status and placement and takes DEC, REC and
// REASON_PLACE_CHANGE from the last episode of the run (as the regional
// demand model does). eps must be sorted by council, child and start, as
// History.Episodes is; the input is not modified. It returns the merged
// episodes and how many episodes were merged away.
func MergeRedundant(eps []care.Episode) ([]care.Episode, int) {
	out := make([]care.Episode, 0, len(eps))
	merged := 0
	for _, e := range eps {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.Council == e.Council && last.ChildID == e.ChildID && !last.End.IsZero() && last.End.Equal(e.Start) {
				switch e.ReasonNew {
				case "L", "T", "U":
					last.End = e.End
					last.ReasonEnded = e.ReasonEnded
					last.ReasonPlaceChange = e.ReasonPlaceChange
					merged++
					continue
				}
			}
		}
		out = append(out, e)
	}
	return out, merged
}
