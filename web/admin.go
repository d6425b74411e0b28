package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/refdata"
)

// User administration in the browser and the API, for administrators: the
// users with their roles and scopes (council, RCC region, provider
// organisation), adding a user, disabling and enabling, setting a password
// (which ends the user's sessions), ending sessions and revoking API tokens.
// auth.Permit(ActAdminister) decides, as for the CLI's verbs; the store
// records every change in the audit log.

// adminStore is what the admin pages need of the store.
type adminStore interface {
	identity.Store
	identity.AdminStore
}

// admin serves the user administration pages and API.
type admin struct {
	st     adminStore // nil when the store cannot administer users
	render renderFunc
}

func (s *Server) admin() *admin {
	st, _ := s.cfg.Store.(adminStore)
	return &admin{st: st, render: s.render}
}

// check returns the store when u may administer users.
func (a *admin) check(u identity.User) (adminStore, error) {
	if err := auth.Permit(u, auth.ActAdminister, auth.Resource{What: "users"}); err != nil {
		return nil, err
	}
	if a.st == nil {
		return nil, care.Errorf(care.EUNUSABLE, "this database cannot administer users")
	}
	return a.st, nil
}

// userRow is one user as the admin page lists them.
type userRow struct {
	identity.User
	Sessions []identity.SessionInfo
	Tokens   []identity.TokenInfo
}

// adminPage is the view data of the users page.
type adminPage struct {
	Users   []userRow
	Notice  string
	Errors  formErrors
	New     newUserForm
	Regions []string
	Roles   []string
	Self    string
}

// newUserForm is the add-a-user form as typed.
type newUserForm struct {
	Name, Role, Council, Region, Provider string
}

func (a *admin) users(ctx context.Context, st adminStore) ([]userRow, error) {
	us, err := st.Users(ctx)
	if err != nil {
		return nil, err
	}
	ss, err := st.Sessions(ctx, "")
	if err != nil {
		return nil, err
	}
	ts, err := st.APITokens(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]userRow, len(us))
	idx := map[string]int{}
	for i, u := range us {
		u.PasswordHash = ""
		out[i] = userRow{User: u}
		idx[strings.ToLower(u.Name)] = i
	}
	for _, s := range ss {
		if i, ok := idx[strings.ToLower(s.User)]; ok {
			out[i].Sessions = append(out[i].Sessions, s)
		}
	}
	for _, t := range ts {
		if i, ok := idx[strings.ToLower(t.User)]; ok {
			out[i].Tokens = append(out[i].Tokens, t)
		}
	}
	return out, nil
}

func (a *admin) page(w http.ResponseWriter, r *http.Request, code int, view adminPage) {
	u, _ := userFrom(r.Context())
	st, err := a.check(u)
	if err != nil {
		pageError(a.render, w, r, err)
		return
	}
	if view.Users, err = a.users(r.Context(), st); err != nil {
		pageError(a.render, w, r, err)
		return
	}
	view.Regions, view.Self = refdata.Regions(), u.Name
	view.Roles = []string{string(identity.RoleCouncil), string(identity.RoleRCC), string(identity.RoleProvider), string(identity.RoleAdmin)}
	a.render(w, r, code, "admin_users", pageData{Title: "Users", Error: len(view.Errors) > 0, Breadcrumbs: []link{{"/", "Home"}}, Data: view})
}

func (a *admin) usersPage(w http.ResponseWriter, r *http.Request) {
	a.page(w, r, 0, adminPage{Notice: r.URL.Query().Get("done"), New: newUserForm{Role: "council"}})
}

// act runs one change as the signed-in administrator.
func (a *admin) act(r *http.Request, fn func(ctx context.Context, st adminStore, self identity.User) (string, error)) (string, error) {
	u, _ := userFrom(r.Context())
	st, err := a.check(u)
	if err != nil {
		return "", err
	}
	return fn(r.Context(), st, u)
}

func setDisabled(name string, disabled bool) func(context.Context, adminStore, identity.User) (string, error) {
	return func(ctx context.Context, st adminStore, self identity.User) (string, error) {
		if disabled && strings.EqualFold(name, self.Name) {
			return "", care.Errorf(care.ECONFLICT, "you cannot disable your own account: ask another administrator")
		}
		u, err := st.SetDisabled(ctx, name, disabled)
		if err != nil {
			return "", err
		}
		if u.Disabled {
			return u.Name + " is disabled: their sessions have ended and their API tokens no longer work.", nil
		}
		return u.Name + " is enabled.", nil
	}
}

