// Package scenario applies dated levers — Prevent (fewer entries, more safe
// exits), Supply (foster carers recruited, homes opened, block contracts)
// and Better utilise (step-downs) — to the child-level forecast, and reports
// each year's outcomes beside the baseline with P10–P90 intervals: children
// in care by placement group, places needed and available, the share placed
// more than 20 miles from home, spend, capital, net saving and payback.
//
// Levers that change what happens to children (entry_rate, exit_rate,
// step_down, recruit_foster, uasc_arrivals) become forecast.Levers: the
// simulation draws entries, exits and moves from the changed hazards, so
// everything downstream follows from the model. Levers that change what a
// place costs or where it is (open_home, block_contract, price_inflation)
// act on each simulation's projected stocks. See docs/METHOD.md.
package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sufficiency/care"
)

// Scenario is a scenario file as given.
type Scenario struct {
	Name  string `json:"name"`
	Scope Scope  `json:"scope"`
	// From is the forecast origin (YYYY-MM-DD): the children in care at the
	// end of that day are carried forward. Empty: the end of the last
	// collection year the returns cover (31 March).
	From string `json:"from,omitempty"`
	// Years is the horizon, 1–5 (default 5).
	Years int `json:"years,omitempty"`
	// Seed makes the result reproducible (default 1).
	Seed *uint64 `json:"seed,omitempty"`
	// Sims is the number of simulations (default 1000).
	Sims   int     `json:"sims,omitempty"`
	Levers []Lever `json:"levers"`
}

// Scope names the council or region the scenario is for.
type Scope struct {
	LA     string `json:"la,omitempty"`
	Region string `json:"region,omitempty"`
}

// Lever is one dated change. Which fields apply depends on Lever (the kind);
// see Kinds.
type Lever struct {
	Lever string `json:"lever"`
	// LA, in a regional scenario, applies the lever to one council only
	// (default: every council, quantities shared by children in care).
	LA         string `json:"la,omitempty"`
	Start      string `json:"start,omitempty"` // first day it acts (default: the day after the origin)
	End        string `json:"end,omitempty"`   // last day it acts (default: the end of the projection)
	RampMonths int    `json:"ramp_months,omitempty"`

	Ages   []int    `json:"ages,omitempty"`   // entry_rate, uasc_arrivals: [youngest, oldest] year of age
	Change *float64 `json:"change,omitempty"` // entry_rate, exit_rate: relative change, −0.2 = 20% fewer
	To     string   `json:"to,omitempty"`     // exit_rate: exit reason; step_down: placement group
	From   string   `json:"from,omitempty"`   // step_down: placement group

	HouseholdsPerYear    float64  `json:"households_per_year,omitempty"`    // recruit_foster
	Attrition            *float64 `json:"attrition,omitempty"`              // recruit_foster: share of households lost a year
	ChildrenPerHousehold float64  `json:"children_per_household,omitempty"` // recruit_foster (default 1)
	CostPerHousehold     float64  `json:"cost_per_household,omitempty"`     // recruit_foster: one-off recruitment and assessment, pounds

	PostcodeDistrict string  `json:"postcode_district,omitempty"` // open_home
	Places           int     `json:"places,omitempty"`            // open_home, block_contract
	WeeklyCost       float64 `json:"weekly_cost,omitempty"`       // open_home: running cost per place per week, pounds
	Capital          float64 `json:"capital,omitempty"`           // open_home: capital, pounds, spent at the start

	PlacementGroup string   `json:"placement_group,omitempty"` // block_contract, price_inflation, open_home
	WeeklyPrice    float64  `json:"weekly_price,omitempty"`    // block_contract: price per place per week, pounds
	Annual         *float64 `json:"annual,omitempty"`          // price_inflation: yearly rise, 0.06 = 6%

	Share        *float64 `json:"share,omitempty"`         // step_down: share stepped down within within_months; in_area: share of far placements made in the area
	WithinMonths int      `json:"within_months,omitempty"` // step_down

	PerYear    float64 `json:"per_year,omitempty"`    // uasc_arrivals: children a year
	AnnualCost float64 `json:"annual_cost,omitempty"` // running cost of the programme behind the lever, pounds a year
}

