//go:build unix

package web

// The browser tests drive headless Chromium through internal/cdp (the
// DevTools protocol over a pipe, shared with the statement's PDF printing).
// This file adds only what the tests use: a fresh browser context per page,
// navigation, typing, clicking, reading the DOM, cookies, screenshots, and
// collecting console and network events.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/internal/cdp"
)

// browserTimeout bounds every DevTools command and every wait for a page load.
const browserTimeout = 15 * time.Second

// chromiumPath finds Chromium. Without it the browser tests are skipped,
// except in CI (CI=true), where they fail: CI must not pass without a browser.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := cdp.Find(); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no Chromium in PATH (tried %s) in CI: install it (apt-get install chromium; .ci/run does)", strings.Join(cdp.Names, ", "))
	}
	t.Skipf("no Chromium in PATH (tried %s): skipping the browser tests", strings.Join(cdp.Names, ", "))
	return ""
}

// browser is one Chromium process (internal/cdp) whose events go to the
// page of their session.
type browser struct {
	*cdp.Browser
	t *testing.T

	mu       sync.Mutex
	sessions map[string]*page
}

// startBrowser starts headless Chromium with a fresh profile and closes it
// when the test ends.
func startBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	b := &browser{t: t, sessions: map[string]*page{}}
	cb, err := cdp.Start(cdp.Options{Path: bin, ProfileDir: t.TempDir(), Args: []string{"--window-size=1280,900"}, Timeout: browserTimeout,
		Event: func(m cdp.Message) {
			b.mu.Lock()
			p := b.sessions[m.SessionID]
			b.mu.Unlock()
			if p != nil {
				p.event(m.Method, m.Params)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	b.Browser = cb
	t.Cleanup(b.close)
	var v struct{ Product string }
	b.call(t, "", "Browser.getVersion", nil, &v)
	t.Logf("browser: %s", v.Product)
	return b
}

// close ends Chromium, showing what it said when the test failed.
func (b *browser) close() {
	b.Close()
	if b.t.Failed() {
		b.t.Logf("chromium stderr:\n%s", b.Stderr())
	}
}

// call sends one command and waits for its reply, decoding the result into
// result (when not nil). A protocol error fails the test.
func (b *browser) call(t *testing.T, session, method string, params, result any) {
	t.Helper()
	if err := b.Call(context.Background(), session, method, params, result); err != nil {
		t.Fatal(err)
	}
}

// page is one tab in its own browser context (its own cookies), with what it
// has seen: console messages, log entries, failed loads, document responses.
type page struct {
	b       *browser
	t       *testing.T
	session string

	loads chan int // per Page.loadEventFired, the number of documents received by then

	mu        sync.Mutex
	docs      int            // documents received
	problems  []string       // console errors and warnings, exceptions, blocked or failed loads
	documents map[string]int // URL → HTTP status of each document response
	lastDoc   struct {
		url    string
		status int
	}
}

// newPage opens a tab in a fresh browser context and closes both when t ends.
func (b *browser) newPage(t *testing.T) *page {
	t.Helper()
	var ctx struct{ BrowserContextID string }
	b.call(t, "", "Target.createBrowserContext", map[string]any{"disposeOnDetach": true}, &ctx)
	var target struct{ TargetID string }
	b.call(t, "", "Target.createTarget", map[string]any{"url": "about:blank", "browserContextId": ctx.BrowserContextID}, &target)
	var att struct{ SessionID string }
	b.call(t, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	p := &page{b: b, t: t, session: att.SessionID, loads: make(chan int, 16), documents: map[string]int{}}
	b.mu.Lock()
	b.sessions[p.session] = p
	b.mu.Unlock()
	t.Cleanup(func() {
		b.call(t, "", "Target.closeTarget", map[string]any{"targetId": target.TargetID}, nil)
		b.call(t, "", "Target.disposeBrowserContext", map[string]any{"browserContextId": ctx.BrowserContextID}, nil)
		b.mu.Lock()
		delete(b.sessions, p.session)
		b.mu.Unlock()
	})
	for _, domain := range []string{"Page", "Runtime", "Log", "Network", "Audits"} {
		p.call(domain+".enable", nil, nil)
	}
	return p
}

func (p *page) call(method string, params, result any) {
	p.t.Helper()
	p.b.call(p.t, p.session, method, params, result)
}

// event records what the tests look at. It runs on the reader goroutine.
func (p *page) event(method string, params json.RawMessage) {
	switch method {
	case "Page.loadEventFired":
		p.mu.Lock()
		n := p.docs
		p.mu.Unlock()
		select {
		case p.loads <- n:
		default:
		}
	case "Runtime.consoleAPICalled":
		var e struct {
			Type string
			Args []struct {
				Value       any
				Description string
			}
		}
		if json.Unmarshal(params, &e) == nil && (e.Type == "error" || e.Type == "warning" || e.Type == "assert") {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, fmt.Sprint(a.Value, a.Description))
			}
			p.problem("console.%s: %s", e.Type, strings.Join(parts, " "))
		}
	case "Runtime.exceptionThrown":
		var e struct{ ExceptionDetails struct{ Text string } }
		_ = json.Unmarshal(params, &e)
		p.problem("exception: %s", e.ExceptionDetails.Text)
	case "Log.entryAdded":
		var e struct {
			Entry struct{ Source, Level, Text, URL string }
		}
		if json.Unmarshal(params, &e) == nil && (e.Entry.Level == "error" || e.Entry.Level == "warning") {
			// A document answered with an error status is logged as a network
			// error; the tests check those statuses themselves.
			if e.Entry.Source == "network" && p.isDocument(e.Entry.URL) {
				return
			}
			p.problem("log %s %s: %s %s", e.Entry.Source, e.Entry.Level, e.Entry.Text, e.Entry.URL)
		}
	case "Audits.issueAdded":
		var e struct {
			Issue struct {
				Code    string
				Details json.RawMessage
			}
		}
		_ = json.Unmarshal(params, &e)
		p.problem("issue %s: %s", e.Issue.Code, e.Issue.Details)
	case "Network.responseReceived":
		var e struct {
			Type     string
			Response struct {
				URL    string
				Status int
			}
		}
		if json.Unmarshal(params, &e) == nil && e.Type == "Document" {
			p.mu.Lock()
			p.docs++
			p.documents[e.Response.URL] = e.Response.Status
			p.lastDoc.url, p.lastDoc.status = e.Response.URL, e.Response.Status
			p.mu.Unlock()
		}
	case "Network.loadingFailed":
		var e struct {
			Type, ErrorText, BlockedReason string
			Canceled                       bool
		}
		if json.Unmarshal(params, &e) == nil && !e.Canceled {
			p.problem("load of a %s failed: %s %s", e.Type, e.ErrorText, e.BlockedReason)
		}
	}
}

func (p *page) problem(format string, args ...any) {
	p.mu.Lock()
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
	p.mu.Unlock()
}

func (p *page) isDocument(url string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.documents[url]
	return ok
}

// Problems returns the console errors and warnings, exceptions and failed
// or blocked loads seen so far.
func (p *page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// andWait runs act and waits for the load of the new document it causes
// (a load event of an earlier document does not count).
func (p *page) andWait(what string, act func()) {
	p.t.Helper()
	p.mu.Lock()
	before := p.docs
	p.mu.Unlock()
	act()
	timeout := time.After(browserTimeout)
	for {
		select {
		case n := <-p.loads:
			if n > before {
				return
			}
		case <-timeout:
			p.t.Fatalf("%s: no page load in %v", what, browserTimeout)
		}
	}
}

// navigate loads url and returns the HTTP status of the document shown.
func (p *page) navigate(url string) int {
	p.t.Helper()
	p.andWait("navigate to "+url, func() {
		var r struct{ ErrorText string }
		p.call("Page.navigate", map[string]any{"url": url}, &r)
		if r.ErrorText != "" {
			p.t.Fatalf("navigate to %s: %s", url, r.ErrorText)
		}
	})
	return p.status()
}

// status is the HTTP status of the document last received.
func (p *page) status() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastDoc.status
}

// eval evaluates a JavaScript expression in the page (DevTools evaluation is
// not subject to the page's CSP) and decodes its value into result.
func (p *page) eval(expr string, result any) {
	p.t.Helper()
	var r struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails *struct {
			Text      string
			Exception struct{ Description string }
		}
	}
	p.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r)
	if r.ExceptionDetails != nil {
		p.t.Fatalf("evaluate %s: %s %s", expr, r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if result != nil {
		if err := json.Unmarshal(r.Result.Value, result); err != nil {
			p.t.Fatalf("evaluate %s: %v (value %s)", expr, err, r.Result.Value)
		}
	}
}

// text returns the text content of the first element matching the CSS
// selector, with white space collapsed; the test fails when none matches.
func (p *page) text(selector string) string {
	p.t.Helper()
	var s *string
	p.eval(fmt.Sprintf(`(e => e ? e.textContent.replace(/\s+/g, " ").trim() : null)(document.querySelector(%q))`, selector), &s)
	if s == nil {
		p.t.Fatalf("%s: no element matches %q", p.url(), selector)
	}
	return *s
}

// texts returns the text of every element matching the selector.
func (p *page) texts(selector string) []string {
	p.t.Helper()
	var out []string
	p.eval(fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.textContent.replace(/\s+/g, " ").trim())`, selector), &out)
	return out
}

// url is the address of the page shown.
func (p *page) url() string {
	p.t.Helper()
	var s string
	p.eval("location.href", &s)
	return s
}

// typeInto focuses the field and types text as keyboard input.
func (p *page) typeInto(selector, text string) {
	p.t.Helper()
	var ok bool
	p.eval(fmt.Sprintf(`(e => { if (!e) return false; e.focus(); e.select && e.select(); return true })(document.querySelector(%q))`, selector), &ok)
	if !ok {
		p.t.Fatalf("%s: no field %q", p.url(), selector)
	}
	p.call("Input.insertText", map[string]any{"text": text}, nil)
}

// click clicks the middle of the element with the mouse, as a user would:
// whatever is on top at that point receives the click.
func (p *page) click(selector string) {
	p.t.Helper()
	var box *struct{ X, Y float64 }
	p.eval(fmt.Sprintf(`(e => { if (!e) return null; e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect(); return {x: r.x + r.width/2, y: r.y + r.height/2} })(document.querySelector(%q))`, selector), &box)
	if box == nil {
		p.t.Fatalf("%s: nothing to click at %q", p.url(), selector)
	}
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		p.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": box.X, "y": box.Y, "button": "left", "clickCount": 1}, nil)
	}
}

// cookies returns the names of the cookies the browser holds for url.
func (p *page) cookies(url string) []string {
	p.t.Helper()
	var r struct{ Cookies []struct{ Name string } }
	p.call("Network.getCookies", map[string]any{"urls": []string{url}}, &r)
	var names []string
	for _, c := range r.Cookies {
		names = append(names, c.Name)
	}
	return names
}

// screenshot returns a PNG of the whole page, not only the window.
func (p *page) screenshot() []byte {
	p.t.Helper()
	var m struct {
		CSSContentSize struct{ Width, Height float64 }
	}
	p.call("Page.getLayoutMetrics", nil, &m)
	var r struct{ Data string }
	p.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true, "optimizeForSpeed": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": m.CSSContentSize.Width, "height": m.CSSContentSize.Height, "scale": 1}}, &r)
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		p.t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		p.t.Fatal("screenshot: not a PNG")
	}
	return png
}

// resize sets the page's viewport to width × height CSS pixels (a 1366×900
// laptop, a 390-pixel phone) at the device scale factor scale (2 emulates
// 200% zoom: the same page at half the CSS width).
func (p *page) resize(width, height int, scale float64) {
	p.t.Helper()
	p.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": scale, "mobile": false}, nil)
}

// viewShot returns a PNG of what the viewport shows (the top of the page).
func (p *page) viewShot() []byte {
	p.t.Helper()
	var r struct{ Data string }
	p.call("Page.captureScreenshot", map[string]any{"format": "png"}, &r)
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		p.t.Fatal(err)
	}
	return png
}

// warm requests url over HTTP with the browser's cookies, waiting up to two
// minutes, so that a page computed at its first view (and then cached by
// the server) loads in the browser within browserTimeout. A status of 500
// or more fails the test.
func (p *page) warm(url string) {
	p.t.Helper()
	var r struct {
		Cookies []struct{ Name, Value string }
	}
	p.call("Network.getCookies", map[string]any{"urls": []string{url}}, &r)
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, c := range r.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		p.t.Fatalf("warm %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		p.t.Errorf("warm %s: status %d", url, resp.StatusCode)
	}
}
