package refdata

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
)

// The nine English regions as the ONS writes them, in ONS code order
// (E12000001 … E12000009).
var regions = []string{
	"North East", "North West", "Yorkshire and The Humber", "East Midlands",
	"West Midlands", "East of England", "London", "South East", "South West",
}

// Council is one of the 153 English children's services councils (upper-tier
// local authorities with social care responsibilities), as at 2025.
type Council struct {
	Code      string // ONS code, e.g. "E08000003"
	DfECode   string // DfE 3-digit LA code, e.g. "352"
	Name      string // e.g. "Manchester"
	Type      string // "County council", "London borough", "Metropolitan district" or "Unitary authority"
	Region    string // one of Regions(), e.g. "North West"
	DfERegion string // the DfE's region name: as Region, except London is "Inner London" or "Outer London"

	// Centroid: the mean position of the council's postcodes (ONS Postcode
	// Directory), roughly population-weighted; not the geometric centre.
	// Easting and Northing are the postcode-weighted mean of the council's
	// postcode sector centroids (computed by refdata/internal/mkdata).
	Lat, Lon          float64 // WGS84
	Easting, Northing float64 // OSGB36 National Grid metres

	LandAreaHectares float64
	Pop0to17         int // children aged 0–17, ONS mid-2024 estimate

	// StatNeighbours are the DfE 2025 statistical neighbours (ONS codes),
	// nearest first (at most ten).
	StatNeighbours []string

	OfstedJudgement   care.Rating // ILACS overall effectiveness at 31 March 2025
	OfstedChildInCare care.Rating // ILACS judgement "experiences and progress of children in care"
	OfstedInspected   time.Time   // date of that inspection
}

type councilIndex struct {
	list   []Council
	byKey  map[string]int // ONS code, DfE code and lower-cased name → index
	region map[string][]int
}

var councilOnce struct {
	sync.Once
	idx *councilIndex
}

func councils() *councilIndex {
	councilOnce.Do(func() { councilOnce.idx = loadCouncils() })
	return councilOnce.idx
}

// Councils returns the 153 councils, sorted by ONS code. The result is a fresh
// copy (neighbour lists included) that the caller may change.
func Councils() []Council {
	idx := councils()
	out := make([]Council, len(idx.list))
	for i, c := range idx.list {
		out[i] = c.clone()
	}
	return out
}

func (c Council) clone() Council {
	c.StatNeighbours = append([]string(nil), c.StatNeighbours...)
	return c
}

// CouncilByCode finds a council by ONS code ("E08000003"), DfE 3-digit code
// ("352") or name ("Manchester"), ignoring case, extra spaces, full stops and
// "&" for "and". Names the ONS writes as "Bristol, City of" are also found as
// "Bristol" and "City of Bristol"; "BCP" and "Hull" are accepted. It reports
// false when nothing matches.
func CouncilByCode(s string) (Council, bool) {
	idx := councils()
	i, ok := idx.byKey[s] // fast path: a code or lower-case name exactly as stored
	if !ok {
		i, ok = idx.byKey[councilKey(s)]
	}
	if !ok {
		return Council{}, false
	}
	return idx.list[i].clone(), true
}

// CouncilName is the name of the council s names (as CouncilByCode finds
// it), or "" when no council matches.
func CouncilName(s string) string {
	idx := councils()
	i, ok := idx.byKey[s]
	if !ok {
		i, ok = idx.byKey[councilKey(s)]
	}
	if !ok {
		return ""
	}
	return idx.list[i].Name
}

// LookupCouncil is CouncilByCode returning an error: ENOTFOUND naming the
// input and saying which forms are accepted.
func LookupCouncil(s string) (Council, error) {
	c, ok := CouncilByCode(s)
	if !ok {
		return Council{}, care.Errorf(care.ENOTFOUND,
			"no English children's services council has the code or name %q: give an ONS code (e.g. E08000003), a DfE 3-digit code (e.g. 352) or the council's name (e.g. Manchester)", strings.TrimSpace(s))
	}
	return c, nil
}

// CouncilCode is the ONS code of the council s names, as LookupCouncil finds
// it: ENOTFOUND naming the input otherwise.
func CouncilCode(s string) (string, error) {
	c, err := LookupCouncil(s)
	return c.Code, err
}

// NormaliseCouncil is the one normaliser of a council code as given (a
// flag, a URL path, the LA column of a return): the ONS code of a council
// in the register (any of its codes or its name, any case and spacing:
// "Barnet", " 302", "e09000003" are all E09000003); otherwise, for a
// council the register does not know (an old code such as Northamptonshire's
// E10000021, a test code), the input trimmed, upper-cased when it looks like
// an ONS code ("e10000021" → "E10000021"). "" stays "".
func NormaliseCouncil(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if c, ok := CouncilByCode(s); ok && c.Code != "" {
		return c.Code
	}
	if IsONSCode(s) {
		return strings.ToUpper(s)
	}
	return s
}

