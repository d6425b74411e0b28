package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/ingest"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/ssda903/rules"
	"sufficiency/store"
	"sufficiency/tabular"
)

// Imports in the browser: the user uploads a council's SSDA903 files (CSV
// or XML, several years at once); they are staged in the database
// (store.UploadStore), so any app server sharing it can go on, and checked
// exactly as `sufficiency import` would check them (ingest.Run with Check,
// on a temporary copy of the files); the user reads the findings by rule
// code, then imports (with the errors accepted, if any) or cancels, which
// deletes the files. Staged uploads are the uploader's only and are deleted
// after an hour.

// maxUploadBytes bounds an upload (a large council's returns, several years).
const maxUploadBytes = 256 << 20

// stagingTTL is how long an upload waits for its user's decision.
const stagingTTL = time.Hour

// staged is an upload as the pages show it.
type staged struct {
	User    string
	Council string
	Year    int
	At      time.Time
	Files   []string
}

// stagedOf is the upload u as the pages show it.
func stagedOf(u store.Upload) staged {
	return staged{User: u.User, Council: u.Council, Year: u.Year, At: u.At, Files: u.Files}
}

// uploadStore is the database's staging of uploads (both stores have it).
func uploadStore(st store.Store) (store.UploadStore, error) {
	us, ok := st.(store.UploadStore)
	if !ok {
		return nil, care.Errorf(care.EINTERNAL, "this database cannot stage uploads: import the files with `sufficiency import`")
	}
	return us, nil
}

// stageToken checks the form of upload token: ENOTFOUND when malformed.
func stageToken(token string) (string, error) {
	if len(token) != 32 || strings.Trim(token, "0123456789abcdef") != "" {
		return "", care.Errorf(care.ENOTFOUND, "no upload %q: it may have been imported, cancelled or expired (uploads are kept for an hour)", token)
	}
	return token, nil
}

// loadStaged reads upload token: ENOTFOUND unless it is u's, staged less
// than stagingTTL ago and not yet imported.
func loadStaged(ctx context.Context, st store.Store, u identity.User, token string) (staged, store.UploadStore, error) {
	us, err := uploadStore(st)
	if err != nil {
		return staged{}, nil, err
	}
	if _, err := stageToken(token); err != nil {
		return staged{}, nil, err
	}
	up, _, err := us.UploadOf(ctx, token)
	if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
		return staged{}, nil, err
	}
	if err != nil || up.User != u.Name || up.Spent || time.Since(up.At) > stagingTTL {
		return staged{}, nil, care.Errorf(care.ENOTFOUND, "no upload %q: it may have been imported, cancelled or expired (uploads are kept for an hour)", token)
	}
	return stagedOf(up), us, nil
}

// materialise writes the files of upload token into a new temporary folder,
// under their staged names, for ingest to read; the caller removes it.
func materialise(ctx context.Context, us store.UploadStore, token string, s staged) (string, error) {
	files, err := us.UploadFiles(ctx, token)
	if err != nil {
		return "", err
	}
	if len(files) != len(s.Files) {
		return "", care.Errorf(care.ENOTFOUND, "no upload %q: it may have been imported, cancelled or expired (uploads are kept for an hour)", token)
	}
	dir, err := os.MkdirTemp("", "sufficiency-upload-")
	if err != nil {
		return "", care.WrapError(care.EINTERNAL, err, "a folder to read the upload in")
	}
	for _, f := range files {
		if !filepath.IsLocal(f.Name) {
			_ = os.RemoveAll(dir)
			return "", care.Errorf(care.EINTERNAL, "upload %s: a file named %q", token, f.Name)
		}
		path := filepath.Join(dir, f.Name)
		err := os.MkdirAll(filepath.Dir(path), 0o700)
		if err == nil {
			err = os.WriteFile(path, f.Data, 0o600)
		}
		if err != nil {
			_ = os.RemoveAll(dir)
			return "", care.WrapError(care.EINTERNAL, err, "copy the upload to read it")
		}
	}
	return dir, nil
}

