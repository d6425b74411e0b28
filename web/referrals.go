package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/workflow"
)

// The placements workflow in the browser and the API, for the council's
// placement officer: a referral form saved as a draft, the ranked matches
// with their explanations and every exclusion with its reason, sending to a
// shortlist, the offers as they arrive, accepting one (the store reserves the
// place atomically) or withdrawing. Every act is decided by auth.Permit, as
// in the CLI.

// placementStore is what the placement pages need of the store: the supply,
// the offers workflow, drafts and vacancy updates. store/sqlite and
// store/postgres implement it.
type placementStore interface {
	store.Store
	workflow.Store
	workflow.DraftStore
	workflow.CaseLister
	workflow.VacancyStore
}

// placements serves the referral, provider and allocation pages and API.
type placements struct {
	st     placementStore // nil when the store does not keep the workflow
	render renderFunc
	now    func() time.Time

	// The match index of the stored supply, built once and shared by
	// concurrent searches (match.Index is read-only). It is kept while the
	// store's shared data version (store.Versioned: raised by every import
	// and every change of provisions or vacancies, by this server or any
	// other on the database) is the one it was built at, and dropped at once
	// after a change made here (a vacancy, an acceptance, a withdrawal). A
	// store without a data version has it rebuilt after indexTTL. The
	// provisions it was built from are kept while the analyses' part of the
	// version stands, so that a change of vacancies alone (many an hour)
	// reads only the vacancies again.
	mu        sync.Mutex
	ix        *match.Index
	ixBuilt   time.Time
	ixVersion int64
	provs     []care.Provision
	provsAt   int64 // the analyses' version provs were read at
}

// indexTTL is how long a built match index is used when the store keeps no
// data version.
const indexTTL = 30 * time.Second

// invalidate drops the cached index after a change of vacancies.
func (p *placements) invalidate() {
	p.mu.Lock()
	p.ix = nil
	p.mu.Unlock()
}

func (s *Server) placements() *placements {
	st, _ := s.cfg.Store.(placementStore)
	return &placements{st: st, render: s.render, now: s.cfg.Now}
}

// store returns the workflow store, EUNUSABLE when the database keeps none.
func (p *placements) store() (placementStore, error) {
	if p.st == nil {
		return nil, care.Errorf(care.EUNUSABLE, "this database does not keep the placements workflow")
	}
	return p.st, nil
}

// index returns the match index of the stored supply (see placements.ix).
func (p *placements) index(ctx context.Context) (*match.Index, error) {
	st, err := p.store()
	if err != nil {
		return nil, err
	}
	var v store.Versions
	vs, versioned := st.(store.Versioned)
	if versioned {
		// Read before building, so that a change committed while the
		// index is built makes the next request build it again.
		if v, err = versions(ctx, vs); err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.ix != nil && (versioned && p.ixVersion == v.Data() || !versioned && now.Sub(p.ixBuilt) < indexTTL) {
		return p.ix, nil
	}
	provs := p.provs
	if !versioned || provs == nil || p.provsAt != v.Analysis {
		if provs, err = st.Provisions(ctx, store.ProvisionFilter{}); err != nil {
			return nil, err
		}
		p.provs, p.provsAt = nil, 0
		if versioned {
			p.provs, p.provsAt = provs, v.Analysis
		}
	}
	ix, err := buildIndex(ctx, st, provs)
	if err != nil {
		return nil, err
	}
	p.ix, p.ixBuilt, p.ixVersion = ix, now, v.Data()
	return ix, nil
}

// buildIndex builds the match index of the stored supply's provisions
// (read by the caller; not changed) and its vacancies.
func buildIndex(ctx context.Context, st placementStore, provs []care.Provision) (*match.Index, error) {
	if len(provs) == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "no supply is loaded: an administrator loads it with \"sufficiency import-supply DIR\"")
	}
	vacs, err := st.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		return nil, err
	}
	return match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
}

// placementNav is the navigation of the placement pages for u.
func placementNav(u identity.User) []navItem {
	switch u.Role {
	case identity.RoleCouncil:
		return []navItem{{Href: "/referrals", Text: "Referrals"}, {Href: "/councils/" + u.Council + "/outcomes", Text: "Referral outcomes"}}
	case identity.RoleRCC:
		return []navItem{{Href: "/referrals", Text: "Referrals"}, {Href: "/regions/" + u.Region + "/allocations", Text: "Allocation"},
			{Href: "/regions/" + u.Region + "/outcomes", Text: "Referral outcomes"}}
	case identity.RoleProvider:
		return []navItem{{Href: "/provider", Text: "Homes and referrals"}}
	case identity.RoleAdmin:
		return []navItem{{Href: "/admin/users", Text: "Users"}}
	}
	return nil
}

// fieldError is a form field's message: Field is the input's id.
type fieldError struct {
	Field, Message string
}

// formErrors is a form's messages, in the order of the form.
type formErrors []fieldError

// For returns the message of field id ("" when none).
func (fe formErrors) For(id string) string {
	for _, e := range fe {
		if e.Field == id {
			return e.Message
		}
	}
	return ""
}

// referralForm is the referral form's values, as typed.
type referralForm struct {
	LocalID, ChildID, Sex, DOB, NeededBy, StartDate string
	Foster, Residential, Supported                  string
	SiblingCount, HomePostcode, SchoolPostcode      string
	KeepSchool                                      bool
	Companions, Pets, NeedsTier                     string
	NeedCodes, RisksToChild, RisksToOthers          []string
	Emergency                                       bool
}

// option is a choice of a select, radios or checkboxes.
type option struct{ Value, Text string }

