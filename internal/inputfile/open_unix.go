//go:build unix

package inputfile

import (
	"os"
	"syscall"
)

// openNoWait opens path read-only with O_NONBLOCK, so that opening a FIFO
// does not wait for a writer. (For a regular file the flag changes nothing.)
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