// common are the fields every lever may have.
var common = []string{"lever", "la", "start", "end", "ramp_months", "annual_cost", "note"}

// Kinds lists each lever kind with the fields it takes (besides the common
// ones: lever, la, start, end, ramp_months, annual_cost, note) and those it
// needs.
var Kinds = map[string]struct{ Fields, Required []string }{
	"entry_rate":      {[]string{"ages", "change"}, []string{"change"}},
	"exit_rate":       {[]string{"to", "change"}, []string{"to", "change"}},
	"recruit_foster":  {[]string{"households_per_year", "attrition", "children_per_household", "cost_per_household"}, []string{"households_per_year"}},
	"open_home":       {[]string{"postcode_district", "places", "weekly_cost", "capital", "placement_group"}, []string{"postcode_district", "places", "weekly_cost"}},
	"block_contract":  {[]string{"placement_group", "places", "weekly_price"}, []string{"placement_group", "places", "weekly_price"}},
	"step_down":       {[]string{"from", "to", "share", "within_months"}, []string{"from", "to", "share", "within_months"}},
	"price_inflation": {[]string{"placement_group", "annual"}, []string{"placement_group", "annual"}},
	"uasc_arrivals":   {[]string{"per_year", "ages"}, []string{"per_year"}},
	"in_area":         {[]string{"placement_group", "share"}, []string{"share"}},
}

var topFields = []string{"name", "scope", "from", "years", "seed", "sims", "levers", "note", "description"}

// Parse reads a scenario file, JSON or YAML. Unknown fields are errors
// naming the field's path (e.g. levers[2].households): a misspelt lever
// must not be ignored silently. name labels the file in messages; a name
// ending .yaml or .yml, or text not starting with "{", is read as YAML
// (see ParseYAML), so any JSON scenario is also a YAML one.
func Parse(b []byte, name string) (*Scenario, error) {
	if isYAML(b, name) {
		return ParseYAML(b, name)
	}
	return parse(b, name, "JSON", func(err error) string { return jsonWhere(b, err, func(off int64) int { return lineOf(b, off) }) })
}

// ParseYAML reads a scenario file written in YAML (the subset of YAML 1.2
// described in yaml.go); errors give the YAML line.
func ParseYAML(b []byte, name string) (*Scenario, error) {
	js, lines, err := yamlToJSON(b)
	if err != nil {
		return nil, care.Errorf(care.EINVALID, "%s: %v", name, err)
	}
	return parse(js, name, "YAML", func(err error) string {
		return jsonWhere(js, err, func(off int64) int { return yamlLineAt(lines, off) })
	})
}

// isYAML: the name ends .yaml or .yml, or the text does not start with "{".
func isYAML(b []byte, name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" {
		return true
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(t) > 0 && t[0] != '{'
}