// The choices of the referral form, with the Placements Data Standard's words.
var (
	sexOptions         = []option{{"F", "Female"}, {"M", "Male"}, {"U", "Not known"}}
	urgencyOptions     = []option{{"today", "Today"}, {"under_5_days", "In less than 5 days"}, {"later", "In more than 5 days"}}
	suitabilityOptions = []option{{"preferred", "Preferred"}, {"suitable", "Suitable but not preferred"}, {"unsuitable", "Unsuitable"}, {"not_specified", "Not specified"}}
	companionOptions   = []option{{"no_preference", "No preference"}, {"solo", "Solo placement recommended"}, {"with_others", "With other children recommended"},
		{"older_only", "Only with other older children"}, {"younger_only", "Only with other younger children"}}
	petOptions  = []option{{"not_known", "Not known"}, {"can", "Yes – can live with animals"}, {"must", "Yes – must live with animals"}, {"no", "No – cannot live with animals"}}
	tierOptions = []option{{"standard", "Standard"}, {"enhanced", "Enhanced"}, {"complex", "Complex"}, {"highly_complex", "Highly complex"}, {"unknown", "Not known yet"}}
	needOptions = []option{{"EBD", "Emotional and behavioural difficulties"}, {"LD", "Learning disability"}, {"PD", "Physical disability"},
		{"SI", "Sensory impairment"}, {"MH", "Mental health"}, {"CSE", "Child sexual exploitation"}, {"DA", "Drug and alcohol use"}}
	riskToChildOptions = []option{{"self_harm", "Self-harm"}, {"sexual_exploitation", "Sexual exploitation"}, {"criminal_exploitation", "Criminal exploitation"},
		{"substance_use", "Drug and alcohol use"}, {"eating_disorder", "Eating disorder"}, {"going_missing", "Going missing"}}
	riskToOthersOptions = []option{{"physical_harm", "Physical harm"}, {"sexual_harm", "Sexual harm"}, {"fire_setting", "Fire setting"},
		{"harm_to_animals", "Harm to animals"}, {"criminal_exploitation_of_others", "Criminal exploitation of others"}}
)

func optionValue(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// optionText is the words of value v among opts (v itself when unknown).
func optionText(opts []option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Text
		}
	}
	return v
}

// readReferralForm reads the posted form.
func readReferralForm(r *http.Request) referralForm {
	f := r.PostForm
	g := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	return referralForm{LocalID: g("local_id"), ChildID: g("child_id"), Sex: g("sex"), DOB: g("date_of_birth"), NeededBy: g("needed_by"),
		StartDate: g("start_date"), Foster: g("foster_suitability"), Residential: g("residential_suitability"),
		Supported: g("supported_accommodation_suitability"), SiblingCount: g("sibling_count"), HomePostcode: g("home_postcode"),
		SchoolPostcode: g("school_postcode"), KeepSchool: f.Get("keep_school") != "", Companions: g("living_companions"),
		Pets: g("pets"), NeedsTier: g("needs_tier"), NeedCodes: f["need_codes"], RisksToChild: f["risks_to_child"],
		RisksToOthers: f["risks_to_others"], Emergency: f.Get("emergency") != ""}
}

// check validates the form field by field (every problem at once, as the
// GOV.UK error summary lists them), at the date today.
func (f referralForm) check(today time.Time) formErrors {
	var fe formErrors
	add := func(field, msg string) { fe = append(fe, fieldError{field, msg}) }
	if f.ChildID == "" {
		add("child_id", "Enter the child's ID from your case record")
	} else if len(f.ChildID) > 40 {
		add("child_id", "The child's ID must be 40 characters or fewer")
	}
	if !optionValue(sexOptions, f.Sex) {
		add("sex", "Select the child's sex")
	}
	dob, err := time.Parse("2006-01", f.DOB)
	switch {
	case f.DOB == "":
		add("date_of_birth", "Enter the child's month and year of birth, for example 2012-05")
	case err != nil:
		add("date_of_birth", "Month and year of birth must be written as YYYY-MM, for example 2012-05")
	case dob.After(today):
		add("date_of_birth", "Month and year of birth must be in the past")
	case care.AgeOn(dob, today) >= 18:
		add("date_of_birth", "The child must be under 18: check the month and year of birth")
	}
	if !f.Emergency {
		if !optionValue(urgencyOptions, f.NeededBy) {
			add("needed_by", "Select when the placement is needed")
		}
		if f.StartDate != "" {
			if d, err := time.Parse("2006-01-02", f.StartDate); err != nil {
				add("start_date", "Start date must be written as YYYY-MM-DD, for example 2026-04-01")
			} else if d.Before(today.AddDate(0, 0, -1)) {
				add("start_date", "Start date must be today or in the future")
			}
		}
	}
	for _, s := range []struct{ id, v string }{{"foster_suitability", f.Foster}, {"residential_suitability", f.Residential}, {"supported_accommodation_suitability", f.Supported}} {
		if s.v != "" && !optionValue(suitabilityOptions, s.v) {
			add(s.id, "Select how suitable this type of placement is")
		}
	}
	if f.Foster == "unsuitable" && f.Residential == "unsuitable" && f.Supported == "unsuitable" {
		add("foster_suitability", "At least one type of placement must be suitable")
	}
	if f.SiblingCount != "" {
		if n, err := strconv.Atoi(f.SiblingCount); err != nil || n < 0 || n > 12 {
			add("sibling_count", "Number of siblings to place together must be a whole number from 0 to 12")
		}
	}
	if f.HomePostcode == "" {
		add("home_postcode", "Enter the family home's postcode (a sector such as M32 8 or a district such as M32 will do)")
	} else if _, err := offers.Pseudonymise(care.Referral{DOB: today.AddDate(-1, 0, 0), Council: "x", HomePostcode: f.HomePostcode}, "R", today); err != nil {
		add("home_postcode", "Enter a real UK postcode, sector or district for the family home, like M32 8BW")
	}
	if f.SchoolPostcode != "" {
		if _, err := offers.Pseudonymise(care.Referral{DOB: today.AddDate(-1, 0, 0), Council: "x", HomePostcode: f.SchoolPostcode}, "R", today); err != nil {
			add("school_postcode", "Enter a real UK postcode for the school, like M32 0XX")
		}
	} else if f.KeepSchool {
		add("school_postcode", "Enter the school's postcode, so homes within reach of it can be found")
	}
	if f.Companions != "" && !optionValue(companionOptions, f.Companions) {
		add("living_companions", "Select who the child can live alongside")
	}
	if f.Pets != "" && !optionValue(petOptions, f.Pets) {
		add("pets", "Select whether the child can live with animals")
	}
	if !optionValue(tierOptions, f.NeedsTier) {
		add("needs_tier", "Select the child's level of need")
	}
	for _, c := range f.NeedCodes {
		if !optionValue(needOptions, c) {
			add("need_codes", "Select needs from the list")
			break
		}
	}
	for _, c := range f.RisksToChild {
		if !optionValue(riskToChildOptions, c) {
			add("risks_to_child", "Select risks from the list")
			break
		}
	}
	for _, c := range f.RisksToOthers {
		if !optionValue(riskToOthersOptions, c) {
			add("risks_to_others", "Select risks from the list")
			break
		}
	}
	return fe
}

