// Package errwriter holds a writer that remembers the first write error, so
// that a report written in many small writes checks for failure once, at the
// end.
package errwriter

import "io"

// Writer passes writes on to W until one fails; it then keeps that error in
// Err and drops every later write. It never returns an error itself (later
// writes report themselves written), so callers such as fmt.Fprintf carry on
// and the error is checked once, in Err.
type Writer struct {
	W   io.Writer
	Err error
}

// Write implements io.Writer.
func (e *Writer) Write(p []byte) (int, error) {
	if e.Err != nil {
		return len(p), nil
	}
	n, err := e.W.Write(p)
	if err != nil {
		e.Err = err
	}
	return n, nil
}
