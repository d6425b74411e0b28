package web

import (
	"context"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/store"
	"sufficiency/workflow"
)

// The provider portal: a provider user's own homes and fostering households
// with their vacancies (changed or confirmed in one click), the referrals
// sent to them (pseudonymised: no name, no council child id), an offer with
// a price and conditions or a decline with a structured reason, and the
// outcome. A provider sees only its own offers of a referral, never another
// provider's.

// homeView is one of the provider's provisions with its free places.
type homeView struct {
	ID, Name, Kind, Council, Postcode, Rating string
	Registered                                int
	Free                                      int
	WeeklyPrice                               care.Pence
	Confirmed                                 time.Time
	ConfirmedToday                            bool
}

// ownHomes returns the provisions of u's organisation, by name.
func (p *placements) ownHomes(ctx context.Context, u identity.User) ([]homeView, error) {
	st, err := p.store()
	if err != nil {
		return nil, err
	}
	if u.Role != identity.RoleProvider {
		return nil, care.Errorf(care.EFORBIDDEN, "only provider accounts have homes here")
	}
	provs, err := st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		return nil, err
	}
	var ids []string
	byID := map[string]int{}
	var out []homeView
	for _, pv := range provs {
		if !auth.SameProvider(pv.Owner, u.Provider) {
			continue
		}
		byID[pv.ID] = len(out)
		ids = append(ids, pv.ID)
		out = append(out, homeView{ID: pv.ID, Name: pv.Name, Kind: kindWords(string(pv.Kind)), Council: councilWords(pv.Council),
			Postcode: pv.Postcode, Rating: string(pv.Rating), Registered: pv.Places, WeeklyPrice: pv.WeeklyPrice})
	}
	if len(ids) > 0 {
		vacs, err := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: ids})
		if err != nil {
			return nil, err
		}
		today := civilDay(p.now())
		for _, v := range vacs {
			k, ok := byID[v.ProvisionID]
			if !ok {
				continue
			}
			h := &out[k]
			h.Free += v.Places
			if v.UpdatedAt.After(h.Confirmed) {
				h.Confirmed = v.UpdatedAt
			}
			if v.WeeklyPrice > 0 {
				h.WeeklyPrice = v.WeeklyPrice
			}
			h.ConfirmedToday = !civilDay(h.Confirmed).Before(today)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ProviderReferral is a referral as its provider sees it: pseudonymised,
// with only the provider's own offers and what happened to them.
type ProviderReferral struct {
	Referral workflow.SentReferral   `json:"referral"`
	Status   workflow.ReferralStatus `json:"status"`
	Places   int                     `json:"places_needed"`
	SentAt   time.Time               `json:"sent_at"`
	Offers   []workflow.Offer        `json:"offers"`
	// Outcome is what happened, in words ("placed with Didsbury House",
	// "placed elsewhere", "withdrawn by the council", "waiting for the council").
	Outcome string `json:"outcome"`
}

// forProvider cuts a sent referral down to what provider may see: its own
// offers; nil when none of the shortlist is the provider's.
func forProvider(s workflow.Sent, u identity.User) *ProviderReferral {
	var own []workflow.Offer
	for _, o := range s.Offers {
		if auth.Permit(u, auth.ActProviderRead, auth.Resource{Provider: o.Provider}) == nil {
			own = append(own, o)
		}
	}
	if len(own) == 0 {
		return nil
	}
	pr := &ProviderReferral{Referral: s.Referral, Status: s.Status, Places: s.GroupSize, SentAt: s.SentAt, Offers: own}
	pr.Outcome = outcomeFor(s, own)
	return pr
}

func outcomeFor(s workflow.Sent, own []workflow.Offer) string {
	switch s.Status {
	case workflow.ReferralPlaced:
		for _, o := range own {
			if o.Status == workflow.StatusAccepted {
				return "your offer was accepted: the child is placed with " + o.Name
			}
		}
		return "the child was placed elsewhere"
	case workflow.ReferralCancelled:
		return "withdrawn by the council"
	}
	for _, o := range own {
		switch o.Status {
		case workflow.StatusPending:
			return "waiting for your answer"
		case workflow.StatusOffered:
			return "you have offered: waiting for the council"
		}
	}
	return "you declined"
}

// providerReferrals lists the referrals sent to u's organisation, newest first.
func (p *placements) providerReferrals(ctx context.Context, u identity.User) ([]ProviderReferral, error) {
	st, err := p.store()
	if err != nil {
		return nil, err
	}
	if u.Role != identity.RoleProvider {
		return nil, care.Errorf(care.EFORBIDDEN, "only provider accounts see the referrals addressed to them")
	}
	all, err := st.Referrals(ctx, workflow.Filter{})
	if err != nil {
		return nil, err
	}
	var out []ProviderReferral
	for i := len(all) - 1; i >= 0; i-- {
		if pr := forProvider(all[i], u); pr != nil {
			out = append(out, *pr)
		}
	}
	return out, nil
}

// providerReferral returns one referral sent to u's organisation. ENOTFOUND
// also when it exists but was not sent to the provider: a provider cannot
// learn that other referrals exist by trying references.
func (p *placements) providerReferral(ctx context.Context, u identity.User, reference string) (ProviderReferral, error) {
	st, err := p.store()
	if err != nil {
		return ProviderReferral{}, err
	}
	if u.Role != identity.RoleProvider {
		return ProviderReferral{}, care.Errorf(care.EFORBIDDEN, "only the provider a referral is addressed to may answer it")
	}
	notFound := care.Errorf(care.ENOTFOUND, "no referral %s was sent to %s", reference, u.Provider)
	list, err := st.Referrals(ctx, workflow.Filter{Reference: reference})
	if care.ErrorCode(err) == care.ENOTFOUND {
		return ProviderReferral{}, notFound
	}
	if err != nil {
		return ProviderReferral{}, err
	}
	if len(list) != 1 {
		return ProviderReferral{}, notFound
	}
	pr := forProvider(list[0], u)
	if pr == nil {
		return ProviderReferral{}, notFound
	}
	return *pr, nil
}

// respond records the provider's offer or decline for one of its provisions.
func (p *placements) respond(ctx context.Context, u identity.User, c workflow.Change) (workflow.Offer, error) {
	pr, err := p.providerReferral(ctx, u, c.Referral)
	if err != nil {
		return workflow.Offer{}, err
	}
	var mine *workflow.Offer
	for i := range pr.Offers {
		if pr.Offers[i].ProvisionID == c.ProvisionID {
			mine = &pr.Offers[i]
		}
	}
	if mine == nil {
		return workflow.Offer{}, care.Errorf(care.EINVALID, "provision: %q is not one of your homes on this referral's shortlist; choose one of them", c.ProvisionID)
	}
	if err := auth.Permit(u, auth.ActProviderRespond, auth.Resource{Provider: mine.Provider, What: "referral " + c.Referral}); err != nil {
		return workflow.Offer{}, err
	}
	c.Actor = u.Name
	if err := c.Check(); err != nil {
		return workflow.Offer{}, err
	}
	st, _ := p.store()
	return st.Respond(ctx, c)
}

// setVacancy changes or confirms the free places of one of u's provisions.
func (p *placements) setVacancy(ctx context.Context, u identity.User, v workflow.VacancyUpdate) ([]care.Vacancy, error) {
	st, err := p.store()
	if err != nil {
		return nil, err
	}
	provs, err := st.Provisions(ctx, store.ProvisionFilter{IDs: []string{v.ProvisionID}})
	if err != nil {
		return nil, err
	}
	if len(provs) != 1 {
		return nil, care.Errorf(care.ENOTFOUND, "no home or household %q", v.ProvisionID)
	}
	if err := auth.Permit(u, auth.ActVacancyUpdate, auth.Resource{Provider: provs[0].Owner, What: provs[0].Name}); err != nil {
		return nil, err
	}
	if err := v.Check(); err != nil {
		return nil, err
	}
	defer p.invalidate()
	return st.SetVacancy(ctx, v, u.Name)
}

// providerPage is the view data of the provider portal.
type providerPage struct {
	Homes     []homeView
	Referrals []ProviderReferral
	Referral  *ProviderReferral
	Reasons   []option
	Errors    formErrors
	Notice    string
	// Values typed into the answer form, kept on errors.
	Price, Conditions, Reason, Note, Provision string
}

// Words of the pseudonymised referral's codes.
func (providerPage) Words(field, v string) string { return referralPage{}.Words(field, v) }

func reasonOptions() []option {
	out := make([]option, len(workflow.Reasons))
	for i, r := range workflow.Reasons {
		out[i] = option{string(r), strings.ToUpper(r.Label()[:1]) + r.Label()[1:]}
	}
	return out
}

func (p *placements) providerHome(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	homes, err := p.ownHomes(r.Context(), u)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	refs, err := p.providerReferrals(r.Context(), u)
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	p.render(w, r, 0, "provider", pageData{Title: "Homes and referrals", Caption: u.Provider, Breadcrumbs: []link{{"/", "Home"}},
		Data: providerPage{Homes: homes, Referrals: refs, Notice: r.URL.Query().Get("done")}})
}

// parsePlaces reads a number of free places.
func parsePlaces(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > workflow.MaxVacancyPlaces {
		return 0, care.Errorf(care.EINVALID, "places: %q: give the number of free places, 0 to %d", s, workflow.MaxVacancyPlaces)
	}
	return n, nil
}

func (p *placements) vacancyPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		pageError(p.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
		return
	}
	n, err := parsePlaces(r.PostForm.Get("places"))
	if err == nil {
		_, err = p.setVacancy(r.Context(), u, workflow.VacancyUpdate{ProvisionID: r.PathValue("place"), Places: n})
	}
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	http.Redirect(w, r, "/provider?done=vacancy", http.StatusSeeOther)
}