// referralJSON turns the form into the referral's JSON form for council,
// over base (a draft's JSON, kept for fields the form does not show).
func (f referralForm) referralJSON(council, id string, base json.RawMessage, today time.Time) ([]byte, error) {
	m := map[string]any{}
	if len(base) > 0 {
		if err := json.Unmarshal(base, &m); err != nil {
			return nil, care.WrapError(care.EINTERNAL, err, "read draft")
		}
	}
	set := func(k string, v any) {
		switch x := v.(type) {
		case string:
			if x == "" {
				delete(m, k)
				return
			}
		case []string:
			if len(x) == 0 {
				delete(m, k)
				return
			}
		case bool:
			if !x {
				delete(m, k)
				return
			}
		}
		m[k] = v
	}
	if f.LocalID != "" {
		id = f.LocalID
	}
	needed, start := f.NeededBy, f.StartDate
	if f.Emergency {
		needed, start = "today", today.Format("2006-01-02")
	}
	n, _ := strconv.Atoi(f.SiblingCount)
	m["id"], m["council"], m["sibling_count"] = id, council, n
	set("child_id", f.ChildID)
	set("sex", f.Sex)
	set("date_of_birth", f.DOB)
	set("needed_by", needed)
	set("start_date", start)
	set("received", today.Format("2006-01-02"))
	set("foster_suitability", f.Foster)
	set("residential_suitability", f.Residential)
	set("supported_accommodation_suitability", f.Supported)
	set("home_postcode", f.HomePostcode)
	set("school_postcode", f.SchoolPostcode)
	set("keep_school", f.KeepSchool)
	set("living_companions", f.Companions)
	set("pets", f.Pets)
	set("needs_tier", f.NeedsTier)
	set("need_codes", f.NeedCodes)
	set("risks_to_child", f.RisksToChild)
	set("risks_to_others", f.RisksToOthers)
	return json.Marshal(m)
}

// formOf fills the form from a draft's JSON.
func formOf(d workflow.Draft) referralForm {
	var w struct {
		ID             string   `json:"id"`
		ChildID        string   `json:"child_id"`
		Sex            string   `json:"sex"`
		DOB            string   `json:"date_of_birth"`
		NeededBy       string   `json:"needed_by"`
		StartDate      string   `json:"start_date"`
		Foster         string   `json:"foster_suitability"`
		Residential    string   `json:"residential_suitability"`
		Supported      string   `json:"supported_accommodation_suitability"`
		SiblingCount   int      `json:"sibling_count"`
		HomePostcode   string   `json:"home_postcode"`
		SchoolPostcode string   `json:"school_postcode"`
		KeepSchool     bool     `json:"keep_school"`
		Companions     string   `json:"living_companions"`
		Pets           string   `json:"pets"`
		NeedsTier      string   `json:"needs_tier"`
		NeedCodes      []string `json:"need_codes"`
		RisksToChild   []string `json:"risks_to_child"`
		RisksToOthers  []string `json:"risks_to_others"`
	}
	_ = json.Unmarshal(d.Referral, &w)
	local := w.ID
	if local == d.Reference {
		local = ""
	}
	return referralForm{LocalID: local, ChildID: w.ChildID, Sex: w.Sex, DOB: w.DOB, NeededBy: w.NeededBy, StartDate: w.StartDate,
		Foster: w.Foster, Residential: w.Residential, Supported: w.Supported, SiblingCount: strconv.Itoa(w.SiblingCount),
		HomePostcode: w.HomePostcode, SchoolPostcode: w.SchoolPostcode, KeepSchool: w.KeepSchool, Companions: w.Companions,
		Pets: w.Pets, NeedsTier: w.NeedsTier, NeedCodes: w.NeedCodes, RisksToChild: w.RisksToChild, RisksToOthers: w.RisksToOthers,
		Emergency: d.Emergency}
}

// fieldOf maps a care.ParseReferral message ("referral.sex: ...") to the form field.
func fieldOf(msg string) string {
	rest, ok := strings.CutPrefix(msg, "referral.")
	if !ok {
		return "child_id"
	}
	if i := strings.IndexAny(rest, ":[ "); i > 0 {
		rest = rest[:i]
	}
	return rest
}

// saveDraft validates the form and saves it as a draft of the user's council
// under reference ("" for a new one). It returns the form's errors (nothing
// saved) or the saved draft.
func (p *placements) saveDraft(ctx context.Context, u identity.User, f referralForm, reference string, base json.RawMessage) (workflow.Draft, formErrors, error) {
	st, err := p.store()
	if err != nil {
		return workflow.Draft{}, nil, err
	}
	if err := auth.Permit(u, auth.ActReferralWrite, auth.Resource{Council: u.Council, What: "a referral"}); err != nil {
		return workflow.Draft{}, nil, err
	}
	today := civilDay(p.now())
	if fe := f.check(today); len(fe) > 0 {
		return workflow.Draft{}, fe, nil
	}
	if reference == "" {
		reference = workflow.NewReference()
	}
	data, err := f.referralJSON(u.Council, reference, base, today)
	if err != nil {
		return workflow.Draft{}, nil, err
	}
	d, _, err := workflow.NewDraft(data, reference, f.Emergency)
	if err != nil {
		if care.ErrorCode(err) == care.EINVALID {
			msg := care.ErrorMessage(err)
			return workflow.Draft{}, formErrors{{fieldOf(msg), msg}}, nil
		}
		return workflow.Draft{}, nil, err
	}
	d, err = st.SaveDraft(ctx, d, u.Name)
	return d, nil, err
}

func civilDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// caseFile is one referral as the council sees it: its draft (the child's
// details) and, once sent, what was sent with every offer.
type caseFile struct {
	Reference string
	Council   string
	Draft     *workflow.Draft
	Form      referralForm
	Referral  care.Referral
	Sent      *workflow.Sent
}

// Status is the referral's state in words.
func (c caseFile) Status() string {
	if c.Sent == nil {
		return "draft"
	}
	return string(c.Sent.Status)
}

// loadCase reads the referral reference for u, checking act. ENOTFOUND when
// there is no such referral; EFORBIDDEN (from auth.Permit) when it is not
// the user's to see.
func (p *placements) loadCase(ctx context.Context, u identity.User, reference string, act auth.Act) (caseFile, error) {
	st, err := p.store()
	if err != nil {
		return caseFile{}, err
	}
	c := caseFile{Reference: reference}
	// The sent referral says whose it is without reading child-level data.
	sent, err := st.Referrals(ctx, workflow.Filter{Reference: reference})
	if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
		return c, err
	}
	if len(sent) == 1 {
		c.Sent, c.Council = &sent[0], sent[0].Referral.Council
		if err := auth.Permit(u, act, auth.Resource{Council: c.Council, What: "referral " + reference}); err != nil {
			return c, err
		}
	}
	// The draft is child-level: check before reading it (the read is audited).
	if c.Sent == nil && u.Role == identity.RoleProvider {
		return c, care.Errorf(care.ENOTFOUND, "no referral %s", reference)
	}
	d, err := st.Draft(ctx, reference)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND && c.Sent != nil:
		// Sent from the CLI: no draft is kept.
	case care.ErrorCode(err) == care.ENOTFOUND:
		return c, care.Errorf(care.ENOTFOUND, "no referral %s: check the reference", reference)
	case err != nil:
		return c, err
	default:
		if c.Sent == nil {
			if err := auth.Permit(u, act, auth.Resource{Council: d.Council, What: "referral " + reference}); err != nil {
				return c, err
			}
		}
		c.Draft, c.Council, c.Form = &d, d.Council, formOf(d)
		if c.Referral, err = d.Parse(); err != nil {
			return c, err
		}
	}
	return c, nil
}

// matchView is the ranked matches of a referral, explained.
type matchView struct {
	Considered, Eligible, Excluded, NoVacancy int
	Candidates                                []candidateView
	Exclusions                                []exclusionView
	ByReason                                  []reasonCount
	// Filters as given.
	Type     string
	MaxMiles string
}

type candidateView struct {
	Rank        int      `json:"rank"`
	ProvisionID string   `json:"provision_id"`
	Name        string   `json:"name"`
	Provider    string   `json:"provider"`
	Kind        string   `json:"kind"`
	Council     string   `json:"council"`
	Miles       float64  `json:"miles"`
	WeeklyPrice int64    `json:"weekly_price_pence"`
	Rating      string   `json:"ofsted_rating"`
	Score       float64  `json:"score"`
	Fits        []string `json:"fits"`    // what fits, in plain words
	Unknown     []string `json:"unknown"` // what is not known
	Concerns    []string `json:"concerns"`
}

