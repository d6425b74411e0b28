//go:build unix

package statement

import (
	"sufficiency/analysis"
	"sufficiency/internal/cdp"

	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// needTool finds a program the rendering tests need; without it they are
// skipped, except in CI (CI=true), where they fail.
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not installed in CI (.ci/run installs chromium and poppler-utils)", strings.Join(names, ", "))
	}
	t.Skipf("%s not installed: skipping", strings.Join(names, ", "))
	return ""
}

// TestPDFPrintsOnA4WithContentsAndPageNumbers prints the statement with
// Chromium, renders every page to PNG with poppler's pdftoppm, and reads
// the text back with pdftotext: A4 pages, one PNG per page, a contents
// page whose numbers are the pages each section starts on, and "Page N of
// M" on every page.
func TestPDFPrintsOnA4WithContentsAndPageNumbers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	needTool(t, cdp.Names...)
	pdftoppm, pdftotext, pdfinfo := needTool(t, "pdftoppm"), needTool(t, "pdftotext"), needTool(t, "pdfinfo")
	region := newFake(60)
	region.add("E08000021", "N", 70)
	sc, err := analysis.Resolve(context.Background(), region, analysis.ScopeSpec{Region: "North East"})
	if err != nil {
		t.Fatal(err)
	}
	ne, err := Build(context.Background(), region, sc, Options{Options: analysis.Options{At: "2025-03-31"}, InPlacers: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Report{buildFake(t, newFake(90), true), ne} {
		t.Run(r.Area, func(t *testing.T) { checkPDF(t, r, pdftoppm, pdftotext, pdfinfo) })
	}
}

func checkPDF(t *testing.T, r *Report, pdftoppm, pdftotext, pdfinfo string) {
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), &buf, r); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "s.pdf")
	if err := os.WriteFile(pdf, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command(pdfinfo, pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil || !strings.Contains(string(info), "(A4)") {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	if pages < len(r.Sections)+1 || pages > 60 {
		t.Errorf("%d pages for %d sections (each starts a page)", pages, len(r.Sections))
	}
	if out, err := exec.Command(pdftoppm, "-r", "20", "-png", pdf, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	if len(pngs) != pages {
		t.Errorf("pdftoppm rendered %d pages, pdfinfo says %d", len(pngs), pages)
	}
	for _, p := range pngs {
		if st, err := os.Stat(p); err != nil || st.Size() < 200 {
			t.Errorf("page image %s is empty", p)
		}
	}
	// The text of each page.
	text := make([]string, pages+1)
	for p := 1; p <= pages; p++ {
		out, err := exec.Command(pdftotext, "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		text[p] = string(out)
		if !strings.Contains(text[p], fmt.Sprintf("Page %d of %d", p, pages)) {
			t.Errorf("page %d has no \"Page %d of %d\" footer", p, p, pages)
		}
	}
	if !strings.Contains(text[1], "Contents") || !strings.Contains(text[1], "Sufficiency statement: "+r.Area) {
		t.Fatalf("page 1 is not the cover and contents:\n%s", text[1])
	}
	for _, s := range r.Sections {
		heading := fmt.Sprintf("%d. %s", s.Number, s.Title)
		line := regexp.MustCompile(regexp.QuoteMeta(heading) + `[\s.]*?(\d+)\s*$`)
		var listed int
		for _, l := range strings.Split(text[1], "\n") {
			if mm := line.FindStringSubmatch(strings.TrimRight(l, " ")); mm != nil {
				listed, _ = strconv.Atoi(mm[1])
			}
		}
		if listed < 2 || listed > pages {
			t.Errorf("contents gives no page for %q", heading)
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(text[listed]), heading) {
			t.Errorf("contents says %q starts on page %d, which begins %q", heading, listed, firstLine(text[listed]))
		}
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// TestHTMLPassesAxeInChromium loads the standalone HTML statement in
// headless Chromium and runs axe-core (vendored for the web app's tests,
// web/testdata/axe) against WCAG 2 A and AA: no violations.
func TestHTMLPassesAxeInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	needTool(t, cdp.Names...)
	axe, err := os.ReadFile(filepath.Join("..", "web", "testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	r := buildFake(t, newFake(90), true)
	ctx := context.Background()
	b, err := startBrowser()
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	path := filepath.Join(b.dir, "s.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	tb, err := b.open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.evaluate(ctx, string(axe)+";0", nil); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Violations []struct {
			ID, Impact, Help string
			Nodes            []struct{ Target []string }
		}
		Passes []struct{ ID string }
	}
	if err := tb.evaluate(ctx, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})`, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Passes) == 0 {
		t.Fatal("axe ran no checks")
	}
	for _, v := range res.Violations {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				break
			}
			where = append(where, strings.Join(n.Target, " "))
		}
		t.Errorf("axe %s (%s): %s — %d node(s), e.g. %s", v.ID, v.Impact, v.Help, len(v.Nodes), strings.Join(where, "; "))
	}
	var count struct{ SVG, Titled, Tables, Captioned int }
	if err := tb.evaluate(ctx, `({SVG: document.querySelectorAll("svg").length, Titled: document.querySelectorAll("svg[role=img] > title").length,
		Tables: document.querySelectorAll("table").length, Captioned: document.querySelectorAll("table > caption").length})`, &count); err != nil {
		t.Fatal(err)
	}
	if count.SVG == 0 || count.SVG != count.Titled || count.Tables != count.Captioned {
		t.Errorf("charts and tables: %+v", count)
	}
}