// canImport reports whether u may import returns of council code.
func canImport(u identity.User, code string) bool {
	return u.Role != identity.RoleProvider && u.CanSeeCouncil(code)
}

// stageUpload stages the multipart form's files in the database.
func stageUpload(st store.Store, u identity.User, r *http.Request) (staged, string, error) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return staged{}, "", care.Errorf(care.EINVALID, "the upload could not be read (%v): choose the files again; at most %d MB at once", err, maxUploadBytes>>20)
	}
	c, ok := refdata.CouncilByCode(r.FormValue("council"))
	if !ok {
		return staged{}, "", care.Errorf(care.EINVALID, "choose the council the files belong to")
	}
	if !canImport(u, c.Code) {
		return staged{}, "", forbidden("importing returns of " + c.Name)
	}
	s := staged{User: u.Name, Council: c.Code, At: time.Now().UTC()}
	if y := strings.TrimSpace(r.FormValue("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return staged{}, "", care.Errorf(care.EINVALID, "collection year %q: give the year it ends, e.g. 2025 for 2024/25, or leave it blank to read it from the files", y)
		}
		s.Year = n
	}
	files := r.MultipartForm.File["files"]
	if len(files)+len(r.MultipartForm.File["folder"]) == 0 {
		return staged{}, "", care.Errorf(care.EINVALID, "choose the SSDA903 files to upload (CSV tables or the XML return)")
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return staged{}, "", care.WrapError(care.EINTERNAL, err, "upload token")
	}
	token := hex.EncodeToString(raw[:])
	used := map[string]bool{}
	var kept []store.UploadFile
	for i, fh := range append(files, r.MultipartForm.File["folder"]...) {
		name := stagedName(fh.Filename, i, used)
		data, err := readUpload(fh)
		if err != nil {
			return staged{}, "", err
		}
		kept = append(kept, store.UploadFile{Name: name, Data: data})
		s.Files = append(s.Files, name)
	}
	us, err := uploadStore(st)
	if err != nil {
		return staged{}, "", err
	}
	up := store.Upload{Token: token, User: s.User, Council: s.Council, Year: s.Year, At: s.At, Files: s.Files}
	if err := us.StageUpload(r.Context(), up, kept, time.Now().Add(-stagingTTL)); err != nil {
		return staged{}, "", err
	}
	return s, token, nil
}

// stagedName is where an uploaded file is kept, relative to the staging
// folder: its folders as the browser gave them (a folder upload sends
// "2024/episodes.csv", and the folder names the collection year), each part
// made safe; a file given without folders goes to the first "set-N" folder
// not yet holding a file of its name, so two years' files of the same names
// are read as two returns (each year told from its dates).
func stagedName(given string, i int, used map[string]bool) string {
	parts := strings.Split(strings.ReplaceAll(given, "\\", "/"), "/")
	var keep []string
	for _, p := range parts {
		if p == "" || p == "." || p == ".." {
			continue
		}
		keep = append(keep, safeName(p, -1))
	}
	if len(keep) == 0 {
		keep = []string{"file"}
	}
	base := keep[len(keep)-1]
	if len(keep) > 1 {
		name := filepath.Join(keep[max(0, len(keep)-3):]...)
		for n := 2; used[name]; n++ {
			name = filepath.Join(filepath.Dir(name), fmt.Sprintf("%d-%s", n, base))
		}
		used[name] = true
		return name
	}
	for n := 1; ; n++ {
		name := filepath.Join(fmt.Sprintf("set-%d", n), base)
		if !used[name] {
			used[name] = true
			return name
		}
	}
}

// safeName keeps a file's base name of letters, digits, dots, dashes and
// underscores (others become _), prefixed with its position.
func safeName(name string, i int) string {
	base := filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	b := []byte(base)
	for k, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[k] = '_'
		}
	}
	s := strings.TrimLeft(string(b), ".")
	if s == "" || s == "upload.json" {
		s = "file"
	}
	if i < 0 {
		return s
	}
	return fmt.Sprintf("%02d-%s", i+1, s)
}