// parse reads the JSON form of a scenario file; where words a decoding
// error with its place in the file as given (form: JSON or YAML).
func parse(b []byte, name, form string, where func(error) string) (*Scenario, error) {
	fail := func(format string, a ...any) error {
		return care.Errorf(care.EINVALID, "%s: "+format, append([]any{name}, a...)...)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		if form == "YAML" {
			return nil, fail("not a scenario: give name, scope and levers as keys (name: ..., scope: ..., levers: ...)")
		}
		return nil, fail("not a JSON object: %s", where(err))
	}
	if err := known("", raw, topFields); err != nil {
		return nil, fail("%v", err)
	}
	if s, ok := raw["scope"]; ok {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(s, &m); err != nil {
			return nil, fail("scope: give an object such as {\"la\": \"E08000037\"} or {\"region\": \"North East\"}")
		}
		if err := known("scope.", m, []string{"la", "region"}); err != nil {
			return nil, fail("%v", err)
		}
	}
	if l, ok := raw["levers"]; ok {
		var ls []map[string]json.RawMessage
		if err := json.Unmarshal(l, &ls); err != nil {
			return nil, fail("levers: give a list of lever objects")
		}
		for i, m := range ls {
			path := fmt.Sprintf("levers[%d].", i)
			var kind string
			if err := json.Unmarshal(m["lever"], &kind); err != nil || kind == "" {
				return nil, fail("%slever: every lever needs a kind, one of %s", path, strings.Join(kindNames(), ", "))
			}
			k, ok := Kinds[kind]
			if !ok {
				return nil, fail("%slever: unknown lever %q; use one of %s", path, kind, strings.Join(kindNames(), ", "))
			}
			if err := known(path, m, append(append([]string{}, common...), k.Fields...)); err != nil {
				return nil, fail("%v (lever %s takes %s)", err, kind, strings.Join(append(append([]string{}, common...), k.Fields...), ", "))
			}
			for _, f := range k.Required {
				if _, ok := m[f]; !ok {
					return nil, fail("%s%s: lever %s needs %s", path, f, kind, f)
				}
			}
		}
	}
	var sc Scenario
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&sc); err != nil {
		return nil, fail("%s", where(err))
	}
	if err := sc.Check(); err != nil {
		return nil, fail("%v", err)
	}
	return &sc, nil
}

// known reports the first field of m not in allowed, with its path.
func known(path string, m map[string]json.RawMessage, allowed []string) error {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			return fmt.Errorf("%s%s: unknown field; known fields here are %s", path, k, strings.Join(allowed, ", "))
		}
	}
	return nil
}

func kindNames() []string {
	var out []string
	for k := range Kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// jsonWhere words a JSON decoding error with the line (lineAt gives the
// line of an offset of b) and, for a syntax error, the column.
func jsonWhere(b []byte, err error, lineAt func(int64) int) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("%v (line %d, column %d)", err, lineAt(e.Offset), colOf(b, e.Offset))
	case *json.UnmarshalTypeError:
		if e.Field != "" {
			return fmt.Sprintf("%s: expected %s, got %s (line %d)", e.Field, e.Type, e.Value, lineAt(e.Offset))
		}
		return fmt.Sprintf("%v (line %d)", err, lineAt(e.Offset))
	}
	return err.Error()
}

func lineOf(b []byte, off int64) int {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}

func colOf(b []byte, off int64) int {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	return int(off) - bytes.LastIndexByte(b[:off], '\n')
}

// Check tests the values of a scenario that do not need the data: kinds,
// dates, ranges. Errors name the field's path.
func (sc *Scenario) Check() error {
	if strings.TrimSpace(sc.Name) == "" {
		return fmt.Errorf("name: give the scenario a name")
	}
	if sc.Scope.LA != "" && sc.Scope.Region != "" {
		return fmt.Errorf("scope: give la or region, not both")
	}
	if sc.Scope.LA == "" && sc.Scope.Region == "" {
		return fmt.Errorf("scope: give {\"la\": CODE} or {\"region\": NAME}")
	}
	if sc.From != "" {
		if _, err := date(sc.From); err != nil {
			return fmt.Errorf("from: %v", err)
		}
	}
	if sc.Years == 0 {
		sc.Years = 5
	}
	if sc.Years < 1 || sc.Years > 5 {
		return fmt.Errorf("years: %d; the child-level projection runs 1 to 5 years", sc.Years)
	}
	if sc.Sims == 0 {
		sc.Sims = 1000
	}
	if sc.Sims < 10 || sc.Sims > 100000 {
		return fmt.Errorf("sims: %d; give 10 to 100000 (1000 is usual)", sc.Sims)
	}
	if sc.Seed == nil {
		one := uint64(1)
		sc.Seed = &one
	}
	for i := range sc.Levers {
		if err := sc.Levers[i].check(); err != nil {
			return fmt.Errorf("levers[%d].%v", i, err)
		}
	}
	return nil
}

