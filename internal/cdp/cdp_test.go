//go:build unix

package cdp

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// start starts Chromium for a test: skipped without one, except in CI.
func start(t *testing.T, o Options) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	o.Path = Find()
	if o.Path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Chromium in PATH (tried %s) in CI", strings.Join(Names, ", "))
		}
		t.Skipf("no Chromium in PATH (tried %s)", strings.Join(Names, ", "))
	}
	o.ProfileDir = t.TempDir()
	b, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A command's reply is decoded, a page's events reach Options.Event with
// its session, an unknown method is the protocol's error naming the
// method, and after Close a command fails instead of waiting.
func TestCallEventsErrorsAndClose(t *testing.T) {
	events := make(chan Message, 256)
	b := start(t, Options{Timeout: 20 * time.Second, Event: func(m Message) {
		select {
		case events <- m:
		default:
		}
	}})
	ctx := context.Background()
	var v struct{ Product string }
	if err := b.Call(ctx, "", "Browser.getVersion", nil, &v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(v.Product, "/") {
		t.Errorf("Browser.getVersion: product %q, want Name/version", v.Product)
	}
	var target struct{ TargetID string }
	if err := b.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		t.Fatal(err)
	}
	var att struct{ SessionID string }
	if err := b.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		t.Fatal(err)
	}
	if err := b.Call(ctx, att.SessionID, "Page.enable", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Call(ctx, att.SessionID, "Page.navigate", map[string]any{"url": "data:text/html,<p>hello</p>"}, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(20 * time.Second)
	for loaded := false; !loaded; {
		select {
		case m := <-events:
			loaded = m.Method == "Page.loadEventFired" && m.SessionID == att.SessionID
		case <-deadline:
			t.Fatal("no Page.loadEventFired for the page's session")
		}
	}
	var res struct{ Result struct{ Value int } }
	if err := b.Call(ctx, att.SessionID, "Runtime.evaluate", map[string]any{"expression": "6*7", "returnByValue": true}, &res); err != nil {
		t.Fatal(err)
	}
	if res.Result.Value != 42 {
		t.Errorf("Runtime.evaluate 6*7 = %d, want 42", res.Result.Value)
	}
	err := b.Call(ctx, "", "No.suchMethod", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "No.suchMethod") {
		t.Errorf("unknown method: error %v, want one naming No.suchMethod", err)
	}
	b.Close()
	done := make(chan error, 1)
	go func() { done <- b.Call(ctx, "", "Browser.getVersion", nil, nil) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Call after Close succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Error("Call after Close waited")
	}
}

// A cancelled context ends the wait for a reply.
func TestCallCancelled(t *testing.T) {
	b := start(t, Options{})
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// Runtime.evaluate of a promise that never settles would wait for ever.
	var target struct{ TargetID string }
	if err := b.Call(context.Background(), "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		t.Fatal(err)
	}
	var att struct{ SessionID string }
	if err := b.Call(context.Background(), "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		t.Fatal(err)
	}
	err := b.Call(ctx, att.SessionID, "Runtime.evaluate", map[string]any{"expression": "new Promise(() => {})", "awaitPromise": true}, nil)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("cancelled: error %v, want context canceled", err)
	}
}
