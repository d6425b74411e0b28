//go:build unix

package statement

// A small Chrome DevTools Protocol client that prints HTML to PDF: headless
// Chromium is started with --remote-debugging-pipe and spoken to over two
// pipes (its file descriptors 3 and 4, one JSON message per NUL-terminated
// frame), so no WebSocket library, port or network is needed. It covers what
// printing needs: a tab, loading a local file, printToPDF.

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"sufficiency/care"
)

// chromiumNames are the executables tried, in order, after $SUFFICIENCY_CHROMIUM.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ChromiumPath finds Chromium: $SUFFICIENCY_CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome on PATH. EUNUSABLE without one.
func ChromiumPath() (string, error) {
	if p := os.Getenv("SUFFICIENCY_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", care.WrapError(care.EUNUSABLE, err, "SUFFICIENCY_CHROMIUM=%s is not an executable: point it at Chromium or unset it", p)
		}
		return p, nil
	}
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", care.Errorf(care.EUNUSABLE, "a PDF is printed by headless Chromium, and none was found (tried %s): install it (apt-get install chromium), set SUFFICIENCY_CHROMIUM, or write --format html and print that",
		strings.Join(chromiumNames, ", "))
}

// browserTimeout bounds every DevTools command and the page load.
const browserTimeout = 60 * time.Second

type cdpMessage struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// browser is one headless Chromium process.
type browser struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	dir     string
	stderr  strings.Builder
	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan cdpMessage
	events  chan cdpMessage
	closed  error
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
	cmdIn, in, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, care.WrapError(care.EINTERNAL, err, "pipe to Chromium")
	}
	out, cmdOut, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, care.WrapError(care.EINTERNAL, err, "pipe from Chromium")
	}
	b := &browser{in: in, dir: dir, pending: map[int64]chan cdpMessage{}, events: make(chan cdpMessage, 64)}
	b.cmd = exec.Command(bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
		"--password-store=basic", "--use-mock-keychain", "--mute-audio", "--allow-file-access-from-files",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--remote-debugging-pipe", "about:blank")
	b.cmd.ExtraFiles = []*os.File{cmdIn, cmdOut}
	b.cmd.Stderr = &lockedWriter{b: &b.stderr, mu: &b.mu}
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := b.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, care.WrapError(care.EUNUSABLE, err, "start Chromium (%s)", bin)
	}
	cmdIn.Close()
	cmdOut.Close()
	go b.read(out)
	return b, nil
}

type lockedWriter struct {
	b  *strings.Builder
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() < 1<<16 {
		l.b.Write(p)
	}
	return len(p), nil
}

// close asks Chromium to quit, ends its process group, removes its profile.
func (b *browser) close() {
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	_, _ = b.send("", "Browser.close", nil)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
	b.in.Close()
	os.RemoveAll(b.dir)
}

func (b *browser) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<20)
	var err error
	for {
		var frame []byte
		frame, err = br.ReadBytes(0)
		if err != nil {
			break
		}
		var m cdpMessage
		if err = json.Unmarshal(frame[:len(frame)-1], &m); err != nil {
			break
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				delete(b.pending, m.ID)
				ch <- m
			}
		} else {
			select {
			case b.events <- m:
			default: // nobody waits for it
			}
		}
		b.mu.Unlock()
	}
	b.mu.Lock()
	b.closed = fmt.Errorf("the DevTools pipe closed: %v", err)
	for id, ch := range b.pending {
		delete(b.pending, id)
		close(ch)
	}
	b.mu.Unlock()
}

func (b *browser) send(session, method string, params any) (chan cdpMessage, error) {
	b.mu.Lock()
	if b.closed != nil {
		b.mu.Unlock()
		return nil, b.closed
	}
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMessage, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if session != "" {
		msg["sessionId"] = session
	}
	if params != nil {
		msg["params"] = params
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	if _, err := b.in.Write(append(data, 0)); err != nil {
		return nil, err
	}
	return ch, nil
}

// call sends a command and waits for its reply.
func (b *browser) call(ctx context.Context, session, method string, params, result any) error {
	ch, err := b.send(session, method, params)
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "Chromium %s", method)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			b.mu.Lock()
			msg := b.stderr.String()
			b.mu.Unlock()
			return care.Errorf(care.EINTERNAL, "Chromium %s: %v; Chromium said: %s", method, b.closed, strings.TrimSpace(msg))
		}
		if m.Error != nil {
			return care.Errorf(care.EINTERNAL, "Chromium %s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return care.WrapError(care.EINTERNAL, err, "Chromium %s reply", method)
			}
		}
		return nil
	case <-time.After(browserTimeout):
		return care.Errorf(care.EINTERNAL, "Chromium %s: no reply in %v", method, browserTimeout)
	case <-ctx.Done():
		return care.WrapError(care.EINTERNAL, ctx.Err(), "Chromium %s", method)
	}
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
