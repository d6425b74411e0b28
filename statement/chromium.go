//go:build unix

package statement

// Printing HTML to PDF with headless Chromium, spoken to through
// internal/cdp (the DevTools protocol over a pipe): a tab, loading a local
// file, printToPDF.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/internal/cdp"
)

// ChromiumPath finds Chromium: $SUFFICIENCY_CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome on PATH. EUNUSABLE without one.
func ChromiumPath() (string, error) {
	if p := os.Getenv("SUFFICIENCY_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", care.WrapError(care.EUNUSABLE, err, "SUFFICIENCY_CHROMIUM=%s is not an executable: point it at Chromium or unset it", p)
		}
		return p, nil
	}
	if p := cdp.Find(); p != "" {
		return p, nil
	}
	return "", care.Errorf(care.EUNUSABLE, "a PDF is printed by headless Chromium, and none was found (tried %s): install it (apt-get install chromium) or set SUFFICIENCY_CHROMIUM to its path; the HTML statement can be printed from a browser instead",
		strings.Join(cdp.Names, ", "))
}

// browserTimeout bounds every DevTools command and the page load.
const browserTimeout = 60 * time.Second

// browser is one headless Chromium process with its profile folder; the
// events it sends wait in events for the tab loading a page.
type browser struct {
	*cdp.Browser
	dir    string
	events chan cdp.Message
}

// startBrowser starts headless Chromium with a fresh profile in a temporary
// folder, with everything that reaches out to the network turned off.
func startBrowser() (*browser, error) {
	bin, err := ChromiumPath()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sufficiency-pdf-")
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "make a temporary folder for Chromium")
	}
	b := &browser{dir: dir, events: make(chan cdp.Message, 64)}
	b.Browser, err = cdp.Start(cdp.Options{Path: bin, ProfileDir: filepath.Join(dir, "profile"), Args: []string{"--allow-file-access-from-files"},
		Timeout: browserTimeout, Event: func(m cdp.Message) {
			select {
			case b.events <- m:
			default: // nobody waits for it
			}
		}})
	if err != nil {
		os.RemoveAll(dir)
		return nil, care.WrapError(care.EUNUSABLE, err, "Chromium")
	}
	return b, nil
}

// close ends Chromium and removes its profile.
func (b *browser) close() {
	b.Close()
	os.RemoveAll(b.dir)
}

// call sends a command and waits for its reply.
func (b *browser) call(ctx context.Context, session, method string, params, result any) error {
	if err := b.Call(ctx, session, method, params, result); err != nil {
		return care.WrapError(care.EINTERNAL, err, "Chromium")
	}
	return nil
}

// PrintOptions are the page set-up of a printed PDF.
type PrintOptions struct {
	// Footer is the footer template (Chromium fills the classes pageNumber,
	// totalPages, title); "" for none.
	Footer string
}

// tab is one page opened in a browser.
type tab struct {
	b       *browser
	session string
}

// open opens a tab and loads the HTML file at path into it.
func (b *browser) open(ctx context.Context, path string) (*tab, error) {
	var target struct{ TargetID string }
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var att struct{ SessionID string }
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	t := &tab{b: b, session: att.SessionID}
	if err := b.call(ctx, t.session, "Page.enable", nil, nil); err != nil {
		return nil, err
	}
	if err := t.load(ctx, path); err != nil {
		return nil, err
	}
	return t, nil
}

// load navigates the tab to a local file and waits for its load event.
func (t *tab) load(ctx context.Context, path string) error {
	for len(t.b.events) > 0 { // forget earlier events
		<-t.b.events
	}
	var nav struct{ ErrorText string }
	if err := t.b.call(ctx, t.session, "Page.navigate", map[string]any{"url": "file://" + path}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return care.Errorf(care.EINTERNAL, "Chromium could not open the statement: %s", nav.ErrorText)
	}
	deadline := time.After(browserTimeout)
	for {
		select {
		case m := <-t.b.events:
			if m.Method == "Page.loadEventFired" && m.SessionID == t.session {
				return nil
			}
		case <-deadline:
			return care.Errorf(care.EINTERNAL, "Chromium did not finish loading the statement in %v", browserTimeout)
		case <-ctx.Done():
			return care.WrapError(care.EINTERNAL, ctx.Err(), "load the statement")
		}
	}
}

// printPDF prints the tab on A4 (the page's CSS @page margins apply).
func (t *tab) printPDF(ctx context.Context, o PrintOptions) ([]byte, error) {
	params := map[string]any{
		"paperWidth": 8.27, "paperHeight": 11.69, // A4 in inches
		"printBackground": true, "preferCSSPageSize": true,
		"marginTop": 0.6, "marginBottom": 0.7, "marginLeft": 0.55, "marginRight": 0.55,
		"generateDocumentOutline": true, "generateTaggedPDF": true,
	}
	if o.Footer != "" {
		params["displayHeaderFooter"] = true
		params["headerTemplate"] = "<span></span>"
		params["footerTemplate"] = o.Footer
	}
	var res struct{ Data string }
	if err := t.b.call(ctx, t.session, "Page.printToPDF", params, &res); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "decode the PDF from Chromium")
	}
	return b, nil
}

// evaluate runs a JavaScript expression in the tab (awaiting a promise) and
// decodes its value into result.
func (t *tab) evaluate(ctx context.Context, expr string, result any) error {
	var res struct {
		Result struct {
			Value json.RawMessage
		}
		ExceptionDetails *struct {
			Text      string
			Exception struct{ Description string }
		}
	}
	if err := t.b.call(ctx, t.session, "Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true}, &res); err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return care.Errorf(care.EINTERNAL, "script failed: %s %s", res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	}
	if result != nil && len(res.Result.Value) > 0 {
		return json.Unmarshal(res.Result.Value, result)
	}
	return nil
}