func (p *placements) providerReferralPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	pr, err := p.providerReferral(r.Context(), u, r.PathValue("ref"))
	if err != nil {
		pageError(p.render, w, r, err)
		return
	}
	p.render(w, r, 0, "provider_referral", pageData{Title: "Referral " + pr.Referral.Reference, Caption: u.Provider,
		Breadcrumbs: []link{{"/", "Home"}, {"/provider", "Homes and referrals"}},
		Data:        providerPage{Referral: &pr, Reasons: reasonOptions(), Notice: r.URL.Query().Get("done")}})
}

// answerPage records an offer (POST .../offer) or decline (POST .../decline)
// from the form; errors are shown on the form, field by field.
func (p *placements) answerPage(action workflow.Action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, _ := userFrom(r.Context())
		if err := r.ParseForm(); err != nil {
			pageError(p.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
			return
		}
		ref := r.PathValue("ref")
		pr, err := p.providerReferral(r.Context(), u, ref)
		if err != nil {
			pageError(p.render, w, r, err)
			return
		}
		f := r.PostForm
		view := providerPage{Referral: &pr, Reasons: reasonOptions(), Provision: f.Get("provision"), Price: strings.TrimSpace(f.Get("price")),
			Conditions: strings.TrimSpace(f.Get("conditions")), Reason: f.Get("reason"), Note: strings.TrimSpace(f.Get("note"))}
		c := workflow.Change{Referral: ref, ProvisionID: view.Provision, Action: action}
		if action == workflow.ActionOffer {
			c.Conditions = view.Conditions
			if view.Price != "" {
				pounds, err := strconv.ParseFloat(strings.TrimPrefix(strings.ReplaceAll(view.Price, ",", ""), "£"), 64)
				if err != nil || pounds < 0 || pounds > 100000 || math.IsNaN(pounds) {
					view.Errors = append(view.Errors, fieldError{"price-" + view.Provision, "Weekly price must be an amount in pounds from 0 to 100,000, like 5,250"})
				}
				c.Price = care.FromPounds(pounds)
			}
			if len([]rune(c.Conditions)) > workflow.MaxConditions {
				view.Errors = append(view.Errors, fieldError{"conditions-" + view.Provision, "Conditions must be " + strconv.Itoa(workflow.MaxConditions) + " characters or fewer"})
			}
		} else {
			reason, err := workflow.ParseReason(view.Reason)
			if err != nil {
				view.Errors = append(view.Errors, fieldError{"reason-" + view.Provision, "Select why you cannot offer a place"})
			}
			c.Reason, c.Note = reason, view.Note
			if err == nil {
				if err := workflow.CheckDecline(reason, view.Note); err != nil {
					view.Errors = append(view.Errors, fieldError{"note-" + view.Provision, declineNoteMessage(reason, view.Note)})
				}
			}
		}
		if len(view.Errors) == 0 {
			if _, err := p.respond(r.Context(), u, c); err != nil {
				if care.ErrorCode(err) != care.EINVALID {
					pageError(p.render, w, r, err)
					return
				}
				view.Errors = append(view.Errors, fieldError{"answer-" + view.Provision, care.ErrorMessage(err)})
			}
		}
		if len(view.Errors) > 0 {
			p.render(w, r, http.StatusUnprocessableEntity, "provider_referral", pageData{Title: "Referral " + ref, Caption: u.Provider, Error: true,
				Breadcrumbs: []link{{"/", "Home"}, {"/provider", "Homes and referrals"}}, Data: view})
			return
		}
		http.Redirect(w, r, "/provider/referrals/"+ref+"?done="+string(action), http.StatusSeeOther)
	}
}

