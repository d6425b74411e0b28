// Package inputfile opens the files people name as input (returns, supply
// files, policies, referrals) and accepts only regular files. A named pipe
// (FIFO), a device or a socket given by mistake or malice would otherwise
// block the open or the read for ever (os.Open of a FIFO waits for a
// writer, and a blocked open does not even see SIGTERM); here the open never
// waits and anything but a regular file is refused with a clear message.
package inputfile

import (
	"errors"
	"io"
	"io/fs"
	"os"

	"sufficiency/care"
)

// ErrNotRegular is in the chain of the error for a path that is not a
// regular file.
var ErrNotRegular = errors.New("not a regular file")

// Open opens path for reading if it is a regular file (symbolic links
// followed). The open itself never blocks: a FIFO is opened without waiting
// for a writer and then refused. EUNUSABLE, wrapping ErrNotRegular, for a
// folder, FIFO, device or socket; the os error (fs.ErrNotExist and so on)
// for a path that cannot be opened.
func Open(path string) (*os.File, error) {
	f, err := openNoWait(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := Check(path, st); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// ReadFile reads the whole of a regular file, as os.ReadFile does, refusing
// anything else as Open does.
func ReadFile(path string) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Check returns nil when st describes a regular file and otherwise an
// EUNUSABLE error naming path and what it is.
func Check(path string, st fs.FileInfo) error {
	m := st.Mode()
	if m.IsRegular() {
		return nil
	}
	what := "special file"
	switch {
	case m.IsDir():
		what = "folder"
	case m&fs.ModeNamedPipe != 0:
		what = "named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		what = "device"
	}
	return care.WrapError(care.EUNUSABLE, ErrNotRegular, "%s is a %s, not a regular file; give the path of a file", path, what)
}