// readUpload reads one uploaded file.
func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	in, err := fh.Open()
	if err != nil {
		return nil, care.WrapError(care.EINVALID, err, "the upload of %s could not be read: choose it again", fh.Filename)
	}
	defer in.Close()
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, care.WrapError(care.EINVALID, err, "the upload of %s was cut short: choose it again", fh.Filename)
	}
	return b, nil
}

// ingestOptions are the import's options, the CLI's: the same reference data.
func ingestOptions(s staged, u identity.User, check, accept bool) ingest.Options {
	return ingest.Options{Council: s.Council, Year: s.Year, AcceptErrors: accept, Actor: u.Name, Check: check,
		Rules: rules.Options{CouncilKnown: func(code string) bool { _, ok := refdata.CouncilByCode(code); return ok }}}
}

// stagedPaths are the staged files of dir.
func stagedPaths(s staged, dir string) []string {
	var out []string
	for _, f := range s.Files {
		out = append(out, filepath.Join(dir, f))
	}
	return out
}

// ruleGroup is the findings of one rule code.
type ruleGroup struct {
	Code, Severity, Description string
	Count                       int
	Rows                        []ssda903.Finding
}

// groupFindings groups findings by rule code, errors first, then by count.
func groupFindings(fs []ssda903.Finding, perRule int) []ruleGroup {
	by := map[string]*ruleGroup{}
	var order []*ruleGroup
	for _, f := range fs {
		g := by[f.RuleCode+"|"+string(f.Severity)]
		if g == nil {
			g = &ruleGroup{Code: f.RuleCode, Severity: string(f.Severity)}
			if info, ok := rules.Lookup(f.RuleCode); ok {
				g.Description = info.Description
			}
			by[f.RuleCode+"|"+string(f.Severity)] = g
			order = append(order, g)
		}
		g.Count += f.Count()
		if f.More == 0 && len(g.Rows) < perRule {
			g.Rows = append(g.Rows, f)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].Severity != order[j].Severity {
			return order[i].Severity == string(ssda903.SeverityError)
		}
		return order[i].Count > order[j].Count
	})
	out := make([]ruleGroup, len(order))
	for i, g := range order {
		out[i] = *g
	}
	return out
}

// findingsTable is every finding as a table (for download).
func findingsTable(fs []ssda903.Finding) tabular.Table {
	t := tabular.Table{Title: "Validation findings", Columns: []tabular.Column{{Name: "Severity"}, {Name: "Rule"}, {Name: "Year"}, {Name: "File"}, {Name: "Line", Kind: tabular.Count},
		{Name: "Child"}, {Name: "Columns"}, {Name: "Value"}, {Name: "Message"}, {Name: "Further rows not listed", Kind: tabular.Count}}}
	for _, f := range fs {
		var line, more any
		if f.Line > 0 {
			line = f.Line
		}
		if f.More > 0 {
			more = f.More
		}
		t.AddRow(string(f.Severity), f.RuleCode, care.YearLabel(f.Year), filepath.Base(f.File), line, f.Child, strings.Join(f.Columns, ", "), f.Value, f.Message, more)
	}
	return t
}

// importsView is the imports page and an upload's check.
type importsView struct {
	Councils []choice
	Past     []pastImport
	// An upload being checked.
	Token                  string
	Upload                 *staged
	CouncilName            string
	Years                  []int
	Errors, Warnings       int
	Groups                 []ruleGroup
	PreviousFromStore      []int
	LeftOut                []store.LeftOut
	Imported               *ingest.Result
	ImportedAt, ImportedBy string
}

type pastImport struct {
	store.ImportRecord
	Name string
}

