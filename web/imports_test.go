package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/synth"
)

// uploadForm builds a multipart upload of the files in dir for council.
func uploadForm(t *testing.T, council string, dirs ...string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("council", council)
	for _, dir := range dirs {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			fw, err := mw.CreateFormFile("files", filepath.Join(filepath.Base(dir), e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(b)
		}
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// TestImportInTheBrowser: a council user uploads two years of a return,
// sees the findings by rule before anything is written, imports, and the
// council's data changes; a cancelled upload is deleted; another user
// cannot reach someone else's upload; a council user cannot upload for
// another council.
func TestImportInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a synthetic council")
	}
	f := newFixture(t)
	hart := f.login(t, "hart")
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), synth.Config{Out: dir, Councils: []string{hartlepool}, From: 2023, To: 2024, Seed: 9, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	years := []string{filepath.Join(dir, hartlepool, "2023"), filepath.Join(dir, hartlepool, "2024")}
	post := func(c *http.Cookie, body *bytes.Buffer, ctype, target string) *http.Response {
		return f.do(t, "POST", target, body, func(r *http.Request) { r.AddCookie(c); r.Header.Set("Content-Type", ctype) }).Result()
	}
	before, _ := f.db.Councils(context.Background())

	body, ctype := uploadForm(t, middlesbrough, years...)
	if res := post(hart, body, ctype, "/imports"); res.StatusCode != 403 {
		t.Errorf("upload for another council: status %d, want 403", res.StatusCode)
	}
	body, ctype = uploadForm(t, hartlepool, years...)
	res := post(hart, body, ctype, "/imports")
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/imports/") {
		t.Fatalf("upload: status %d to %q", res.StatusCode, loc)
	}
	check := f.do(t, "GET", loc, nil, withCookie(hart))
	page := check.Body.String()
	if check.Code != 200 || !strings.Contains(page, "Findings by rule") || !strings.Contains(page, "Import</button>") {
		i := strings.Index(page, "<main")
		t.Fatalf("check page: %d\n%.3000s", check.Code, page[max(i, 0):])
	}
	// Nothing is written by the check.
	after, _ := f.db.Councils(context.Background())
	if len(after) != len(before) || after[0].Imports != before[0].Imports {
		t.Fatalf("the check wrote to the store: %+v then %+v", before, after)
	}
	// Someone else's upload is not found.
	ne := f.login(t, "ne-rcc")
	if w := f.do(t, "GET", loc, nil, withCookie(ne)); w.Code != 404 {
		t.Errorf("another user's upload: status %d, want 404", w.Code)
	}
	form := url.Values{"action": {"import"}, "accept": {"yes"}}
	started := f.do(t, "POST", loc, strings.NewReader(form.Encode()), withCookie(hart))
	if started.Code != http.StatusSeeOther || started.Header().Get("Location") != strings.Replace(loc, "/imports/", "/imports/jobs/", 1) {
		t.Fatalf("import: %d to %q, want 303 to the progress page", started.Code, started.Header().Get("Location"))
	}
	// The progress page is the starter's only; it shows the stage and asks
	// to be looked at again until the import is done, then the result.
	if w := f.do(t, "GET", strings.Replace(loc, "/imports/", "/imports/jobs/", 1), nil, withCookie(ne)); w.Code != 404 {
		t.Errorf("another user's import progress: %d, want 404", w.Code)
	}
	var done *httptest.ResponseRecorder
	for deadline := time.Now().Add(2 * time.Minute); ; {
		done = f.do(t, "GET", strings.Replace(loc, "/imports/", "/imports/jobs/", 1), nil, withCookie(hart))
		if done.Code != 200 {
			t.Fatalf("progress: %d\n%.2000s", done.Code, done.Body.String())
		}
		if done.Header().Get("Refresh") == "" {
			break
		}
		if !strings.Contains(done.Body.String(), `<progress id="import-progress"`) {
			t.Fatalf("a running import without a progress bar:\n%.2000s", done.Body.String())
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not finish in 2 minutes")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(done.Body.String(), "Returns imported") {
		t.Fatalf("import result:\n%.2000s", done.Body.String())
	}
	after, _ = f.db.Councils(context.Background())
	var hartNow store.CouncilSummary
	for _, s := range after {
		if s.Council == hartlepool {
			hartNow = s
		}
	}
	if hartNow.Imports != before[0].Imports+1 {
		t.Errorf("imports of Hartlepool %d, want %d", hartNow.Imports, before[0].Imports+1)
	}
	// The staged files are gone: the upload cannot be imported twice.
	if w := f.do(t, "GET", loc, nil, withCookie(hart)); w.Code != 404 {
		t.Errorf("the upload after import: status %d, want 404", w.Code)
	}
	// Cancel deletes.
	body, ctype = uploadForm(t, hartlepool, years[0])
	loc = post(hart, body, ctype, "/imports").Header.Get("Location")
	if w := f.do(t, "POST", loc, strings.NewReader("action=cancel"), withCookie(hart)); w.Code != http.StatusSeeOther {
		t.Errorf("cancel: status %d", w.Code)
	}
	if _, _, err := f.db.UploadOf(context.Background(), strings.TrimPrefix(loc, "/imports/")); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("cancelled upload still staged: %v", err)
	}
	// The list shows the import, linked to its recorded findings.
	list := f.do(t, "GET", "/imports", nil, withCookie(hart)).Body.String()
	if !strings.Contains(list, ">hart<") {
		t.Errorf("past imports do not list hart's import")
	}
	id := fmt.Sprint(hartNow.LastImportID)
	if !strings.Contains(list, `href="/imports/past/`+id+`"`) {
		t.Fatalf("no link to the findings of import %s", id)
	}
	fw := f.do(t, "GET", "/imports/past/"+id, nil, withCookie(hart))
	if fw.Code != 200 || !strings.Contains(fw.Body.String(), "Findings by rule") || strings.Contains(fw.Body.String(), `value="import"`) {
		t.Errorf("findings of import %s: %d", id, fw.Code)
	}
	// Another region's analyst may not read them.
	nw := f.login(t, "nw-rcc")
	if w := f.do(t, "GET", "/imports/past/"+id, nil, withCookie(nw)); w.Code != 404 {
		t.Errorf("another region's user: findings status %d, want 404", w.Code)
	}
}

func TestStagedName(t *testing.T) {
	used := map[string]bool{}
	for _, c := range [][2]string{
		{"episodes.csv", "set-1/episodes.csv"}, {"header.csv", "set-1/header.csv"}, {"episodes.csv", "set-2/episodes.csv"},
		{"2024/episodes.csv", "2024/episodes.csv"}, {"903/2025/Header.csv", "903/2025/Header.csv"}, {"../../../etc/2024/x.csv", "etc/2024/x.csv"},
		{`C:\returns\2023\episodes.csv`, "returns/2023/episodes.csv"}, {"2024/episodes.csv", "2024/2-episodes.csv"},
	} {
		if got := stagedName(c[0], 0, used); got != c[1] {
			t.Errorf("stagedName(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{"episodes.csv": "01-episodes.csv", "../../etc/passwd": "01-passwd", `C:\903\Header 2024.csv`: "01-Header_2024.csv", "upload.json": "01-file", "..": "01-file"} {
		if got := safeName(in, 0); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}
