//go:build !unix

package inputfile

import (
	"os"
)

// openNoWait checks the path before opening it where O_NONBLOCK is not
// available.
func openNoWait(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := Check(path, st); err != nil {
		return nil, err
	}
	return os.Open(path)
}