// importChoices are the councils u may import, with the user's own first.
func (h *pageHandlers) importChoices(u identity.User, selected string) []choice {
	var out []choice
	for _, c := range refdata.Councils() {
		if canImport(u, c.Code) {
			out = append(out, choice{Value: c.Code, Text: c.Name, Selected: c.Code == selected})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Text < out[j].Text })
	return out
}

// pastImports lists the imports of the councils u may import, newest first.
func (h *pageHandlers) pastImports(ctx context.Context, u identity.User) ([]pastImport, error) {
	sums, err := h.data.st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	var out []pastImport
	for _, s := range sums {
		if !canImport(u, s.Council) {
			continue
		}
		recs, err := h.data.st.Imports(ctx, s.Council)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			out = append(out, pastImport{ImportRecord: rec, Name: scopeName(rec.Council)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

func (h *pageHandlers) importsPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if u.Role == identity.RoleProvider {
		pageError(h.render, w, r, forbidden("importing returns"))
		return
	}
	past, err := h.pastImports(r.Context(), u)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	sel := u.Council
	h.render(w, r, 0, "imports", pageData{Title: "Import SSDA903 returns", Breadcrumbs: []link{{"/", "Home"}},
		Data: importsView{Councils: h.importChoices(u, sel), Past: past}})
}

// upload stages the files and shows what checking them found.
func (h *pageHandlers) upload(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	s, token, err := stageUpload(h.data.st, u, r)
	if err != nil {
		if care.ErrorCode(err) == care.EINVALID {
			past, _ := h.pastImports(r.Context(), u)
			h.render(w, r, http.StatusBadRequest, "imports", pageData{Title: "Import SSDA903 returns", Breadcrumbs: []link{{"/", "Home"}}, Message: publicMessage(err),
				Data: importsView{Councils: h.importChoices(u, r.FormValue("council")), Past: past}})
			return
		}
		pageError(h.render, w, r, err)
		return
	}
	recordAction(r, "upload returns", fmt.Sprintf("%d file(s) for %s", len(s.Files), s.Council))
	http.Redirect(w, r, "/imports/"+token, http.StatusSeeOther)
}

// checkPage checks upload token as an import would and shows the findings.
func (h *pageHandlers) checkPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	s, us, err := loadStaged(r.Context(), h.data.st, u, r.PathValue("token"))
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	dir, err := materialise(r.Context(), us, r.PathValue("token"), s)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	res, err := ingest.Run(store.WithActor(r.Context(), u.Name), h.data.st, stagedPaths(s, dir), ingestOptions(s, u, true, false))
	_ = os.RemoveAll(dir)
	if err != nil && care.ErrorCode(err) != care.EINVALID && care.ErrorCode(err) != care.EUNUSABLE {
		pageError(h.render, w, r, err)
		return
	}
	v := importsView{Token: r.PathValue("token"), Upload: &s, CouncilName: scopeName(s.Council), Years: res.Years, Errors: res.Errors, Warnings: res.Warnings,
		Groups: groupFindings(res.Findings, 20), PreviousFromStore: res.PreviousFromStore, LeftOut: res.LeftOut}
	msg := ""
	if err != nil {
		msg = publicMessage(err)
	} else if r.URL.Query().Get("refused") != "" {
		msg = "Nothing was imported: the files have errors. Tick “Import despite the errors” to import what can be read, or fix the files and upload them again."
	}
	h.render(w, r, 0, "importcheck", pageData{Title: "Check the files before importing", Caption: v.CouncilName, Message: msg,
		Breadcrumbs: []link{{"/", "Home"}, {"/imports", "Imports"}}, Data: v, Download: []tabular.Table{findingsTable(res.Findings)}})
}

// decide imports upload token (POST action=import, accept=yes to import
// despite errors) or cancels it (action=cancel), deleting the files either way.
func (h *pageHandlers) decide(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	token := r.PathValue("token")
	s, us, err := loadStaged(r.Context(), h.data.st, u, token)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	switch r.PostFormValue("action") {
	case "cancel":
		if err := us.DeleteUpload(r.Context(), token); err != nil {
			pageError(h.render, w, r, err)
			return
		}
		recordAction(r, "cancel upload", s.Council)
		http.Redirect(w, r, "/imports", http.StatusSeeOther)
		return
	case "import":
	default:
		pageError(h.render, w, r, care.Errorf(care.EINVALID, "choose Import or Cancel"))
		return
	}
	if !canImport(u, s.Council) {
		pageError(h.render, w, r, forbidden("importing returns of "+scopeName(s.Council)))
		return
	}
	// The import runs in the background; its progress page shows how far
	// it has got, then the result (web/importjobs.go). With errors not
	// accepted it leads back to the findings, nothing imported.
	if err := startImport(us, userView{u.ID, u.Name}, token, s, h.data.st, ingestOptions(s, u, false, r.PostFormValue("accept") == "yes")); err != nil {
		pageError(h.render, w, r, err)
		return
	}
	recordAction(r, "import returns", fmt.Sprintf("%d file(s) of %s", len(s.Files), s.Council))
	http.Redirect(w, r, "/imports/jobs/"+token, http.StatusSeeOther)
}

// findingsPage shows the validation findings recorded with a past import
// (GET /imports/past/{id}), grouped by rule as before an import. The
// reading is audited by the store (findings name children).
func (h *pageHandlers) findingsPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		pageError(h.render, w, r, care.Errorf(care.ENOTFOUND, "no import %q", r.PathValue("id")))
		return
	}
	past, err := h.pastImports(r.Context(), u)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	var rec *pastImport
	for i := range past {
		if past[i].ID == id {
			rec = &past[i]
		}
	}
	if rec == nil {
		pageError(h.render, w, r, care.Errorf(care.ENOTFOUND, "no import %d of a council you can see", id))
		return
	}
	fs, err := h.data.st.Findings(store.WithActor(r.Context(), u.Name), id)
	if err != nil {
		pageError(h.render, w, r, err)
		return
	}
	recordAction(r, "view findings", fmt.Sprintf("import %d of %s", id, rec.Council))
	v := importsView{CouncilName: rec.Name, Years: rec.Years, Errors: rec.Errors, Warnings: rec.Warnings, Groups: groupFindings(fs, 20), LeftOut: rec.LeftOut,
		Upload: &staged{Council: rec.Council, Files: fileNames(rec.Files)}}
	h.render(w, r, 0, "importcheck", pageData{Title: fmt.Sprintf("Findings of import %d", id), Caption: rec.Name + ", imported " + formatDateTime(rec.At) + " by " + rec.Actor,
		Breadcrumbs: []link{{"/", "Home"}, {"/imports", "Imports"}}, Data: v, Download: []tabular.Table{findingsTable(fs)}})
}

// fileNames are the base names of an import's files.
func fileNames(fs []store.File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, filepath.Base(f.Path))
	}
	return out
}

// PastImport is one import as the API lists it.
type PastImport struct {
	ID       int64  `json:"id"`
	Council  string `json:"council"`
	Name     string `json:"name"`
	Years    []int  `json:"years"`
	At       string `json:"at"` // RFC 3339, UTC
	By       string `json:"by"`
	Children int    `json:"children"`
	Episodes int    `json:"episodes"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
}

// imports answers the past imports of the councils the caller may import.
func (h *apiHandlers) imports(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	ph := &pageHandlers{data: h.data}
	past, err := ph.pastImports(r.Context(), u)
	if err != nil {
		apiError(w, r, err)
		return
	}
	out := []PastImport{}
	for _, p := range past {
		years := p.Years
		if years == nil {
			years = []int{}
		}
		out = append(out, PastImport{ID: p.ID, Council: p.Council, Name: p.Name, Years: years, At: p.At.UTC().Format(time.RFC3339), By: p.Actor,
			Children: p.Children, Episodes: p.Episodes, Errors: p.Errors, Warnings: p.Warnings})
	}
	writeJSON(w, r, map[string]any{"imports": out})
}
