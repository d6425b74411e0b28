package errwriter

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// failAfter accepts n writes, then fails every one.
type failAfter struct {
	n   int
	buf bytes.Buffer
}

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errFull
	}
	f.n--
	return f.buf.Write(p)
}

func TestWriterKeepsTheFirstErrorAndDropsLaterWrites(t *testing.T) {
	dst := &failAfter{n: 2}
	w := &Writer{W: dst}
	for i, s := range []string{"one ", "two ", "three ", "four"} {
		n, err := fmt.Fprint(w, s)
		if err != nil {
			t.Fatalf("Fprint(%q): %v: the error should wait in Err", s, err)
		}
		if i != 2 && n != len(s) { // the failing write reports what it wrote
			t.Fatalf("Fprint(%q) = %d, want %d", s, n, len(s))
		}
	}
	if !errors.Is(w.Err, errFull) {
		t.Fatalf("Err = %v, want the first failure", w.Err)
	}
	if got := dst.buf.String(); got != "one two " {
		t.Fatalf("written %q, want only the writes before the failure", got)
	}
}

func TestWriterWithoutFailure(t *testing.T) {
	var b bytes.Buffer
	w := &Writer{W: &b}
	fmt.Fprintf(w, "%d children", 1234)
	if w.Err != nil || b.String() != "1234 children" {
		t.Fatalf("got %q, %v", b.String(), w.Err)
	}
}