func declineNoteMessage(r workflow.Reason, note string) string {
	switch {
	case r == workflow.ReasonOther && note == "":
		return "Say why, in a few words (no names), when the reason is other"
	case r != workflow.ReasonOther && note != "":
		return "Leave the note empty: a note is only for the reason other"
	}
	return "The note must be " + strconv.Itoa(workflow.MaxNote) + " characters or fewer"
}

// API.

func (p *placements) apiProviderReferrals(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	refs, err := p.providerReferrals(r.Context(), u)
	if err != nil {
		apiError(w, r, err)
		return
	}
	if refs == nil {
		refs = []ProviderReferral{}
	}
	writeJSON(w, r, map[string]any{"referrals": refs})
}

func (p *placements) apiProviderReferral(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	pr, err := p.providerReferral(r.Context(), u, r.PathValue("ref"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, pr)
}

func (p *placements) apiProviderHomes(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	homes, err := p.ownHomes(r.Context(), u)
	if err != nil {
		apiError(w, r, err)
		return
	}
	type home struct {
		ID          string    `json:"id"`
		Name        string    `json:"name"`
		Kind        string    `json:"kind"`
		Council     string    `json:"council"`
		Rating      string    `json:"ofsted_rating"`
		Registered  int       `json:"registered_places"`
		Free        int       `json:"free_places"`
		WeeklyPrice int64     `json:"weekly_price_pence"`
		Confirmed   time.Time `json:"confirmed_at,omitzero"`
	}
	out := make([]home, len(homes))
	for i, h := range homes {
		out[i] = home{h.ID, h.Name, h.Kind, h.Council, h.Rating, h.Registered, h.Free, int64(h.WeeklyPrice), h.Confirmed}
	}
	writeJSON(w, r, map[string]any{"provisions": out})
}

func (p *placements) apiOffer(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	var body struct {
		Provision   string  `json:"provision"`
		PricePounds float64 `json:"weekly_price_pounds"`
		Conditions  string  `json:"conditions"`
	}
	if err := readJSON(r, &body); err != nil {
		apiError(w, r, err)
		return
	}
	// Only then the price: a caller the referral was not sent to learns nothing more.
	if _, err := p.providerReferral(r.Context(), u, r.PathValue("ref")); err != nil {
		apiError(w, r, err)
		return
	}
	if body.PricePounds < 0 || body.PricePounds > 100000 {
		apiError(w, r, care.Errorf(care.EINVALID, "weekly_price_pounds: %v: give the weekly price in pounds (0–100000; 0 for your usual price)", body.PricePounds))
		return
	}
	o, err := p.respond(r.Context(), u, workflow.Change{Referral: r.PathValue("ref"), ProvisionID: body.Provision, Action: workflow.ActionOffer,
		Price: care.FromPounds(body.PricePounds), Conditions: strings.TrimSpace(body.Conditions)})
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, o)
}

