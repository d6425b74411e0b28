//go:build unix

// Package cdp is a small Chrome DevTools Protocol client over a pipe:
// headless Chromium is started with --remote-debugging-pipe and spoken to
// over its file descriptors 3 and 4 (one JSON message per NUL-terminated
// frame), so no WebSocket library, port or network is needed. The statement
// prints PDFs with it and the web app's browser tests drive pages with it;
// each adds the commands it needs on top of Call and the events it wants
// through Options.Event.
package cdp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Names are the executables that may be Chromium, in the order to try them.
var Names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Find returns the first of Names on PATH, or "" when there is none.
func Find() string {
	for _, n := range Names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Message is one DevTools message: a command's reply (ID set) or an event
// (Method set).
type Message struct {
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

// Options start a browser.
type Options struct {
	// Path is the Chromium executable.
	Path string
	// ProfileDir is the fresh profile folder (--user-data-dir).
	ProfileDir string
	// Args are further command-line flags (e.g. --window-size=1280,900).
	Args []string
	// Event receives every event, on the reader goroutine, with the
	// browser's lock held: it must not call the browser. Nil drops events.
	Event func(Message)
	// Timeout bounds the wait for each reply; 0 means 60 seconds.
	Timeout time.Duration
}

// Browser is one headless Chromium process.
type Browser struct {
	cmd     *exec.Cmd
	in      io.WriteCloser // Chromium's fd 3: commands
	event   func(Message)
	timeout time.Duration

	mu      sync.Mutex
	stderr  strings.Builder // the first 64 KiB Chromium wrote on stderr
	nextID  int64
	pending map[int64]chan Message
	closed  error // set when the pipe from Chromium ends
}

// Start starts headless Chromium with everything that reaches out to the
// network turned off.
func Start(o Options) (*Browser, error) {
	cmdIn, in, err := os.Pipe() // Chromium reads commands from cmdIn
	if err != nil {
		return nil, fmt.Errorf("pipe to Chromium: %w", err)
	}
	out, cmdOut, err := os.Pipe() // and writes replies and events to cmdOut
	if err != nil {
		cmdIn.Close()
		in.Close()
		return nil, fmt.Errorf("pipe from Chromium: %w", err)
	}
	b := &Browser{in: in, event: o.Event, timeout: o.Timeout, pending: map[int64]chan Message{}}
	if b.timeout <= 0 {
		b.timeout = 60 * time.Second
	}
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		// Without these Chromium reaches out to the network.
		"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
		"--password-store=basic", "--use-mock-keychain", "--mute-audio"}
	args = append(append(args, o.Args...), "--user-data-dir="+o.ProfileDir, "--remote-debugging-pipe", "about:blank")
	b.cmd = exec.Command(o.Path, args...)
	b.cmd.ExtraFiles = []*os.File{cmdIn, cmdOut} // fd 3 and fd 4
	b.cmd.Stderr = stderrWriter{b}
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers too can be ended by the group's id
	err = b.cmd.Start()
	cmdIn.Close()
	cmdOut.Close()
	if err != nil {
		in.Close()
		out.Close()
		return nil, fmt.Errorf("start Chromium (%s): %w", o.Path, err)
	}
	go b.read(out)
	return b, nil
}

// stderrWriter keeps the first 64 KiB of Chromium's stderr.
type stderrWriter struct{ b *Browser }

func (w stderrWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	if w.b.stderr.Len() < 1<<16 {
		w.b.stderr.Write(p)
	}
	return len(p), nil
}

// Stderr is what Chromium has written on its standard error (the first 64 KiB).
func (b *Browser) Stderr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stderr.String()
}

// Close asks Chromium to quit, then ends its process group if it has not.
func (b *Browser) Close() {
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	_, _ = b.send("", "Browser.close", nil) // no reply is awaited: the pipe closes
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	// Its helper processes (same group) may outlive it by a moment: end them.
	_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
	b.in.Close()
}

// read dispatches Chromium's messages until its pipe closes.
func (b *Browser) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<20)
	var err error
	for {
		var frame []byte
		frame, err = br.ReadBytes(0)
		if err != nil {
			break
		}
		var m Message
		if err = json.Unmarshal(frame[:len(frame)-1], &m); err != nil {
			break
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				delete(b.pending, m.ID)
				ch <- m
			}
		} else if b.event != nil {
			b.event(m)
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

// send writes one command and returns the channel of its reply.
func (b *Browser) send(session, method string, params any) (chan Message, error) {
	b.mu.Lock()
	if b.closed != nil {
		b.mu.Unlock()
		return nil, b.closed
	}
	b.nextID++
	id := b.nextID
	ch := make(chan Message, 1)
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

// Call sends one command (to session, or to the browser when "") and waits
// for its reply, decoding the result into result when it is not nil. The
// error says which command failed and why: the pipe closed (with what
// Chromium said), a protocol error, no reply within the timeout, or ctx
// ended.
func (b *Browser) Call(ctx context.Context, session, method string, params, result any) error {
	ch, err := b.send(session, method, params)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	// A command that carries its own timeout in milliseconds (Runtime.evaluate
	// of axe-core on a long page, on a busy machine) is waited for that long.
	wait := b.timeout
	if m, ok := params.(map[string]any); ok {
		if ms, ok := m["timeout"].(int); ok {
			wait = max(wait, time.Duration(ms)*time.Millisecond)
		}
	}
	select {
	case m, ok := <-ch:
		if !ok {
			b.mu.Lock()
			closed, said := b.closed, strings.TrimSpace(b.stderr.String())
			b.mu.Unlock()
			return fmt.Errorf("%s: %v; Chromium said: %s", method, closed, said)
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("%s reply: %w", method, err)
			}
		}
		return nil
	case <-time.After(wait):
		return fmt.Errorf("%s: no reply in %v", method, wait)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}