func (l *Lever) check() error {
	if _, ok := Kinds[l.Lever]; !ok {
		return fmt.Errorf("lever: unknown lever %q; use one of %s", l.Lever, strings.Join(kindNames(), ", "))
	}
	for _, d := range []struct{ f, v string }{{"start", l.Start}, {"end", l.End}} {
		if d.v != "" {
			if _, err := date(d.v); err != nil {
				return fmt.Errorf("%s: %v", d.f, err)
			}
		}
	}
	if l.Start != "" && l.End != "" && l.End < l.Start {
		return fmt.Errorf("end: %s is before start %s", l.End, l.Start)
	}
	if l.RampMonths < 0 || l.RampMonths > 60 {
		return fmt.Errorf("ramp_months: %d; give 0 to 60", l.RampMonths)
	}
	if l.AnnualCost < 0 || math.IsNaN(l.AnnualCost) {
		return fmt.Errorf("annual_cost: %v; give pounds a year, 0 or more", l.AnnualCost)
	}
	ages := func() error {
		if l.Ages == nil {
			return nil
		}
		if len(l.Ages) != 2 || l.Ages[0] < 0 || l.Ages[1] > 17 || l.Ages[0] > l.Ages[1] {
			return fmt.Errorf("ages: %v; give [youngest, oldest] years of age within 0–17, e.g. [10, 15]", l.Ages)
		}
		return nil
	}
	for _, f := range Kinds[l.Lever].Required {
		missing := false
		switch f {
		case "change":
			missing = l.Change == nil
		case "share":
			missing = l.Share == nil
		case "annual":
			missing = l.Annual == nil
		}
		if missing {
			return fmt.Errorf("%s: lever %s needs %s", f, l.Lever, f)
		}
	}
	switch l.Lever {
	case "entry_rate", "exit_rate":
		if err := ages(); err != nil {
			return err
		}
		if c := *l.Change; !(c >= -1 && c <= 5) {
			return fmt.Errorf("change: %v; give a relative change from −1 (none) to 5 (six times), e.g. −0.2 for 20%% fewer", c)
		}
		if l.Lever == "exit_rate" {
			if exitIndex(l.To) < 0 {
				return fmt.Errorf("to: %q; give an exit reason: home, adoption, sgo, independence or other", l.To)
			}
		}
	case "recruit_foster":
		if !(l.HouseholdsPerYear > 0 && l.HouseholdsPerYear <= 1000) {
			return fmt.Errorf("households_per_year: %v; give more than 0 and at most 1000", l.HouseholdsPerYear)
		}
		if l.Attrition != nil && !(*l.Attrition >= 0 && *l.Attrition < 1) {
			return fmt.Errorf("attrition: %v; give the share of households lost a year, 0 to below 1", *l.Attrition)
		}
		if l.ChildrenPerHousehold < 0 || l.ChildrenPerHousehold > 6 {
			return fmt.Errorf("children_per_household: %v; give 0 (default 1) to 6", l.ChildrenPerHousehold)
		}
		if l.CostPerHousehold < 0 {
			return fmt.Errorf("cost_per_household: %v; give pounds, 0 or more", l.CostPerHousehold)
		}
	case "open_home":
		if _, err := districtOf(l.PostcodeDistrict); err != nil {
			return fmt.Errorf("postcode_district: %v", err)
		}
		if l.Places < 1 || l.Places > 100 {
			return fmt.Errorf("places: %d; give 1 to 100", l.Places)
		}
		if !(l.WeeklyCost > 0 && l.WeeklyCost < 100000) || l.Capital < 0 {
			return fmt.Errorf("weekly_cost: give the running cost per place per week in pounds (e.g. 4500) and capital of 0 or more")
		}
		if l.PlacementGroup != "" {
			if _, err := groupsOf(l.PlacementGroup); err != nil {
				return fmt.Errorf("placement_group: %v", err)
			}
		}
	case "block_contract":
		if _, err := groupsOf(l.PlacementGroup); err != nil {
			return fmt.Errorf("placement_group: %v", err)
		}
		if l.Places < 1 || l.Places > 1000 {
			return fmt.Errorf("places: %d; give 1 to 1000", l.Places)
		}
		if !(l.WeeklyPrice > 0 && l.WeeklyPrice < 100000) {
			return fmt.Errorf("weekly_price: %v; give the price per place per week in pounds", l.WeeklyPrice)
		}
	case "step_down":
		if _, err := groupsOf(l.From); err != nil {
			return fmt.Errorf("from: %v", err)
		}
		if _, err := groupsOf(l.To); err != nil {
			return fmt.Errorf("to: %v", err)
		}
		if !(*l.Share > 0 && *l.Share < 1) {
			return fmt.Errorf("share: %v; give the share stepped down, above 0 and below 1", *l.Share)
		}
		if l.WithinMonths < 1 || l.WithinMonths > 60 {
			return fmt.Errorf("within_months: %d; give 1 to 60", l.WithinMonths)
		}
	case "price_inflation":
		if _, err := groupsOf(l.PlacementGroup); err != nil {
			return fmt.Errorf("placement_group: %v", err)
		}
		if a := *l.Annual; !(a > -0.5 && a < 1) {
			return fmt.Errorf("annual: %v; give a yearly rise such as 0.06 for 6%%", a)
		}
	case "in_area":
		if l.PlacementGroup != "" {
			if _, err := groupsOf(l.PlacementGroup); err != nil {
				return fmt.Errorf("placement_group: %v", err)
			}
		}
		if !(*l.Share > 0 && *l.Share <= 1) {
			return fmt.Errorf("share: %v; give the share of far placements made in the area instead, above 0 and at most 1", *l.Share)
		}
	case "uasc_arrivals":
		if err := ages(); err != nil {
			return err
		}
		if !(l.PerYear > 0 && l.PerYear <= 5000) {
			return fmt.Errorf("per_year: %v; give the children arriving a year, above 0", l.PerYear)
		}
	}
	return nil
}