// redirectDone sends the browser back to the users page with a notice.
func redirectDone(w http.ResponseWriter, r *http.Request, msg string) {
	http.Redirect(w, r, "/admin/users?done="+url.QueryEscape(msg), http.StatusSeeOther)
}

func (a *admin) disablePage(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		msg, err := a.act(r, setDisabled(r.PathValue("name"), disabled))
		if err != nil {
			pageError(a.render, w, r, err)
			return
		}
		redirectDone(w, r, msg)
	}
}

func (a *admin) passwordPage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		pageError(a.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
		return
	}
	name := r.PathValue("name")
	msg, err := a.act(r, func(ctx context.Context, st adminStore, _ identity.User) (string, error) {
		n, err := auth.ChangePassword(ctx, st, name, r.PostForm.Get("new_password"))
		if err != nil {
			return "", err
		}
		return "The password of " + name + " is changed; " + itoa(n) + " session(s) ended.", nil
	})
	if care.ErrorCode(err) == care.EINVALID {
		a.page(w, r, http.StatusUnprocessableEntity, adminPage{Errors: formErrors{{"password-" + name, "The new password must have 12 to 128 characters"}}, New: newUserForm{Role: "council"}})
		return
	}
	if err != nil {
		pageError(a.render, w, r, err)
		return
	}
	redirectDone(w, r, msg)
}

func itoa(n int) string {
	return strings.TrimSpace(formatNumber(n, 0))
}

func (a *admin) endSessionPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	msg, err := a.act(r, func(ctx context.Context, st adminStore, _ identity.User) (string, error) {
		return "Session " + id + " ended.", st.EndSession(ctx, id)
	})
	if err != nil {
		pageError(a.render, w, r, err)
		return
	}
	redirectDone(w, r, msg)
}

func (a *admin) revokeTokenPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	msg, err := a.act(r, func(ctx context.Context, st adminStore, _ identity.User) (string, error) {
		return "API token " + id + " revoked.", st.RevokeAPIToken(ctx, id)
	})
	if err != nil {
		pageError(a.render, w, r, err)
		return
	}
	redirectDone(w, r, msg)
}

// createUser adds a user with a password; errors name the field.
func createUser(ctx context.Context, st adminStore, f newUserForm, password string) (identity.User, formErrors, error) {
	var fe formErrors
	role, err := identity.ParseRole(f.Role)
	if err != nil {
		fe = append(fe, fieldError{"new-role", "Select the user's role"})
	}
	u := identity.User{Name: strings.TrimSpace(f.Name), Role: role}
	switch role {
	case identity.RoleCouncil:
		if c, ok := refdata.CouncilByCode(strings.TrimSpace(f.Council)); ok {
			u.Council = c.Code
		} else {
			fe = append(fe, fieldError{"new-council", "Enter the council's ONS code (such as E06000001) or name"})
		}
	case identity.RoleRCC:
		u.Region = f.Region
	case identity.RoleProvider:
		u.Provider = strings.TrimSpace(f.Provider)
	}
	var ferr *identity.FieldError
	if err := u.Validate(); errors.As(err, &ferr) && len(fe) == 0 {
		fe = append(fe, fieldError{"new-" + ferr.Field, ferr.Message})
	}
	if h, err := auth.HashPassword(password); err != nil {
		fe = append(fe, fieldError{"new-password", "The password must have 12 to 128 characters"})
	} else {
		u.PasswordHash = h
	}
	if len(fe) > 0 {
		return u, fe, nil
	}
	u, err = st.CreateUser(ctx, u)
	if care.ErrorCode(err) == care.ECONFLICT {
		return u, formErrors{{"new-name", "A user called " + f.Name + " already exists: choose another name"}}, nil
	}
	return u, nil, err
}

