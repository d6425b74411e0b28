package web

import (
	"net/http"
	"strings"

	"sufficiency/care"
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
	c, err := h.data.councilScope(r.Context(), r.PathValue("code"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	res, _, err := h.data.picture(r.Context(), c.Name, []string{c.Code}, r.URL.Query().Get("at"), !u.CanSeeCouncil(c.Code))
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, res)
}

func (h *apiHandlers) regionPicture(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	name, codes, err := h.data.regionScope(r.Context(), r.PathValue("name"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	res, _, err := h.data.picture(r.Context(), name, codes, r.URL.Query().Get("at"), !u.CanSeeRegion(name))
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, res)
}

func (h *apiHandlers) englandPicture(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	codes, err := h.data.englandScope(r.Context())
	if err != nil {
		apiError(w, r, err)
		return
	}
	res, _, err := h.data.picture(r.Context(), "England", codes, r.URL.Query().Get("at"), !u.IsAdmin())
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, res)
}

func (h *apiHandlers) review(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	c, ok := refdata.CouncilByCode(r.PathValue("code"))
	if !ok {
		apiError(w, r, care.Errorf(care.ENOTFOUND, "no council %q", r.PathValue("code")))
		return
	}
	if !u.CanSeeCouncil(c.Code) {
		apiError(w, r, forbidden("the review worklist of "+c.Name))
		return
	}
	if _, err := h.data.councilScope(r.Context(), c.Code); err != nil {
		apiError(w, r, err)
		return
	}
	h.worklist(w, r, c.Name, []string{c.Code})
}

func (h *apiHandlers) regionReview(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	name, codes, err := h.data.regionScope(r.Context(), r.PathValue("name"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	if !u.CanSeeRegion(name) {
		apiError(w, r, forbidden("the review worklist of "+name))
		return
	}
	h.worklist(w, r, name, codes)
}

// worklist answers the review worklist of the councils, filtered and sorted
// by the query as the page is.
func (h *apiHandlers) worklist(w http.ResponseWriter, r *http.Request, name string, codes []string) {
	rq, err := parseReviewQuery(r.URL.Query())
	if err != nil {
		apiError(w, r, err)
		return
	}
	res, err := h.data.worklist(r.Context(), name, codes, r.URL.Query().Get("at"))
	if err != nil {
		apiError(w, r, err)
		return
	}
	recordAction(r, "api review worklist", name)
	writeJSON(w, r, reviewResponse(name, res, rq))
}

func (h *apiHandlers) market(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	region := ""
	if q := r.URL.Query().Get("region"); q != "" {
		cs, err := refdata.CouncilsInRegion(q)
		if err != nil || len(cs) == 0 {
			apiError(w, r, care.Errorf(care.ENOTFOUND, "no region %q: use one of %s", q, strings.Join(refdata.Regions(), ", ")))
			return
		}
		region = cs[0].Region
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