// IsONSCode reports whether s looks like a GSS/ONS area code: E, W, S or N
// (either case) and eight digits.
func IsONSCode(s string) bool {
	if len(s) != 9 || !strings.ContainsRune("EWSNewsn", rune(s[0])) {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// councilKey normalises a name for lookup: lower case, single spaces, "&" as
// "and", no full stops ("St. Helens" = "st helens").
func councilKey(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), "&", " and ")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// nameAliases are other names councils are commonly given (keys as
// councilKey makes them).
var nameAliases = map[string]string{
	"bcp":  "E06000058",
	"hull": "E06000010",
}

// Regions returns the nine English regions as the ONS writes them, in ONS code
// order.
func Regions() []string { return append([]string(nil), regions...) }

// CanonicalRegion returns the ONS spelling of a region name given in any case
// (e.g. "yorkshire and the humber" → "Yorkshire and The Humber"). It also
// accepts the DfE's "Inner London" and "Outer London" as "London".
func CanonicalRegion(name string) (string, bool) {
	k := councilKey(name)
	for _, r := range regions {
		if strings.ToLower(r) == k {
			return r, true
		}
	}
	if k == "inner london" || k == "outer london" {
		return "London", true
	}
	return "", false
}

// CouncilsInRegion returns the councils of one English region (name in any
// case), sorted by ONS code. An unknown name gives ENOTFOUND listing the valid
// names.
func CouncilsInRegion(name string) ([]Council, error) {
	r, ok := CanonicalRegion(name)
	if !ok {
		return nil, care.Errorf(care.ENOTFOUND,
			"%q is not an English region: use one of %s", strings.TrimSpace(name), quoteList(regions))
	}
	idx := councils()
	out := make([]Council, 0, len(idx.region[r]))
	for _, i := range idx.region[r] {
		out = append(out, idx.list[i].clone())
	}
	return out, nil
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}

// ParseRating normalises an Ofsted judgement as written in the published files
// ("Requires improvement to be good", "Good", …) to a care.Rating. Unknown or
// blank text gives care.RatingNone and false.
func ParseRating(s string) (care.Rating, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "outstanding":
		return care.RatingOutstanding, true
	case "good":
		return care.RatingGood, true
	case "requires improvement to be good", "requires improvement":
		return care.RatingRI, true
	case "inadequate":
		return care.RatingInadequate, true
	}
	return care.RatingNone, false
}

func loadCouncils() *councilIndex {
	t := mustTable("england_childrens_services_las.csv", "la_code", "la_name", "dfe_la_code", "region_9", "centroid_easting", "centroid_northing")
	idx := &councilIndex{byKey: map[string]int{}, region: map[string][]int{}}
	for _, r := range t.rows {
		c := Council{
			Code:      t.get(r, "la_code"),
			DfECode:   t.get(r, "dfe_la_code"),
			Name:      t.get(r, "la_name"),
			Type:      t.get(r, "la_type"),
			Region:    t.get(r, "region_9"),
			DfERegion: t.get(r, "region_name"),
		}
		c.Lat, _ = atof(t.get(r, "centroid_lat"))
		c.Lon, _ = atof(t.get(r, "centroid_lon"))
		c.Easting, _ = atof(t.get(r, "centroid_easting"))
		c.Northing, _ = atof(t.get(r, "centroid_northing"))
		c.LandAreaHectares, _ = atof(t.get(r, "land_area_hectares"))
		c.Pop0to17, _ = atoi(t.get(r, "pop_0_17_mye_2024"))
		c.OfstedJudgement, _ = ParseRating(t.get(r, "ilacs_overall_effectiveness"))
		c.OfstedChildInCare, _ = ParseRating(t.get(r, "ilacs_children_in_care"))
		if d, err := time.Parse("2006-01-02", t.get(r, "ilacs_inspection_date")); err == nil {
			c.OfstedInspected = d
		}
		idx.list = append(idx.list, c)
	}
	sort.Slice(idx.list, func(i, j int) bool { return idx.list[i].Code < idx.list[j].Code })
	byDfE := map[string]string{}
	byCode := map[string]int{}
	for i, c := range idx.list {
		byCode[c.Code] = i
	}
	for alias, code := range nameAliases {
		idx.byKey[alias] = byCode[code]
	}
	for i, c := range idx.list {
		idx.byKey[c.Code] = i
		idx.byKey[councilKey(c.Code)] = i
		idx.byKey[councilKey(c.DfECode)] = i
		idx.byKey[councilKey(c.Name)] = i
		// "Bristol, City of" is also "Bristol" and "City of Bristol".
		for _, suffix := range []string{", City of", ", County of"} {
			if base, ok := strings.CutSuffix(c.Name, suffix); ok {
				idx.byKey[councilKey(base)] = i
				idx.byKey[councilKey(suffix[2:]+" "+base)] = i
			}
		}
		idx.region[c.Region] = append(idx.region[c.Region], i)
		byDfE[c.DfECode] = c.Code
	}
	// Statistical neighbours are published with DfE codes; keep ONS codes.
	sn := mustTable("dfe_statistical_neighbours_2025.csv", "old_la_code", "SN_1")
	for _, r := range sn.rows {
		i, ok := idx.byKey[councilKey(sn.get(r, "old_la_code"))]
		if !ok {
			continue
		}
		var ns []string
		for k := 1; k <= 10; k++ {
			if code, ok := byDfE[sn.get(r, "SN_"+strconv.Itoa(k))]; ok {
				ns = append(ns, code)
			}
		}
		idx.list[i].StatNeighbours = ns
	}
	return idx
}