func (a *admin) createPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	st, err := a.check(u)
	if err != nil {
		pageError(a.render, w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		pageError(a.render, w, r, care.Errorf(care.EINVALID, "the form could not be read"))
		return
	}
	f := newUserForm{Name: r.PostForm.Get("user_name"), Role: r.PostForm.Get("role"), Council: r.PostForm.Get("council_code"),
		Region: r.PostForm.Get("rcc_region"), Provider: r.PostForm.Get("provider")}
	nu, fe, err := createUser(r.Context(), st, f, r.PostForm.Get("new_password"))
	if err != nil {
		pageError(a.render, w, r, err)
		return
	}
	if len(fe) > 0 {
		a.page(w, r, http.StatusUnprocessableEntity, adminPage{Errors: fe, New: f})
		return
	}
	redirectDone(w, r, nu.Name+" added ("+string(nu.Role)+": "+nu.Scope()+").")
}

// API.

// UserAPI is a user as the admin API lists them (never a password hash).
type UserAPI struct {
	Name     string                 `json:"name"`
	Role     string                 `json:"role"`
	Council  string                 `json:"council,omitempty"`
	Region   string                 `json:"region,omitempty"`
	Provider string                 `json:"provider,omitempty"`
	Scope    string                 `json:"scope"`
	Disabled bool                   `json:"disabled"`
	Sessions []identity.SessionInfo `json:"sessions"`
	Tokens   []identity.TokenInfo   `json:"tokens"`
}

func userAPI(r userRow) UserAPI {
	out := UserAPI{Name: r.Name, Role: string(r.Role), Council: r.Council, Region: r.Region, Provider: r.Provider, Scope: r.Scope(),
		Disabled: r.Disabled, Sessions: r.Sessions, Tokens: r.Tokens}
	if out.Sessions == nil {
		out.Sessions = []identity.SessionInfo{}
	}
	if out.Tokens == nil {
		out.Tokens = []identity.TokenInfo{}
	}
	return out
}

func (a *admin) apiUsers(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	st, err := a.check(u)
	if err != nil {
		apiError(w, r, err)
		return
	}
	rows, err := a.users(r.Context(), st)
	if err != nil {
		apiError(w, r, err)
		return
	}
	out := make([]UserAPI, len(rows))
	for i, x := range rows {
		out[i] = userAPI(x)
	}
	writeJSON(w, r, map[string]any{"users": out})
}

func (a *admin) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	st, err := a.check(u)
	if err != nil {
		apiError(w, r, err)
		return
	}
	var body struct {
		Name     string `json:"name"`
		Role     string `json:"role"`
		Council  string `json:"council"`
		Region   string `json:"region"`
		Provider string `json:"provider"`
		Password string `json:"password"`
	}
	if err := readJSON(r, &body); err != nil {
		apiError(w, r, err)
		return
	}
	f := newUserForm{Name: body.Name, Role: body.Role, Council: body.Council, Region: body.Region, Provider: body.Provider}
	nu, fe, err := createUser(r.Context(), st, f, body.Password)
	if err == nil && len(fe) > 0 {
		err = care.Errorf(care.EINVALID, "%s: %s", strings.TrimPrefix(fe[0].Field, "new-"), fe[0].Message)
		if strings.Contains(fe[0].Message, "already exists") {
			err = care.Errorf(care.ECONFLICT, "%s", fe[0].Message)
		}
	}
	if err != nil {
		apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/admin/users")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(userAPI(userRow{User: nu}))
}

func (a *admin) apiDisable(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		msg, err := a.act(r, setDisabled(r.PathValue("name"), disabled))
		if err != nil {
			apiError(w, r, err)
			return
		}
		writeJSON(w, r, map[string]string{"result": msg})
	}
}

func (a *admin) apiPassword(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Password string `json:"password"`
	}
	if err := readJSON(r, &body); err != nil {
		apiError(w, r, err)
		return
	}
	name := r.PathValue("name")
	msg, err := a.act(r, func(ctx context.Context, st adminStore, _ identity.User) (string, error) {
		n, err := auth.ChangePassword(ctx, st, name, body.Password)
		return "The password of " + name + " is changed; " + itoa(n) + " session(s) ended.", err
	})
	if err != nil {
		apiError(w, r, err)
		return
	}
	writeJSON(w, r, map[string]string{"result": msg})
}

func (a *admin) apiEndSession(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := a.act(r, func(ctx context.Context, st adminStore, _ identity.User) (string, error) {
		return "", st.EndSession(ctx, id)
	}); err != nil {
		apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *admin) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := a.act(r, func(ctx context.Context, st adminStore, _ identity.User) (string, error) {
		return "", st.RevokeAPIToken(ctx, id)
	}); err != nil {
		apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
