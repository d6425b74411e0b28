package web

import (
	"net/http"

	"sufficiency/analysis"
	"sufficiency/refdata"
)

// apiHandlers serve /api/v1: the same data as the pages, as JSON.
type apiHandlers struct {
	data *analyst
}

// Me is who the API caller is.
type Me struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Council string `json:"council,omitempty"`
	Region  string `json:"region,omitempty"`
	Scope   string `json:"scope"`
}

func (h *apiHandlers) me(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	writeJSON(w, r, Me{Name: u.Name, Role: string(u.Role), Council: u.Council, Region: u.Region, Scope: u.Scope()})
}

func (h *apiHandlers) councils(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	rows, err := h.data.councils(r.Context(), u)
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, map[string]any{"councils": rows})
}

func (h *apiHandlers) councilPicture(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, err := h.data.councilScope(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	b, err := h.data.pictureJSON(r.Context(), sc, r.URL.Query().Get("at"), !u.CanSeeCouncil(sc.Council.Code))
	writeEncoded(w, r, b, err)
}

func (h *apiHandlers) regionPicture(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, err := h.data.regionScope(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	b, err := h.data.pictureJSON(r.Context(), sc, r.URL.Query().Get("at"), !u.CanSeeRegion(sc.Region))
	writeEncoded(w, r, b, err)
}

func (h *apiHandlers) englandPicture(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	sc, err := h.data.englandScope(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	b, err := h.data.pictureJSON(r.Context(), sc, r.URL.Query().Get("at"), !u.IsAdmin())
	writeEncoded(w, r, b, err)
}

func (h *apiHandlers) review(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	spec, err := councilParam(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	// The user's right is checked before anything about the data is said.
	if !maySeeScope(u, spec) {
		apiError(w, r, forbidden("the review worklist of "+refdata.CouncilName(spec.Councils[0])))
		return
	}
	sc, err := h.data.scope(r.Context(), spec)
	if err != nil {
		apiError(w, r, err)
		return
	}
	h.worklist(w, r, sc)
}

func (h *apiHandlers) regionReview(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	spec, err := regionParam(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	if !maySeeScope(u, spec) {
		apiError(w, r, forbidden("the review worklist of "+spec.Region))
		return
	}
	sc, err := h.data.scope(r.Context(), spec)
	if err != nil {
		apiError(w, r, err)
		return
	}
	h.worklist(w, r, sc)
}

// worklist answers the review worklist of the scope, filtered and sorted by
// the query as the page is.
func (h *apiHandlers) worklist(w http.ResponseWriter, r *http.Request, sc analysis.Scope) {
	name := sc.Name
	rq, err := parseReviewQuery(r.URL.Query())
	if err != nil {
		apiError(w, r, err)
		return
	}
	b, err := h.data.worklistJSON(r.Context(), sc, r.URL.Query().Get("at"), rq)
	if err != nil {
		apiError(w, r, err)
		return
	}
	recordAction(r, "api review worklist", name)
	writeEncoded(w, r, b, nil)
}

func (h *apiHandlers) market(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	region, err := marketRegionQuery(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	res, err := h.data.market(r.Context(), u, region, r.URL.Query().Get("at"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, res)
}

func (h *apiHandlers) audit(w http.ResponseWriter, r *http.Request) {
	evs, err := h.data.audit(r)
	if err != nil {
		apiError(w, r, err)
		return
	}
	out := make([]auditEventJSON, len(evs))
	for i, e := range evs {
		out[i] = auditEventJSON{ID: e.ID, At: e.At.UTC(), Actor: e.Actor, Action: e.Action, Council: e.Council, Councils: e.Councils, Detail: e.Detail}
		if out[i].Councils == nil {
			out[i].Councils = []string{}
		}
	}
	writeJSON(w, r, map[string]any{"events": out})
}