type exclusionView struct {
	ProvisionID string   `json:"provision_id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Miles       float64  `json:"miles"`
	Reasons     []string `json:"reasons"`
}

type reasonCount struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// kindWords is a provision kind in words.
func kindWords(k string) string { return match.KindWords(k) }

// matchesOf searches the supply for the referral and explains each
// candidate in words a social worker uses. typ filters by placement type
// (foster, residential, supported); maxMiles by distance (0: none).
func (p *placements) matchesOf(ctx context.Context, ref care.Referral, typ string, maxMiles float64, top int) (matchView, error) {
	ix, err := p.index(ctx)
	if err != nil {
		return matchView{}, err
	}
	// Only the best top (after the filters) are scored in full and explained.
	res, err := ix.Search(ref, match.Options{Now: p.now(), Top: top, Type: typ, Within: maxMiles})
	if err != nil {
		return matchView{}, err
	}
	v := matchView{Considered: res.Considered, Eligible: res.Eligible, Excluded: res.ExcludedCount(), NoVacancy: res.NoVacancy, Type: typ}
	if maxMiles > 0 {
		v.MaxMiles = strconv.FormatFloat(maxMiles, 'f', -1, 64)
	}
	for _, c := range res.Candidates {
		pv := ix.ProvisionOf(c.Vacancy)
		v.Candidates = append(v.Candidates, explain(ref, c, pv, len(v.Candidates)+1))
	}
	for _, e := range res.NearestExcluded(30) {
		ev := exclusionView{ProvisionID: e.Provision.ID, Name: e.Provision.Name, Kind: kindWords(string(e.Provision.Kind)), Miles: round1(e.Miles)}
		for _, r := range e.Reasons {
			ev.Reasons = append(ev.Reasons, r.String())
		}
		v.Exclusions = append(v.Exclusions, ev)
	}
	for code, n := range res.ExcludedBy() {
		v.ByReason = append(v.ByReason, reasonCount{code.Label(), n})
	}
	sort.Slice(v.ByReason, func(i, j int) bool {
		if v.ByReason[i].Count != v.ByReason[j].Count {
			return v.ByReason[i].Count > v.ByReason[j].Count
		}
		return v.ByReason[i].Reason < v.ByReason[j].Reason
	})
	return v, nil
}

func round1(x float64) float64 {
	if x < 0 {
		return -1
	}
	return math.Round(x*10) / 10
}

// explain puts a candidate into plain words (match.Explain, as the CLI
// does) with what the page shows beside them.
func explain(ref care.Referral, c match.Candidate, pv *care.Provision, rank int) candidateView {
	provider := strings.TrimSpace(pv.Owner)
	if provider == "" {
		provider = pv.Name
	}
	v := candidateView{Rank: rank, ProvisionID: c.ProvisionID, Name: c.Name, Provider: provider, Kind: kindWords(c.Kind),
		Council: councilWords(c.Council), Miles: round1(c.Miles), WeeklyPrice: int64(c.WeeklyPrice), Rating: string(pv.Rating), Score: math.Round(c.Score*10) / 10}
	fit := match.Explain(ref, c, pv, councilWords)
	v.Fits, v.Concerns, v.Unknown = fit.Fits, fit.Concerns, fit.Unknown
	return v
}

func councilWords(code string) string {
	if c, ok := refdata.CouncilByCode(code); ok {
		return c.Name
	}
	return code
}

// referralRow is one line of the referrals list.
type referralRow struct {
	Reference, ChildID, Council, Status, Created string
	Offers, Offered, Declined                    int
	Emergency                                    bool
}

// Pages of the referrals list (page and API).
const (
	// referralsPageSize is the page size when none is asked for, and the page's.
	referralsPageSize = 50
	// maxReferralsPage is the largest page the API gives.
	maxReferralsPage = 200
)

// casePage is one page of the referrals list: its rows, and the reference
// to ask for the next page after (blank on the last page).
type casePage struct {
	Rows []referralRow
	Next string
}

// listCases lists one page of the referrals u may see, newest first: drafts
// and sent referrals of the user's council (or region's councils), limit
// of them after the referral whose reference is after (blank: from the
// newest).
func (p *placements) listCases(ctx context.Context, u identity.User, after string, limit int) (casePage, error) {
	st, err := p.store()
	if err != nil {
		return casePage{}, err
	}
	var councils []string
	switch u.Role {
	case identity.RoleCouncil:
		councils = []string{u.Council}
	case identity.RoleRCC:
		cs, _ := refdata.CouncilsInRegion(u.Region)
		for _, c := range cs {
			councils = append(councils, c.Code)
		}
	case identity.RoleAdmin:
		sums, err := st.Councils(ctx)
		if err != nil {
			return casePage{}, err
		}
		for _, s := range sums {
			councils = append(councils, s.Council)
		}
	default:
		return casePage{}, care.Errorf(care.EFORBIDDEN, "only council, RCC and administrator accounts see referrals; providers see those addressed to them under Homes and referrals")
	}
	var allowed []string
	for _, code := range councils {
		if auth.Permit(u, auth.ActReferralRead, auth.Resource{Council: code}) == nil {
			allowed = append(allowed, code)
		}
	}
	if len(allowed) == 0 {
		if after != "" {
			return casePage{}, care.Errorf(care.EINVALID, "after: %s is not a referral of this list", after)
		}
		return casePage{}, nil
	}
	// One more than the page, to know whether there is a next page.
	cases, err := st.Cases(ctx, workflow.CaseQuery{Councils: allowed, After: after, Limit: limit + 1})
	if err != nil {
		return casePage{}, err
	}
	var page casePage
	if len(cases) > limit {
		cases = cases[:limit]
		page.Next = cases[limit-1].Reference()
	}
	page.Rows = make([]referralRow, 0, len(cases))
	for _, c := range cases {
		var row referralRow
		if d := c.Draft; d != nil {
			row = referralRow{Reference: d.Reference, ChildID: d.ChildID, Council: councilWords(d.Council), Status: "draft",
				Created: formatDateTime(d.CreatedAt), Emergency: d.Emergency}
		} else {
			row = referralRow{Reference: c.Sent.Referral.Reference, Council: councilWords(c.Council()), Created: formatDateTime(c.Sent.SentAt)}
		}
		if c.Sent != nil {
			fillSent(&row, *c.Sent)
		}
		page.Rows = append(page.Rows, row)
	}
	return page, nil
}

// pageQuery reads the referrals list's paging parameters: after (a
// reference) and limit (1 to max, def when blank). EINVALID naming the
// parameter.
func pageQuery(r *http.Request, def, max int) (after string, limit int, err error) {
	q := r.URL.Query()
	after, limit = strings.TrimSpace(q.Get("after")), def
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > max {
			return "", 0, care.Errorf(care.EINVALID, "limit %q: give the number of referrals a page, 1 to %d", s, max)
		}
		limit = n
	}
	return after, limit, nil
}

func fillSent(row *referralRow, s workflow.Sent) {
	row.Status = string(s.Status)
	row.Offers = len(s.Offers)
	for _, o := range s.Offers {
		switch o.Status {
		case workflow.StatusOffered, workflow.StatusAccepted:
			row.Offered++
		case workflow.StatusDeclined:
			row.Declined++
		}
	}
}

// referralPage is the view data of the referral pages.
type referralPage struct {
	Case    caseFile
	Form    referralForm
	Errors  formErrors
	Matches *matchView
	Rows    []referralRow
	// Next is the reference the list's next (older) page starts after;
	// Older is true on a page other than the first.
	Next  string
	Older bool
	// Can says what the user may do here.
	CanWrite bool
	Action   string // the form's action
	Notice   string
}

// Words of the referral's coded values, for the view.
func (referralPage) Words(field, v string) string {
	switch field {
	case "sex":
		return optionText(sexOptions, v)
	case "urgency":
		return optionText(urgencyOptions, v)
	case "suitability":
		return optionText(suitabilityOptions, v)
	case "companions":
		return optionText(companionOptions, v)
	case "pets":
		return optionText(petOptions, v)
	case "tier":
		return optionText(tierOptions, v)
	case "need":
		return optionText(needOptions, v)
	case "risk":
		if t := optionText(riskToChildOptions, v); t != v {
			return t
		}
		return optionText(riskToOthersOptions, v)
	case "reason":
		return workflow.Reason(v).Label()
	}
	return v
}

func (p *placements) referralsPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	after, limit, err := pageQuery(r, referralsPageSize, referralsPageSize)
	var page casePage
	if err == nil {
		page, err = p.listCases(r.Context(), u, after, limit)
	}
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	p.render(w, r, 0, "referrals", pageData{Title: "Referrals", Caption: u.Scope(), Breadcrumbs: []link{{"/", "Home"}},
		Data: referralPage{Rows: page.Rows, Next: page.Next, Older: after != "", CanWrite: u.Role == identity.RoleCouncil}})
}

func (p *placements) newReferralPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if err := auth.Permit(u, auth.ActReferralWrite, auth.Resource{Council: u.Council, What: "a referral"}); err != nil {
		pageError(p.render, w, r, err)
		return
	}
	f := referralForm{Emergency: r.URL.Query().Get("emergency") != "", SiblingCount: "0", Foster: "preferred",
		Residential: "suitable", Supported: "unsuitable", Companions: "no_preference", Pets: "not_known", NeedsTier: "standard", NeededBy: "later"}
	title := "New referral"
	if f.Emergency {
		title = "Emergency referral"
	}
	p.render(w, r, 0, "referral_form", pageData{Title: title, Caption: u.Scope(), Breadcrumbs: []link{{"/", "Home"}, {"/referrals", "Referrals"}},
		Data: referralPage{Form: f, Action: "/referrals"}})
}

func (p *placements) editReferralPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	c, err := p.loadCase(r.Context(), u, r.PathValue("ref"), auth.ActReferralWrite)
	if err == nil && (c.Sent != nil || c.Draft == nil) {
		err = care.Errorf(care.ECONFLICT, "referral %s has been sent: a sent referral cannot change; withdraw it and make a new one", c.Reference)
	}
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	p.render(w, r, 0, "referral_form", pageData{Title: "Change referral " + c.Reference, Caption: u.Scope(),
		Breadcrumbs: []link{{"/", "Home"}, {"/referrals", "Referrals"}, {"/referrals/" + c.Reference, c.Reference}},
		Data:        referralPage{Case: c, Form: c.Form, Action: "/referrals/" + c.Reference}})
}

// postReferral saves a new draft (POST /referrals) or changes one (POST
// /referrals/{ref}); on errors the form is shown again with the GOV.UK error
// summary and a message at each field.
func (p *placements) postReferral(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		pageError(p.render, w, r, care.Errorf(care.EINVALID, "the referral form could not be read"))
		return
	}
	f := readReferralForm(r)
	ref := r.PathValue("ref")
	var base json.RawMessage
	action, title := "/referrals", "New referral"
	if ref != "" {
		c, err := p.loadCase(r.Context(), u, ref, auth.ActReferralWrite)
		if err != nil {
			pageError(p.render, w, r, err)
			return
		}
		if c.Draft != nil {
			base = c.Draft.Referral
		}
		action, title = "/referrals/"+ref, "Change referral "+ref
	} else if f.Emergency {
		title = "Emergency referral"
	}
	d, fe, err := p.saveDraft(r.Context(), u, f, ref, base)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	if len(fe) > 0 {
		p.render(w, r, http.StatusUnprocessableEntity, "referral_form", pageData{Title: title, Caption: u.Scope(), Error: true,
			Breadcrumbs: []link{{"/", "Home"}, {"/referrals", "Referrals"}},
			Data:        referralPage{Form: f, Errors: fe, Action: action}})
		return
	}
	http.Redirect(w, r, "/referrals/"+d.Reference, http.StatusSeeOther)
}

// parseFilters reads ?type= and ?max_miles= of the matches.
func parseFilters(r *http.Request) (string, float64, error) {
	q := r.URL.Query()
	typ := q.Get("type")
	switch typ {
	case "", care.TypeFoster, care.TypeResidential, care.TypeSupported:
	default:
		return "", 0, care.Errorf(care.EINVALID, "type %q: use foster, residential or supported", typ)
	}
	var miles float64
	if s := q.Get("max_miles"); s != "" {
		m, err := strconv.ParseFloat(s, 64)
		if err != nil || m <= 0 || m > 1000 || math.IsNaN(m) {
			return "", 0, care.Errorf(care.EINVALID, "max_miles %q: give a distance in miles from 1 to 1000", s)
		}
		miles = m
	}
	return typ, miles, nil
}

func (p *placements) referralPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	c, err := p.loadCase(r.Context(), u, r.PathValue("ref"), auth.ActReferralRead)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	data := referralPage{Case: c, CanWrite: auth.Permit(u, auth.ActReferralSend, auth.Resource{Council: c.Council}) == nil,
		Notice: r.URL.Query().Get("done")}
	if c.Sent == nil {
		typ, miles, err := parseFilters(r)
		if err != nil {
			pageError(p.render, w, r, err)
			return
		}
		mv, err := p.matchesOf(r.Context(), c.Referral, typ, miles, offers.MaxShortlist)
		if err != nil {
			pageError(p.render, w, r, err)
			return
		}
		data.Matches = &mv
	}
	title := "Referral " + c.Reference
	if c.Draft != nil && c.Draft.Emergency {
		title = "Emergency referral " + c.Reference
	}
	p.render(w, r, 0, "referral", pageData{Title: title, Caption: councilWords(c.Council) + " · " + c.Status(),
		Breadcrumbs: []link{{"/", "Home"}, {"/referrals", "Referrals"}}, Data: data})
}

// send shortlists the chosen provisions and sends the referral to them.
func (p *placements) send(ctx context.Context, u identity.User, reference string, chosen []string, top int) (workflow.Sent, error) {
	c, err := p.loadCase(ctx, u, reference, auth.ActReferralSend)
	if err != nil {
		return workflow.Sent{}, err
	}
	if c.Sent != nil {
		return workflow.Sent{}, care.Errorf(care.ECONFLICT, "referral %s has already been sent", reference)
	}
	if len(chosen) == 0 && top == 0 {
		return workflow.Sent{}, care.Errorf(care.EINVALID, "choose at least one home or household to send the referral to")
	}
	ix, err := p.index(ctx)
	if err != nil {
		return workflow.Sent{}, err
	}
	now := p.now()
	opt := offers.SendOptions{ShortlistOptions: offers.ShortlistOptions{Chosen: chosen, Top: top, Now: now},
		Actor: u.Name, Reference: c.Reference, Today: now}
	st, _ := p.store()
	return offers.Send(ctx, st, ix, c.Referral, opt)
}

func (p *placements) sendPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		pageError(p.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
		return
	}
	ref := r.PathValue("ref")
	if _, err := p.send(r.Context(), u, ref, r.PostForm["provision"], 0); err != nil {
		pageError(p.render, w, r, err)
		return
	}
	http.Redirect(w, r, "/referrals/"+ref+"?done=sent", http.StatusSeeOther)
}

// accept accepts the provision's offer on the referral.
func (p *placements) accept(ctx context.Context, u identity.User, reference, provision string) (workflow.Reservation, error) {
	c, err := p.loadCase(ctx, u, reference, auth.ActReferralAccept)
	if err != nil {
		return workflow.Reservation{}, err
	}
	if c.Sent == nil {
		return workflow.Reservation{}, care.Errorf(care.ECONFLICT, "referral %s has not been sent yet: there are no offers to accept", reference)
	}
	st, _ := p.store()
	defer p.invalidate()
	return st.Accept(ctx, reference, provision, u.Name)
}

func (p *placements) acceptPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	ref := r.PathValue("ref")
	if _, err := p.accept(r.Context(), u, ref, r.PathValue("offer")); err != nil {
		pageError(p.render, w, r, err)
		return
	}
	http.Redirect(w, r, "/referrals/"+ref+"?done=accepted", http.StatusSeeOther)
}

// withdraw cancels the referral (releasing any reserved place).
func (p *placements) withdraw(ctx context.Context, u identity.User, reference, note string) error {
	c, err := p.loadCase(ctx, u, reference, auth.ActReferralCancel)
	if err != nil {
		return err
	}
	if c.Sent == nil {
		return care.Errorf(care.ECONFLICT, "referral %s has not been sent: there is nothing to withdraw", reference)
	}
	if len([]rune(note)) > workflow.MaxNote {
		return care.Errorf(care.EINVALID, "the note has %d characters; keep it to %d", len([]rune(note)), workflow.MaxNote)
	}
	st, _ := p.store()
	defer p.invalidate()
	return st.Cancel(ctx, reference, note, u.Name)
}

func (p *placements) withdrawPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		pageError(p.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
		return
	}
	ref := r.PathValue("ref")
	if err := p.withdraw(r.Context(), u, ref, strings.TrimSpace(r.PostForm.Get("note"))); err != nil {
		pageError(p.render, w, r, err)
		return
	}
	http.Redirect(w, r, "/referrals/"+ref+"?done=withdrawn", http.StatusSeeOther)
}

// API.

// maxJSONBody bounds a JSON request body of the placements API.
const maxJSONBody = 32 << 10

// readJSON decodes the request body into v, refusing unknown fields.
func readJSON(r *http.Request, v any) error { return readJSONLimit(r, v, maxJSONBody) }

// readJSONLimit decodes at most limit bytes of the request body into v,
// refusing unknown fields.
func readJSONLimit(r *http.Request, v any, limit int64) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return care.Errorf(care.EINVALID, "the request has no JSON body")
		}
		return care.Errorf(care.EINVALID, "the JSON body cannot be read: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// ReferralAPI is a referral as GET /api/v1/referrals/{id} returns it.
type ReferralAPI struct {
	Reference string          `json:"reference"`
	Council   string          `json:"council"`
	Status    string          `json:"status"` // draft, open, placed, cancelled
	Emergency bool            `json:"emergency"`
	Referral  json.RawMessage `json:"referral,omitempty"` // the draft (child-level; the council's own)
	Sent      *workflow.Sent  `json:"sent,omitempty"`
}

func caseAPI(c caseFile) ReferralAPI {
	out := ReferralAPI{Reference: c.Reference, Council: c.Council, Status: c.Status(), Sent: c.Sent}
	if c.Draft != nil {
		out.Referral, out.Emergency = c.Draft.Referral, c.Draft.Emergency
	}
	return out
}

// apiCreateReferral: POST /api/v1/referrals with the referral's JSON form
// (care.ParseReferral); ?emergency=1 marks it an emergency. The council is the
// user's own (a referral naming another council is refused).
func (p *placements) apiCreateReferral(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	st, err := p.store()
	if err != nil {
		apiError(w, r, err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody))
	if err != nil {
		apiError(w, r, care.Errorf(care.EINVALID, "the request body cannot be read"))
		return
	}
	var head struct {
		Council string `json:"council"`
	}
	_ = json.Unmarshal(data, &head)
	council := strings.ToUpper(strings.TrimSpace(head.Council))
	if council == "" {
		council = u.Council
	}
	if err := auth.Permit(u, auth.ActReferralWrite, auth.Resource{Council: council, What: "a referral of " + councilWords(council)}); err != nil {
		apiError(w, r, err)
		return
	}
	if head.Council == "" {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			apiError(w, r, care.Errorf(care.EINVALID, "referral: malformed JSON; send the referral as a JSON object"))
			return
		}
		m["council"] = council
		data, _ = json.Marshal(m)
	}
	ref := workflow.NewReference()
	d, _, err := workflow.NewDraft(data, ref, r.URL.Query().Get("emergency") != "")
	if err != nil {
		apiError(w, r, err)
		return
	}
	if d, err = st.SaveDraft(r.Context(), d, u.Name); err != nil {
		apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/referrals/"+d.Reference)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(ReferralAPI{Reference: d.Reference, Council: d.Council, Status: "draft", Emergency: d.Emergency, Referral: d.Referral})
}

func (p *placements) apiReferral(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	c, err := p.loadCase(r.Context(), u, r.PathValue("ref"), auth.ActReferralRead)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, caseAPI(c))
}

func (p *placements) apiReferrals(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	after, limit, err := pageQuery(r, referralsPageSize, maxReferralsPage)
	var page casePage
	if err == nil {
		page, err = p.listCases(r.Context(), u, after, limit)
	}
	if err != nil {
		apiError(w, r, err)
		return
	}
	rows := page.Rows
	type row struct {
		Reference string `json:"reference"`
		ChildID   string `json:"child_id,omitempty"`
		Council   string `json:"council"`
		Status    string `json:"status"`
		Offers    int    `json:"offers"`
		Offered   int    `json:"offered"`
		Declined  int    `json:"declined"`
		Emergency bool   `json:"emergency"`
	}
	out := make([]row, len(rows))
	for i, x := range rows {
		out[i] = row{x.Reference, x.ChildID, x.Council, x.Status, x.Offers, x.Offered, x.Declined, x.Emergency}
	}
	body := map[string]any{"referrals": out}
	if page.Next != "" {
		body["next"] = page.Next
	}
	writeJSON(w, r, body)
}

func (p *placements) apiMatches(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	c, err := p.loadCase(r.Context(), u, r.PathValue("ref"), auth.ActReferralRead)
	if err != nil {
		apiError(w, r, err)
		return
	}
	if c.Draft == nil {
		apiError(w, r, care.Errorf(care.ECONFLICT, "referral %s was sent from the command line: no draft is kept to search again", c.Reference))
		return
	}
	typ, miles, err := parseFilters(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	top := 20
	if s := r.URL.Query().Get("top"); s != "" {
		if top, err = strconv.Atoi(s); err != nil || top < 1 || top > 200 {
			apiError(w, r, care.Errorf(care.EINVALID, "top %q: give 1 to 200", s))
			return
		}
	}
	mv, err := p.matchesOf(r.Context(), c.Referral, typ, miles, top)
	if err != nil {
		apiError(w, r, err)
		return
	}
	if mv.Candidates == nil {
		mv.Candidates = []candidateView{}
	}
	if mv.Exclusions == nil {
		mv.Exclusions = []exclusionView{}
	}
	writeJSON(w, r, map[string]any{"reference": c.Reference, "considered": mv.Considered, "eligible": mv.Eligible,
		"excluded": mv.Excluded, "no_vacancy": mv.NoVacancy, "candidates": mv.Candidates, "nearest_excluded": mv.Exclusions,
		"excluded_by_reason": mv.ByReason})
}

func (p *placements) apiSend(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	var body struct {
		Provisions []string `json:"provisions"`
		Top        int      `json:"top"`
	}
	if err := readJSON(r, &body); err != nil {
		apiError(w, r, err)
		return
	}
	if body.Top < 0 || body.Top > offers.MaxShortlist {
		apiError(w, r, care.Errorf(care.EINVALID, "top %d: send to 1–%d providers", body.Top, offers.MaxShortlist))
		return
	}
	sent, err := p.send(r.Context(), u, r.PathValue("ref"), body.Provisions, body.Top)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, sent)
}

func (p *placements) apiAccept(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	res, err := p.accept(r.Context(), u, r.PathValue("ref"), r.PathValue("offer"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, res)
}

func (p *placements) apiWithdraw(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	var body struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := readJSON(r, &body); err != nil {
			apiError(w, r, err)
			return
		}
	}
	ref := r.PathValue("ref")
	if err := p.withdraw(r.Context(), u, ref, strings.TrimSpace(body.Note)); err != nil {
		apiError(w, r, err)
		return
	}
	c, err := p.loadCase(r.Context(), u, ref, auth.ActReferralRead)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, caseAPI(c))
}

// fieldView is one text input of a form.
type fieldView struct {
	ID, Label, Hint, Value, Error, Width string
}

// choiceView is one set of radios or a select.
type choiceView struct {
	ID, Label, Value, Error string
	Options                 []option
	Inline                  bool
}

// checksView is one set of checkboxes.
type checksView struct {
	ID, Label, Error string
	Options          []option
	Values           []string
}

// Has reports whether the box of value v is ticked.
func (c checksView) Has(v string) bool {
	for _, x := range c.Values {
		if x == v {
			return true
		}
	}
	return false
}

// value is the form's value of field id.
func (f referralForm) value(id string) string {
	switch id {
	case "local_id":
		return f.LocalID
	case "child_id":
		return f.ChildID
	case "sex":
		return f.Sex
	case "date_of_birth":
		return f.DOB
	case "needed_by":
		return f.NeededBy
	case "start_date":
		return f.StartDate
	case "foster_suitability":
		return f.Foster
	case "residential_suitability":
		return f.Residential
	case "supported_accommodation_suitability":
		return f.Supported
	case "sibling_count":
		return f.SiblingCount
	case "home_postcode":
		return f.HomePostcode
	case "school_postcode":
		return f.SchoolPostcode
	case "living_companions":
		return f.Companions
	case "pets":
		return f.Pets
	case "needs_tier":
		return f.NeedsTier
	}
	return ""
}

// optionsOf are the choices of field id.
func optionsOf(id string) []option {
	switch id {
	case "sex":
		return sexOptions
	case "needed_by":
		return urgencyOptions
	case "foster_suitability", "residential_suitability", "supported_accommodation_suitability":
		return suitabilityOptions
	case "living_companions":
		return companionOptions
	case "pets":
		return petOptions
	case "needs_tier":
		return tierOptions
	case "need_codes":
		return needOptions
	case "risks_to_child":
		return riskToChildOptions
	case "risks_to_others":
		return riskToOthersOptions
	}
	return nil
}

// Text is the view of text field id.
func (p referralPage) Text(id, label, hint, width string) fieldView {
	return fieldView{ID: id, Label: label, Hint: hint, Value: p.Form.value(id), Error: p.Errors.For(id), Width: width}
}

// Choice is the view of radios or a select for field id.
func (p referralPage) Choice(id, label string, inline bool) choiceView {
	return choiceView{ID: id, Label: label, Value: p.Form.value(id), Error: p.Errors.For(id), Options: optionsOf(id), Inline: inline}
}

// Checks is the view of the checkboxes of field id.
func (p referralPage) Checks(id, label string) checksView {
	var vs []string
	switch id {
	case "need_codes":
		vs = p.Form.NeedCodes
	case "risks_to_child":
		vs = p.Form.RisksToChild
	case "risks_to_others":
		vs = p.Form.RisksToOthers
	}
	return checksView{ID: id, Label: label, Error: p.Errors.For(id), Options: optionsOf(id), Values: vs}
}