func (p *placements) apiDecline(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	var body struct {
		Provision string `json:"provision"`
		Reason    string `json:"reason"`
		Note      string `json:"note"`
	}
	if err := readJSON(r, &body); err != nil {
		apiError(w, r, err)
		return
	}
	if _, err := p.providerReferral(r.Context(), u, r.PathValue("ref")); err != nil {
		apiError(w, r, err)
		return
	}
	reason, err := workflow.ParseReason(body.Reason)
	if err != nil {
		apiError(w, r, err)
		return
	}
	o, err := p.respond(r.Context(), u, workflow.Change{Referral: r.PathValue("ref"), ProvisionID: body.Provision, Action: workflow.ActionDecline,
		Reason: reason, Note: strings.TrimSpace(body.Note)})
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, o)
}

func (p *placements) apiVacancy(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	var body struct {
		Places      *int    `json:"places"`
		PricePounds float64 `json:"weekly_price_pounds"`
		ValidFrom   string  `json:"valid_from"`
	}
	if err := readJSON(r, &body); err != nil {
		apiError(w, r, err)
		return
	}
	if body.Places == nil {
		apiError(w, r, care.Errorf(care.EINVALID, "places: missing; give the number of free places (0 for none)"))
		return
	}
	if body.PricePounds < 0 || body.PricePounds > 100000 {
		apiError(w, r, care.Errorf(care.EINVALID, "weekly_price_pounds: %v: give the weekly price in pounds (0–100000)", body.PricePounds))
		return
	}
	v := workflow.VacancyUpdate{ProvisionID: r.PathValue("place"), Places: *body.Places, WeeklyPrice: care.FromPounds(body.PricePounds)}
	if body.ValidFrom != "" {
		t, err := time.Parse("2006-01-02", body.ValidFrom)
		if err != nil {
			apiError(w, r, care.Errorf(care.EINVALID, "valid_from %q: write the date as YYYY-MM-DD", body.ValidFrom))
			return
		}
		v.ValidFrom = t
	}
	vacs, err := p.setVacancy(r.Context(), u, v)
	if err != nil {
		apiError(w, r, err)
		return
	}
	type vacancy struct {
		ID          string    `json:"id"`
		Places      int       `json:"places"`
		ValidFrom   time.Time `json:"valid_from"`
		ConfirmedAt time.Time `json:"confirmed_at"`
		WeeklyPrice int64     `json:"weekly_price_pence,omitempty"`
	}
	out := make([]vacancy, len(vacs))
	for i, x := range vacs {
		out[i] = vacancy{x.ID, x.Places, x.ValidFrom, x.UpdatedAt, int64(x.WeeklyPrice)}
	}
	writeJSON(w, r, map[string]any{"provision": v.ProvisionID, "vacancies": out})
}

// CouncilName is a council's name from its code.
func (providerPage) CouncilName(code string) string { return councilWords(code) }