// date parses a civil date.
func date(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date; give YYYY-MM-DD, e.g. 2025-04-01", s)
	}
	return d, nil
}

// exitIndex is the index of an exit reason in forecast.ExitReasons, or −1.
func exitIndex(s string) int {
	for i, r := range []string{"home", "adoption", "sgo", "independence", "other"} {
		if strings.EqualFold(strings.TrimSpace(s), r) {
			return i
		}
	}
	return -1
}

// groupAliases are the plain names a scenario may use for the forecast's
// placement groups (care.ForecastGroups also work).
var groupAliases = map[string][]care.ForecastGroup{
	"residential":    {care.ForecastChildrensHome},
	"childrens_home": {care.ForecastChildrensHome},
	"fostering":      {care.ForecastFosterInHouse, care.ForecastFosterAgency},
	"foster":         {care.ForecastFosterInHouse, care.ForecastFosterAgency},
	"kinship":        {care.ForecastFosterRelative},
	"supported":      {care.ForecastSupported},
	"secure":         {care.ForecastSecureOther},
}

// groupsOf maps a group name to the forecast groups it stands for.
func groupsOf(s string) ([]care.ForecastGroup, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if g, ok := groupAliases[s]; ok {
		return g, nil
	}
	for _, g := range care.ForecastGroups {
		if string(g) == s {
			return []care.ForecastGroup{g}, nil
		}
	}
	names := []string{"residential", "fostering", "kinship", "supported", "secure"}
	for _, g := range care.ForecastGroups {
		names = append(names, string(g))
	}
	return nil, fmt.Errorf("unknown placement group %q; use one of %s", s, strings.Join(names, ", "))
}

// districtOf checks a postcode district (e.g. NE8) and returns it in upper
// case.
func districtOf(s string) (string, error) {
	d := strings.ToUpper(strings.TrimSpace(s))
	ok := len(d) >= 2 && len(d) <= 4 && d[0] >= 'A' && d[0] <= 'Z'
	digit := false
	for i := 0; i < len(d); i++ {
		c := d[i]
		ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		digit = digit || (c >= '0' && c <= '9')
	}
	if !ok || !digit {
		return "", fmt.Errorf("%q is not a postcode district; give the outward code, e.g. NE8", s)
	}
	return d, nil
}
